import { describe, expect, it } from "vitest";
import { escapeLike, filterString, modelNameFilter, nameContainsFilter } from "./filters";

/** Decode a quoted literal as the server's tokenizer does (doubling or backslash escapes the
 * quote); returns the value and what follows the closing quote. */
function tokenize(literal: string): { value: string; rest: string } {
  const quote = literal[0];
  let value = "";
  for (let i = 1; i < literal.length; i++) {
    const c = literal[i];
    if (c === quote) {
      if (literal[i + 1] === quote) { value += quote; i++; continue; }
      return { value, rest: literal.slice(i + 1) };
    }
    if (c === "\\" && literal[i + 1] === quote) { value += quote; i++; continue; }
    value += c;
  }
  throw new Error(`unterminated: ${literal}`);
}

describe("filterString", () => {
  it("doubles single quotes", () => {
    expect(filterString("it's")).toBe("'it''s'");
    expect(tokenize(filterString("it's")!).value).toBe("it's");
  });
  it("switches to double quotes when a backslash precedes a single quote", () => {
    const literal = filterString("a\\'b")!;
    expect(literal.startsWith('"')).toBe(true);
    expect(tokenize(literal)).toEqual({ value: "a\\'b", rest: "" });
  });
  it("gives up when no quoting can hold the text", () => {
    expect(filterString("ends\\")).toBeNull();
    expect(filterString(`x\\'y\\"z`)).toBeNull();
  });
  it("round-trips awkward names", () => {
    for (const name of ["plain", "o'brien", 'say "hi"', "''", "50%_off", "a\\b", `mix'"\\x`]) {
      const literal = filterString(name);
      if (literal) expect(tokenize(literal)).toEqual({ value: name, rest: "" });
    }
  });
});

describe("escapeLike", () => {
  it("escapes wildcards and backslashes", () => {
    expect(escapeLike("50%_a\\b")).toBe("50\\%\\_a\\\\b");
  });
});

describe("nameContainsFilter", () => {
  it("is empty for blank text", () => {
    expect(nameContainsFilter("   ")).toBe("");
  });
  it("builds an ILIKE contains filter", () => {
    expect(nameContainsFilter(" iris ")).toBe("name ILIKE '%iris%'");
  });
  it("escapes quotes and wildcards", () => {
    const filter = nameContainsFilter("o'k_1%");
    expect(filter).toBe("name ILIKE '%o''k\\_1\\%%'");
    expect(tokenize(filter.slice("name ILIKE ".length))).toEqual({ value: "%o'k\\_1\\%%", rest: "" });
  });
  it("never produces a broken literal", () => {
    for (const text of ["\\", "\\'", `\\'\\"`, "'", '"', "a\\"]) {
      const filter = nameContainsFilter(text);
      const { rest } = tokenize(filter.slice("name ILIKE ".length));
      expect(rest).toBe("");
    }
  });
});

describe("modelNameFilter", () => {
  it("matches the name exactly when it can", () => {
    expect(modelNameFilter("iris-classifier")).toEqual({ filter: "name = 'iris-classifier'", exact: true });
    expect(modelNameFilter("bob's model")).toEqual({ filter: "name = 'bob''s model'", exact: true });
  });
  it("falls back to a LIKE the caller narrows", () => {
    const { filter, exact } = modelNameFilter("odd\\");
    expect(exact).toBe(false);
    expect(filter).toBe("name LIKE 'odd_'");
  });
});
