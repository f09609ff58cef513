// The artifact previews that show fetched text: plain text, JSON (pretty-printed), YAML
// (light key/comment colouring), CSV/TSV (a table) and images.
import type { ComponentChildren } from "preact";
import { useMemo, useState } from "preact/hooks";
import { dropPartialLastRow, parseCsv } from "./csv";
import { CSV_MAX_ROWS } from "./fileTypes";

/** Colouring builds one element per token: only for texts up to this size. */
const HIGHLIGHT_MAX_CHARS = 200_000;

export function TextPreview({ text }: { text: string }) {
  return <pre class="artifact-text" data-testid="artifact-text">{text}</pre>;
}

const JSON_TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

export function highlightJson(pretty: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const match of pretty.matchAll(JSON_TOKEN)) {
    const at = match.index ?? 0;
    if (at > last) out.push(pretty.slice(last, at));
    if (match[1]) {
      out.push(<span class={match[2] ? "tok-key" : "tok-string"}>{match[1]}</span>);
      if (match[2]) out.push(match[2]);
    } else if (match[3]) {
      out.push(<span class="tok-literal">{match[3]}</span>);
    } else {
      out.push(<span class="tok-number">{match[4]}</span>);
    }
    last = at + match[0].length;
  }
  if (last < pretty.length) out.push(pretty.slice(last));
  return out;
}

export function JsonPreview({ text, truncated }: { text: string; truncated: boolean }) {
  const result = useMemo(() => {
    if (truncated) return { error: "The file is too large to pretty-print; it is shown as text." };
    try {
      return { pretty: JSON.stringify(JSON.parse(text), null, 2) };
    } catch (error) {
      return { error: `Not valid JSON (${(error as Error).message}); shown as text.` };
    }
  }, [text, truncated]);
  if (result.pretty === undefined) {
    return (
      <>
        <div class="preview-note">{result.error}</div>
        <TextPreview text={text} />
      </>
    );
  }
  const pretty = result.pretty;
  return (
    <pre class="artifact-text artifact-json" data-testid="artifact-json">
      {pretty.length <= HIGHLIGHT_MAX_CHARS ? highlightJson(pretty) : pretty}
    </pre>
  );
}

function yamlLine(line: string): ComponentChildren {
  const comment = /^(\s*)(#.*)$/.exec(line);
  if (comment) return [comment[1], <span class="tok-comment">{comment[2]}</span>];
  const entry = /^(\s*(?:- )*)([^\s#'"][^:]*?|"[^"]*"|'[^']*')(:)(\s.*|$)/.exec(line);
  if (entry) return [entry[1], <span class="tok-key">{entry[2]}</span>, entry[3], entry[4]];
  return line;
}

export function YamlPreview({ text }: { text: string }) {
  if (text.length > HIGHLIGHT_MAX_CHARS) return <TextPreview text={text} />;
  const lines = text.split("\n");
  return (
    <pre class="artifact-text artifact-yaml" data-testid="artifact-yaml">
      {lines.map((line, i) => <>{yamlLine(line)}{i < lines.length - 1 ? "\n" : ""}</>)}
    </pre>
  );
}

export function CsvPreview({ text, truncated, delimiter }: { text: string; truncated: boolean; delimiter: string }) {
  const [filter, setFilter] = useState("");
  const parsed = useMemo(() => {
    const result = parseCsv(text, { delimiter, maxRows: CSV_MAX_ROWS + 1 });
    const rows = truncated && !result.truncated ? dropPartialLastRow(text, result.rows) : result.rows;
    return { rows, more: result.truncated || truncated, columns: result.columns };
  }, [text, delimiter, truncated]);
  if (parsed.rows.length === 0) return <div class="muted preview-note">The file is empty.</div>;
  const [header, ...body] = parsed.rows;
  const shown = body.slice(0, CSV_MAX_ROWS);
  const needle = filter.trim().toLowerCase();
  const numbered = shown.map((row, index) => ({ row, index }));
  const visible = needle
    ? numbered.filter(({ row }) => row.some((cell) => cell.toLowerCase().includes(needle)))
    : numbered;
  const width = Math.max(parsed.columns, header.length);
  const cols = Array.from({ length: width }, (_, i) => i);
  return (
    <div class="csv-preview">
      <div class="toolbar">
        <span class="muted" data-testid="csv-summary">
          {shown.length} row{shown.length === 1 ? "" : "s"} × {width} column{width === 1 ? "" : "s"}
          {parsed.more || body.length > CSV_MAX_ROWS ? ` (the first ${CSV_MAX_ROWS.toLocaleString()} rows; download the file for all of them)` : ""}
        </span>
        <span class="spacer" />
        {shown.length > 20 && (
          <input type="search" placeholder="Filter rows" aria-label="Filter rows" value={filter}
            onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        )}
      </div>
      <div class="csv-scroll">
        <table class="table csv-table" data-testid="csv-table">
          <thead><tr><th class="rownum">#</th>{cols.map((i) => <th key={i}>{header[i] ?? ""}</th>)}</tr></thead>
          <tbody>
            {visible.map(({ row, index }) => (
              <tr key={index}>
                <td class="rownum muted">{index + 1}</td>
                {cols.map((i) => <td key={i} class={i >= row.length ? "missing" : ""}>{row[i] ?? ""}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {needle && visible.length === 0 && <div class="muted preview-note">No row contains “{filter}”.</div>}
    </div>
  );
}

export function ImagePreview({ url, name }: { url: string; name: string }) {
  const [state, setState] = useState<"loading" | "loaded" | "error">("loading");
  const [size, setSize] = useState<{ w: number; h: number } | undefined>(undefined);
  return (
    <div class="image-preview" data-state={state}>
      {state === "error" && <div class="state state-error" role="alert">The image could not be loaded.</div>}
      <div class="image-frame">
        <img src={url} alt={name} data-testid="artifact-image"
          onLoad={(e) => {
            const img = e.currentTarget as HTMLImageElement;
            setSize({ w: img.naturalWidth, h: img.naturalHeight });
            setState("loaded");
          }}
          onError={() => setState("error")} />
      </div>
      {size && <div class="muted preview-note">{size.w} × {size.h} px</div>}
    </div>
  );
}
