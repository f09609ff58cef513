// Search filters for the registry endpoints, built from user text so that quotes, `%`, `_` and
// backslashes in a name can never break (or widen) the server's filter grammar.
//
// The filter tokenizer reads a quote inside a quoted string as escaped when it is doubled or
// when a backslash precedes it. So a string literal can hold any text except a backslash
// right before a quote (or at the very end, before the closing quote).

/** `value` as a filter string literal ('…' or "…"), or null when it cannot be written exactly. */
export function filterString(value: string): string | null {
  for (const quote of ["'", '"']) {
    if (value.includes(`\\${quote}`) || value.endsWith("\\")) continue;
    return quote + value.split(quote).join(quote + quote) + quote;
  }
  return null;
}

/** Escape the LIKE wildcards (`%`, `_`) and the escape character itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern safe in any quoting: `'` and `\` of the text become the `_` wildcard. */
function looseLike(text: string): string {
  return text.replace(/[%_]/g, (c) => `\\${c}`).replace(/['"\\]/g, "_");
}

/** Filter for registered models whose name contains `text` (case-insensitive); "" for none. */
export function nameContainsFilter(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return "";
  const exact = filterString(`%${escapeLike(trimmed)}%`);
  return `name ILIKE ${exact ?? `'%${looseLike(trimmed)}%'`}`;
}

/** Filter for the versions of model `name`. When the name cannot be quoted exactly the filter
 * may match a few more models: callers keep only `version.name === name` (see `exact`). */
export function modelNameFilter(name: string): { filter: string; exact: boolean } {
  const literal = filterString(name);
  if (literal) return { filter: `name = ${literal}`, exact: true };
  return { filter: `name LIKE '${looseLike(name)}'`, exact: false };
}
