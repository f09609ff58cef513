// Aliases of a registered model: grouping by version and the server's naming rules.
import type { RegisteredModelAlias } from "../../api/types";

/** version → its aliases (sorted), for every version that has one. */
export function aliasesByVersion(aliases: RegisteredModelAlias[] | undefined): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { alias, version } of aliases ?? []) {
    const key = String(version);
    const list = grouped.get(key);
    if (list) list.push(alias);
    else grouped.set(key, [alias]);
  }
  for (const list of grouped.values()) list.sort((a, b) => a.localeCompare(b));
  return grouped;
}

/** The version that holds `alias`, if any. */
export function aliasHolder(aliases: RegisteredModelAlias[] | undefined, alias: string): string | undefined {
  const found = (aliases ?? []).find((a) => a.alias === alias);
  return found ? String(found.version) : undefined;
}

/** Aliases sorted by name. */
export function sortedAliases(aliases: RegisteredModelAlias[] | undefined): RegisteredModelAlias[] {
  return [...(aliases ?? [])].sort((a, b) => a.alias.localeCompare(b.alias));
}

/** Why `alias` would be refused by the server, or undefined when it is valid. */
export function aliasProblem(alias: string): string | undefined {
  if (!alias) return "Enter an alias.";
  if (!/^[\w-]+$/.test(alias)) return "Aliases may only contain letters, digits, '_' and '-'.";
  if (alias.length > 255) return "Aliases are at most 255 characters.";
  if (alias.toLowerCase() === "latest" || /^[vV]\d+$/.test(alias)) {
    return `'${alias}' is reserved ('latest' and 'v<number>' already name versions).`;
  }
  return undefined;
}
