// A YAML subset parser, enough for the files models are saved with (MLmodel, conda.yaml,
// python_env.yaml as `yaml.safe_dump` writes them): block mappings and sequences by
// indentation, plain / 'single' / "double" quoted scalars (also folded over several lines, with escaped line breaks),
// | and > block scalars, empty and simple flow collections, comments. Anything it does not
// understand becomes a string, never an exception (except for a broken document structure).

export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  indent: number;
  text: string;
}

class Parser {
  private pos = 0;
  constructor(private readonly lines: Line[]) {}

  /** Index of the next line with content (skips blank and comment lines). */
  private next(): number {
    let i = this.pos;
    while (i < this.lines.length) {
      const text = this.lines[i].text;
      if (text !== "" && !text.startsWith("#")) break;
      i++;
    }
    return i;
  }

  parseDocument(): YamlValue {
    const i = this.next();
    if (i >= this.lines.length) return null;
    this.pos = i;
    const line = this.lines[i];
    if (line.text === "---") {
      this.pos++;
      return this.parseDocument();
    }
    if (!isSeqItem(line.text) && splitKey(line.text) === null) {
      this.pos = i + 1;
      return scalar(this.foldPlain(line.text, line.indent - 1));
    }
    return this.parseBlock(line.indent);
  }

  private parseBlock(indent: number): YamlValue {
    const i = this.next();
    if (i >= this.lines.length) return null;
    return isSeqItem(this.lines[i].text) ? this.parseSeq(indent) : this.parseMap(indent);
  }

  private parseMap(indent: number): YamlValue {
    const out: { [key: string]: YamlValue } = {};
    for (;;) {
      const i = this.next();
      if (i >= this.lines.length) break;
      const line = this.lines[i];
      if (line.indent !== indent || isSeqItem(line.text)) break;
      const pair = splitKey(line.text);
      if (!pair) break;
      this.pos = i + 1;
      out[pair.key] = this.parseValue(pair.rest, indent, true);
    }
    return out;
  }

  private parseSeq(indent: number): YamlValue {
    const out: YamlValue[] = [];
    for (;;) {
      const i = this.next();
      if (i >= this.lines.length) break;
      const line = this.lines[i];
      if (line.indent !== indent || !isSeqItem(line.text)) break;
      const rest = line.text.slice(1).replace(/^ +/, "");
      const offset = line.text.length - rest.length;
      if (rest && !rest.startsWith("#") && splitKey(rest) && !/^["'[{]/.test(rest)) {
        // "- key: value": a mapping whose first line shares the dash's line.
        this.lines[i] = { indent: indent + offset, text: rest };
        this.pos = i;
        out.push(this.parseMap(indent + offset));
        continue;
      }
      this.pos = i + 1;
      out.push(this.parseValue(rest, indent, false));
    }
    return out;
  }

  /** The value after "key:" or "-" on a line of `indent`; may consume following lines. */
  private parseValue(rest: string, indent: number, inMap: boolean): YamlValue {
    const text = stripComment(rest);
    if (text === "") {
      const i = this.next();
      if (i < this.lines.length) {
        const line = this.lines[i];
        if (line.indent > indent) return this.parseBlock(line.indent);
        if (inMap && line.indent === indent && isSeqItem(line.text)) return this.parseSeq(indent);
      }
      return null;
    }
    if (/^[|>][+-]?\d*$/.test(text)) return this.blockScalar(text, indent);
    if (text.startsWith("'") || text.startsWith('"')) return this.quoted(rest.trimStart(), indent);
    if (text.startsWith("[") || text.startsWith("{")) return flow(text);
    return scalar(this.foldPlain(text, indent));
  }

  /** A plain scalar continued on more-indented lines (joined with spaces). */
  private foldPlain(first: string, indent: number): string {
    let value = stripComment(first);
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (line.text === "" || line.indent <= indent || line.text.startsWith("#")) break;
      if (splitKey(line.text) || isSeqItem(line.text)) break;
      value += " " + stripComment(line.text);
      this.pos++;
    }
    return value;
  }

  private quoted(first: string, indent: number): YamlValue {
    const quote = first[0];
    let raw = first.slice(1);
    for (;;) {
      const end = closingQuote(raw, quote);
      if (end >= 0) return unquote(raw.slice(0, end), quote);
      if (this.pos >= this.lines.length) return unquote(raw, quote);
      const line = this.lines[this.pos++];
      if (line.text === "") raw += "\n";
      else if (quote === '"' && /(^|[^\\])(\\\\)*\\$/.test(raw)) raw = raw.slice(0, -1) + line.text; // escaped line break
      else raw += (raw.endsWith("\n") ? "" : " ") + line.text;
      if (line.indent <= indent && line.text !== "" && closingQuote(line.text, quote) < 0) {
        // A structure change before the closing quote: a broken scalar; stop here.
        return unquote(raw, quote);
      }
    }
  }

  private blockScalar(header: string, indent: number): string {
    const literal = header[0] === "|";
    const keep = header.includes("+");
    const strip = header.includes("-");
    const body: string[] = [];
    let blockIndent = -1;
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (line.text !== "" && line.indent <= indent) break;
      if (line.text !== "" && blockIndent < 0) blockIndent = line.indent;
      body.push(line.text === "" ? "" : " ".repeat(Math.max(0, line.indent - blockIndent)) + line.text);
      this.pos++;
    }
    let text = literal ? body.join("\n") : foldLines(body);
    if (!keep) text = text.replace(/\n+$/, "");
    return strip ? text : text + "\n";
  }
}

function foldLines(lines: string[]): string {
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i === 0) out = line;
    else if (line === "") out += "\n";
    else out += out.endsWith("\n") || out === "" ? line : " " + line;
  }
  return out;
}

function isSeqItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

/** "key: rest" (key may be quoted); null when the line is not a mapping entry. */
function splitKey(text: string): { key: string; rest: string } | null {
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = closingQuote(text.slice(1), text[0]);
    if (end < 0) return null;
    const after = text.slice(end + 2);
    if (!/^\s*:(\s|$)/.test(after)) return null;
    return { key: unquote(text.slice(1, end + 1), text[0]), rest: after.replace(/^\s*:/, "").trim() };
  }
  const match = /^([^#\s][^:]*?|[^#\s]*?:[^\s]+?)\s*:(?:\s+(.*)|$)/.exec(text);
  if (!match || match[1].startsWith("- ")) return null;
  return { key: match[1], rest: (match[2] ?? "").trim() };
}

function closingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") {
      i++;
      continue;
    }
    if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", '"': '"', "\\": "\\", "/": "/", " ": " " };

function unquote(body: string, quote: string): string {
  if (quote === "'") return body.replace(/''/g, "'");
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, code: string) => {
    if (code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return ESCAPES[code] ?? code;
  });
}

function stripComment(text: string): string {
  const at = text.search(/(^|\s)#/);
  return (at >= 0 ? text.slice(0, at) : text).trim();
}

function scalar(text: string): YamlValue {
  if (text === "" || text === "~" || /^(null|Null|NULL)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text) && Math.abs(Number(text)) <= Number.MAX_SAFE_INTEGER) return Number(text);
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}

function flow(text: string): YamlValue {
  if (text === "[]") return [];
  if (text === "{}") return {};
  try {
    return JSON.parse(text) as YamlValue;
  } catch {
    if (text.startsWith("[") && text.endsWith("]")) {
      return text.slice(1, -1).split(",").map((part) => {
        const item = part.trim();
        return /^["']/.test(item) ? unquote(item.slice(1, -1), item[0]) : scalar(item);
      });
    }
    return text;
  }
}

export function parseYaml(text: string): YamlValue {
  const lines: Line[] = text.replace(/\r\n?/g, "\n").split("\n").map((raw) => {
    const trimmed = raw.replace(/\s+$/, "");
    const body = trimmed.replace(/^ +/, "");
    return { indent: trimmed.length - body.length, text: body };
  });
  return new Parser(lines).parseDocument();
}

/** `value` as a plain object (or undefined). */
export function asMap(value: YamlValue | undefined): { [key: string]: YamlValue } | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}
