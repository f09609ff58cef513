// Short plain-text previews of Markdown descriptions and tags, for table cells.

/** The first meaningful line of a Markdown text without its markup, cut to `max` characters. */
export function descriptionPreview(markdown: string | undefined, max = 90): string {
  const lines = (markdown ?? "").replace(/\r\n?/g, "\n").split("\n");
  let inCode = false;
  for (const raw of lines) {
    if (raw.trim().startsWith("```")) {
      inCode = !inCode;
      continue;
    }
    if (inCode || !raw.trim()) continue;
    const text = raw
      .replace(/^\s*(#{1,6}\s+|[-*]\s+|\d+\.\s+|>\s*)/, "")
      .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
      .replace(/(\*\*|__|\*|_|`)(.+?)\1/g, "$2")
      .trim();
    if (!text) continue;
    return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
  }
  return "";
}

/** Version numbers sort as numbers ("10" after "9"). */
export function compareVersions(a: string, b: string): number {
  return Number(a) - Number(b) || a.localeCompare(b);
}
