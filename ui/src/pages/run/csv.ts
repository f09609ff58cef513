// A small RFC 4180 style CSV/TSV parser for artifact previews: quoted fields with embedded
// delimiters, newlines and doubled quotes, CRLF or LF line ends, ragged rows kept as they
// are, blank lines skipped. It stops after `maxRows` rows so a huge file never builds a huge table.

export interface CsvResult {
  rows: string[][];
  /** true when rows were left out because of `maxRows`. */
  truncated: boolean;
  /** The widest row's field count. */
  columns: number;
}

export function parseCsv(text: string, options: { delimiter?: string; maxRows?: number } = {}): CsvResult {
  const delimiter = options.delimiter ?? ",";
  const maxRows = options.maxRows ?? Infinity;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let fieldStarted = false;
  let columns = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;

  const endRow = () => {
    if (row.length === 0 && field === "" && !fieldStarted) return; // a blank line
    row.push(field);
    rows.push(row);
    columns = Math.max(columns, row.length);
    row = [];
    field = "";
    fieldStarted = false;
  };

  while (i < n) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (ch === delimiter) {
      row.push(field);
      field = "";
      fieldStarted = false;
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRow();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      if (rows.length >= maxRows) {
        return { rows, truncated: hasContent(text, i), columns };
      }
      continue;
    }
    field += ch;
    fieldStarted = true;
    i++;
  }
  if (fieldStarted || field !== "" || row.length > 0) endRow();
  return { rows, truncated: false, columns };
}

function hasContent(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== "\r" && text[i] !== "\n") return true;
  }
  return false;
}

/** Drop a last row that may have been cut by a byte limit (the text ended mid-file). */
export function dropPartialLastRow(text: string, rows: string[][]): string[][] {
  if (rows.length > 1 && !/[\r\n]$/.test(text)) return rows.slice(0, -1);
  return rows;
}
