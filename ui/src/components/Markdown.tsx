// A small, safe Markdown renderer for descriptions: headings, paragraphs, lists, code blocks,
// inline code, bold, italic and links (http, https and in-app # links only). It builds
// elements directly (never innerHTML), so a description cannot inject markup or scripts.
import type { ComponentChildren, VNode } from "preact";

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*]+\*|_[^_]+_)|(\[[^\]]+\]\([^)\s]+\))/;

export function safeHref(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed) || trimmed.startsWith("#")) return trimmed;
  return undefined;
}

export function renderInline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let rest = text;
  while (rest) {
    const match = INLINE.exec(rest);
    if (!match) {
      out.push(rest);
      break;
    }
    if (match.index > 0) out.push(rest.slice(0, match.index));
    const token = match[0];
    if (match[1]) out.push(<code>{token.slice(1, -1)}</code>);
    else if (match[2]) out.push(<strong>{renderInline(token.slice(2, -2))}</strong>);
    else if (match[3]) out.push(<em>{renderInline(token.slice(1, -1))}</em>);
    else {
      const close = token.indexOf("](");
      const label = token.slice(1, close);
      const href = safeHref(token.slice(close + 2, -1));
      out.push(href ? <a href={href} target={href.startsWith("#") ? undefined : "_blank"} rel="noopener noreferrer">{label}</a> : label);
    }
    rest = rest.slice(match.index + token.length);
  }
  return out;
}

export function Markdown({ source }: { source: string }) {
  const blocks: VNode[] = [];
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith("```")) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].startsWith("```")) code.push(lines[i++]);
      i++;
      blocks.push(<pre class="md-code"><code>{code.join("\n")}</code></pre>);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      const content = renderInline(heading[2]);
      blocks.push(level === 1 ? <h3>{content}</h3> : level === 2 ? <h4>{content}</h4> : <h5>{content}</h5>);
      i++;
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: ComponentChildren[] = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i])) {
        items.push(<li>{renderInline(lines[i].replace(/^\s*([-*]|\d+\.)\s+/, ""))}</li>);
        i++;
      }
      blocks.push(ordered ? <ol>{items}</ol> : <ul>{items}</ul>);
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i].trim() && !/^(#{1,4}\s|```|\s*([-*]|\d+\.)\s)/.test(lines[i])) {
      paragraph.push(lines[i++]);
    }
    blocks.push(<p>{renderInline(paragraph.join(" "))}</p>);
  }
  return <div class="markdown">{blocks}</div>;
}
