import { describe, expect, it } from "vitest";
import { aliasesByVersion, aliasHolder, aliasProblem, sortedAliases } from "./aliases";

const aliases = [
  { alias: "prod", version: "2" },
  { alias: "champion", version: "1" },
  { alias: "blue", version: "2" },
];

describe("aliasesByVersion", () => {
  it("groups and sorts aliases per version", () => {
    const grouped = aliasesByVersion(aliases);
    expect(grouped.get("2")).toEqual(["blue", "prod"]);
    expect(grouped.get("1")).toEqual(["champion"]);
    expect(grouped.has("3")).toBe(false);
  });
  it("handles missing aliases", () => {
    expect(aliasesByVersion(undefined).size).toBe(0);
  });
});

describe("aliasHolder / sortedAliases", () => {
  it("finds who holds an alias", () => {
    expect(aliasHolder(aliases, "prod")).toBe("2");
    expect(aliasHolder(aliases, "nope")).toBeUndefined();
  });
  it("sorts by name", () => {
    expect(sortedAliases(aliases).map((a) => a.alias)).toEqual(["blue", "champion", "prod"]);
  });
});

describe("aliasProblem", () => {
  it("accepts valid aliases", () => {
    expect(aliasProblem("champion")).toBeUndefined();
    expect(aliasProblem("blue-2_x")).toBeUndefined();
  });
  it("refuses invalid or reserved ones", () => {
    expect(aliasProblem("")).toMatch(/Enter/);
    expect(aliasProblem("has space")).toMatch(/letters/);
    expect(aliasProblem("latest")).toMatch(/reserved/);
    expect(aliasProblem("V3")).toMatch(/reserved/);
    expect(aliasProblem("x".repeat(256))).toMatch(/255/);
  });
});
