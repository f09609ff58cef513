// A stable color per run: the same run keeps its color on every chart and page.
export const PALETTE = [
  "#1f77b4", "#e8590c", "#2f9e44", "#c2255c", "#7048e8", "#0c8599", "#e67700", "#5c940d",
  "#862e9c", "#1971c2", "#d9480f", "#087f5b", "#a61e4d", "#364fc7", "#5f3dc4", "#2b8a3e",
];

export function colorFor(id: string): string {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PALETTE[Math.abs(hash) % PALETTE.length];
}
