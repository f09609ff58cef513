import { describe, expect, it } from "vitest";
import { dropPartialLastRow, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("parses plain rows", () => {
    const { rows, truncated, columns } = parseCsv("a,b,c\n1,2,3\n4,5,6\n");
    expect(rows).toEqual([["a", "b", "c"], ["1", "2", "3"], ["4", "5", "6"]]);
    expect(truncated).toBe(false);
    expect(columns).toBe(3);
  });

  it("handles quoted fields with commas, doubled quotes and newlines", () => {
    const { rows } = parseCsv('name,comment\r\n"Smith, J.","said ""hi""\nthen left"\r\nx,""\r\n');
    expect(rows).toEqual([["name", "comment"], ["Smith, J.", 'said "hi"\nthen left'], ["x", ""]]);
  });

  it("keeps ragged rows and empty fields, skips blank lines", () => {
    const { rows, columns } = parseCsv("a,b\n1\n\n2,3,4\n,\n");
    expect(rows).toEqual([["a", "b"], ["1"], ["2", "3", "4"], ["", ""]]);
    expect(columns).toBe(3);
  });

  it("parses a last line without newline and strips a BOM", () => {
    expect(parseCsv("\uFEFFx,y\n1,2").rows).toEqual([["x", "y"], ["1", "2"]]);
  });

  it("keeps quotes that are not at the start of a field", () => {
    expect(parseCsv('5"6,a"b\n').rows).toEqual([['5"6', 'a"b']]);
  });

  it("parses TSV with a tab delimiter", () => {
    expect(parseCsv("a\tb,c\n1\t2\n", { delimiter: "\t" }).rows).toEqual([["a", "b,c"], ["1", "2"]]);
  });

  it("stops at maxRows and says so", () => {
    const text = Array.from({ length: 10 }, (_, i) => `${i},v${i}`).join("\n") + "\n";
    const result = parseCsv(text, { maxRows: 4 });
    expect(result.rows.length).toBe(4);
    expect(result.truncated).toBe(true);
    expect(parseCsv("a\nb\n", { maxRows: 2 }).truncated).toBe(false);
  });

  it("drops a row cut by a byte limit", () => {
    const text = "a,b\n1,2\n3,";
    expect(dropPartialLastRow(text, parseCsv(text).rows)).toEqual([["a", "b"], ["1", "2"]]);
    expect(dropPartialLastRow("a\n", [["a"]])).toEqual([["a"]]);
  });
});
