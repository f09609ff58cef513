// The signature of a model, read from its MLmodel file. MLmodel is YAML; the signature block
// holds `inputs`, `outputs` and `params` as JSON strings (often folded over several lines by
// the YAML writer). This reads just that block, so the UI needs no YAML library.

export interface SignatureField {
  name: string | null;
  type: string;
  required: boolean;
}

export interface SignatureParam {
  name: string;
  type: string;
  default: string;
}

export interface ModelSignature {
  inputs: SignatureField[] | null;
  outputs: SignatureField[] | null;
  params: SignatureParam[] | null;
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** The lines of the top-level mapping entry `key:` (the first line holds the inline value). */
function entryLines(lines: string[], key: string, indent: number): string[] | undefined {
  const start = lines.findIndex((l) => indentOf(l) === indent && l.trimStart().startsWith(`${key}:`) && l.trim() !== "");
  if (start < 0) return undefined;
  const out = [lines[start].trimStart().slice(key.length + 1)];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() && indentOf(line) <= indent) break;
    out.push(line);
  }
  return out;
}

/** Join the lines of a flow scalar as YAML folds them: a line break is a space, an empty
 * line a newline. */
function fold(parts: string[], doubleQuoted = false): string {
  let text = parts[0];
  let pendingBreaks = 0;
  for (const raw of parts.slice(1)) {
    const line = raw.trim();
    if (!line) {
      pendingBreaks++;
      continue;
    }
    if (pendingBreaks > 0) text = text.replace(/[ \t]+$/, "") + "\n".repeat(pendingBreaks);
    else if (doubleQuoted && /(^|[^\\])(\\\\)*\\$/.test(text)) text = text.slice(0, -1); // escaped break
    else text = text.replace(/[ \t]+$/, "") + " ";
    text += line;
    pendingBreaks = 0;
  }
  return text;
}

const ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r",
  e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029",
};

function unescapeDouble(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, code: string) => {
    if (code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return ESCAPES[code] ?? code;
  });
}

/** The value of a YAML scalar given the lines of its entry; null for null/~/empty. */
export function yamlScalar(lines: string[]): string | null {
  const first = lines[0].trim();
  if (first.startsWith("'")) {
    const text = fold([first, ...lines.slice(1)]).trim();
    return text.slice(1, text.endsWith("'") ? -1 : undefined).replace(/''/g, "'");
  }
  if (first.startsWith('"')) {
    const text = fold([first, ...lines.slice(1)], true).trim();
    return unescapeDouble(text.slice(1, text.endsWith('"') ? -1 : undefined));
  }
  if (/^[|>]/.test(first)) {
    const body = lines.slice(1);
    const content = body.filter((l) => l.trim());
    const indent = content.length ? Math.min(...content.map(indentOf)) : 0;
    const dedented = body.map((l) => l.slice(indent));
    while (dedented.length && !dedented[dedented.length - 1].trim()) dedented.pop();
    const keep = first.includes("+") ? "\n" : first.includes("-") ? "" : "\n";
    if (first.startsWith("|")) return dedented.join("\n") + keep;
    return fold(["", ...dedented]).replace(/^ /, "") + keep;
  }
  const text = fold([first, ...lines.slice(1)]).trim();
  return text === "" || text === "null" || text === "~" || text === "Null" || text === "NULL" ? null : text;
}

/** A readable type: "double", "tensor int64 [-1, 4]", "array<string>", "object{a: long}". */
export function describeType(spec: unknown): string {
  if (typeof spec === "string") return spec;
  if (!spec || typeof spec !== "object") return "unknown";
  const s = spec as Record<string, unknown>;
  if (s.type === "tensor") {
    const t = (s["tensor-spec"] ?? {}) as { dtype?: string; shape?: unknown[] };
    return `tensor ${t.dtype ?? "?"} [${(t.shape ?? []).join(", ")}]`;
  }
  if (s.type === "array") return `array<${describeType(s.items)}>`;
  if (s.type === "map") return `map<string, ${describeType(s.values)}>`;
  if (s.type === "object") {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    return `object{${Object.entries(props).map(([k, v]) => `${k}: ${describeType(v)}`).join(", ")}}`;
  }
  if (typeof s.type === "string") return s.type;
  return JSON.stringify(spec);
}

function fields(json: string | null): SignatureField[] | null {
  if (json === null) return null;
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return null;
  return parsed.map((item) => {
    const spec = (item ?? {}) as Record<string, unknown>;
    return {
      name: typeof spec.name === "string" ? spec.name : null,
      type: describeType(spec),
      required: spec.required !== false,
    };
  });
}

function params(json: string | null): SignatureParam[] | null {
  if (json === null) return null;
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return null;
  return parsed.map((item) => {
    const spec = (item ?? {}) as Record<string, unknown>;
    const shape = Array.isArray(spec.shape) ? ` [${spec.shape.join(", ")}]` : "";
    return {
      name: String(spec.name ?? ""),
      type: `${describeType(spec.type ?? spec)}${shape}`,
      default: spec.default === undefined ? "" : JSON.stringify(spec.default),
    };
  });
}

/** The signature in an MLmodel file, or null when it has none (or it cannot be read). */
export function parseSignature(mlmodel: string): ModelSignature | null {
  const lines = mlmodel.replace(/\r\n?/g, "\n").split("\n");
  const block = entryLines(lines, "signature", 0);
  if (!block) return null;
  if (block[0].trim() && yamlScalar([block[0]]) === null) return null; // signature: null
  const body = block.slice(1).filter((l) => !l.trimStart().startsWith("#"));
  const content = body.filter((l) => l.trim());
  if (!content.length) return null;
  const indent = indentOf(content[0]);
  const value = (key: string) => {
    const entry = entryLines(body, key, indent);
    return entry ? yamlScalar(entry) : null;
  };
  try {
    const signature = { inputs: fields(value("inputs")), outputs: fields(value("outputs")), params: params(value("params")) };
    return signature.inputs || signature.outputs || signature.params ? signature : null;
  } catch {
    return null;
  }
}
