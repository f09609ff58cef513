// Autocomplete for the run filter box: the word under the caret is completed to an entity
// prefix (metrics., params., tags., attributes.) or to a key of the experiment, with backticks
// when the key is not a bare identifier.

export interface KeySource {
  metrics: readonly string[];
  params: readonly string[];
  tags: readonly string[];
}

export type SuggestionKind = "entity" | "metrics" | "params" | "tags" | "attributes";

export interface Suggestion {
  /** The text replacing the word under the caret. */
  insert: string;
  kind: SuggestionKind;
  /** The key (or prefix) shown in the list. */
  label: string;
}

export interface SuggestResult {
  /** The replaced range [from, to) of the input text. */
  from: number;
  to: number;
  items: Suggestion[];
  /** How many matched in all (items holds at most `limit`). */
  total: number;
}

export const ATTRIBUTE_KEYS = [
  "run_id", "run_name", "status", "user_id", "start_time", "end_time", "artifact_uri",
] as const;

const ENTITY_PREFIXES: { name: string; kind: SuggestionKind }[] = [
  { name: "metrics", kind: "metrics" },
  { name: "params", kind: "params" },
  { name: "tags", kind: "tags" },
  { name: "attributes", kind: "attributes" },
];

const ENTITY_ALIASES: Record<string, SuggestionKind> = {
  metric: "metrics", metrics: "metrics",
  param: "params", params: "params", parameter: "params", parameters: "params",
  tag: "tags", tags: "tags",
  attribute: "attributes", attributes: "attributes", attr: "attributes", run: "attributes",
};

const DELIMITERS = new Set([" ", "\t", "\n", "(", ")", ",", "=", "<", ">", "!"]);
const BARE_KEY = /^[A-Za-z0-9_.]+$/;

/** A key as the filter grammar needs it: bare when it is a plain identifier, else `quoted`. */
export function quoteKey(key: string): string {
  return BARE_KEY.test(key) && !key.endsWith(".") ? key : `\`${key}\``;
}

/** "metrics.f1", "params.`batch size`": an entity key reference for filters and order_by. */
export function keyRef(entity: "metrics" | "params" | "tags" | "attributes", key: string): string {
  return `${entity}.${quoteKey(key)}`;
}

interface WordAt {
  start: number;
  end: number;
  /** The quote the caret is inside of, if any. */
  quote: string | null;
}

/** The word around `cursor` (delimiters outside quotes end words). */
export function wordAt(text: string, cursor: number): WordAt {
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < cursor; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"' || char === "`") {
      quote = char;
    } else if (DELIMITERS.has(char)) {
      start = i + 1;
    }
  }
  let end = cursor;
  if (quote !== "'") {
    let inside = quote;
    while (end < text.length) {
      const char = text[end];
      if (inside) {
        end++;
        if (char === inside) inside = null;
        continue;
      }
      if (DELIMITERS.has(char) || char === "'") break;
      if (char === '"' || char === "`") inside = char;
      end++;
    }
  }
  return { start, end, quote };
}

/** Whether a key may start at `start`: at the beginning, after "(", "and", "or" or "not". */
function inKeyPosition(text: string, start: number): boolean {
  const before = text.slice(0, start).trimEnd();
  return before === "" || /(^|[\s(])(and|or|not)$/i.test(before) || before.endsWith("(");
}

function rank(keys: readonly string[], needle: string): string[] {
  const lower = needle.toLowerCase();
  if (!lower) return [...keys];
  const prefix: string[] = [];
  const inner: string[] = [];
  for (const key of keys) {
    const at = key.toLowerCase().indexOf(lower);
    if (at === 0) prefix.push(key);
    else if (at > 0) inner.push(key);
  }
  return prefix.concat(inner);
}

function keysOf(source: KeySource, kind: SuggestionKind): readonly string[] {
  if (kind === "attributes") return ATTRIBUTE_KEYS;
  if (kind === "entity") return [];
  return source[kind];
}

export function suggest(text: string, cursor: number, source: KeySource, limit = 50): SuggestResult | null {
  const word = wordAt(text, cursor);
  if (word.quote === "'") return null;
  const token = text.slice(word.start, cursor);
  const dot = token.indexOf(".");
  const all: Suggestion[] = [];
  if (dot > 0) {
    const kind = ENTITY_ALIASES[token.slice(0, dot).toLowerCase()];
    if (!kind) return null;
    const entity = token.slice(0, dot);
    const partial = token.slice(dot + 1).replace(/^[`"]/, "").replace(/[`"]$/, "");
    for (const key of rank(keysOf(source, kind), partial)) {
      all.push({ insert: `${entity}.${quoteKey(key)}`, kind, label: key });
    }
  } else {
    if (!inKeyPosition(text, word.start)) return null;
    if (token.startsWith("`") || token.startsWith('"')) return null;
    const lower = token.toLowerCase();
    for (const entity of ENTITY_PREFIXES) {
      if (entity.name.startsWith(lower)) all.push({ insert: `${entity.name}.`, kind: "entity", label: `${entity.name}.` });
    }
    if (lower) {
      for (const kind of ["metrics", "params", "tags"] as const) {
        for (const key of rank(source[kind], token)) {
          all.push({ insert: keyRef(kind, key), kind, label: key });
        }
      }
    }
  }
  const current = text.slice(word.start, word.end);
  const useful = all.filter((item) => item.insert !== current);
  if (useful.length === 0) return null;
  return { from: word.start, to: word.end, items: useful.slice(0, limit), total: useful.length };
}

/** The text after choosing `item` and where the caret goes. */
export function applySuggestion(text: string, result: SuggestResult, item: Suggestion): { text: string; cursor: number } {
  const tail = text.slice(result.to);
  const spacer = item.kind === "entity" || tail.startsWith(" ") ? "" : " ";
  const next = text.slice(0, result.from) + item.insert + spacer + tail;
  return { text: next, cursor: result.from + item.insert.length + spacer.length };
}
