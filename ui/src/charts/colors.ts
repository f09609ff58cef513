// A stable color per run: the same run keeps its color on every chart and page.
// Mid-tone colors that keep their contrast on the light and the dark theme.
export const PALETTE = [
  "#1f77b4", "#e8590c", "#2f9e44", "#d6336c", "#7048e8", "#0c8599", "#e67700", "#5c940d",
  "#ae3ec9", "#228be6", "#f03e3e", "#12b886", "#f76707", "#4c6ef5", "#845ef7", "#74b816",
];

export function colorFor(id: string): string {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

/**
 * Colors for the runs of one chart: each run keeps colorFor(id) unless an earlier run of the
 * same chart already has it, in which case it takes the next palette color not in use.
 */
export function seriesColors(ids: string[]): string[] {
  const used = new Set<string>();
  return ids.map((id) => {
    if (used.size >= PALETTE.length) used.clear(); // more runs than colors: start over
    let color = colorFor(id);
    if (used.has(color) && used.size < PALETTE.length) {
      let index = PALETTE.indexOf(color);
      while (used.has(PALETTE[index])) index = (index + 1) % PALETTE.length;
      color = PALETTE[index];
    }
    used.add(color);
    return color;
  });
}
