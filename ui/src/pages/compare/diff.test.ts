import { describe, expect, it } from "vitest";
import {
  allKeys, commonKeys, defaultDimensions, diffRows, extremes, flattenRun, isNumeric, parseFieldId,
  parseIdList, valuesDiffer,
} from "./diff";
import { makeRun } from "./testRuns";

describe("parseIdList", () => {
  it("reads comma lists and MLflow's JSON arrays", () => {
    expect(parseIdList("a,b,c")).toEqual(["a", "b", "c"]);
    expect(parseIdList('["a","b"]')).toEqual(["a", "b"]);
    expect(parseIdList(" a , ,b,a ")).toEqual(["a", "b"]);
    expect(parseIdList("[a,b")).toEqual(["a", "b"]);
    expect(parseIdList("")).toEqual([]);
    expect(parseIdList(null)).toEqual([]);
    expect(parseIdList("[1, 2]")).toEqual(["1", "2"]);
  });
});

describe("isNumeric", () => {
  it("accepts decimal numbers only", () => {
    for (const ok of ["0.01", "-3", "1e-4", "+2.5", ".5", "10.", " 7 ", 3]) expect(isNumeric(ok)).toBe(true);
    for (const bad of ["", "NaN", "Infinity", "0x10", "adam", "1,5", "1e", NaN, undefined]) expect(isNumeric(bad)).toBe(false);
  });
});

describe("diff rows", () => {
  const runs = [
    flattenRun(makeRun("a", { lr: "0.1", opt: "adam" }, { loss: 0.5, f1: 0.7 }), "#111"),
    flattenRun(makeRun("b", { lr: "0.1", opt: "sgd", extra: "x" }, { loss: 0.3, f1: 0.7 }), "#222"),
    flattenRun(makeRun("c", { lr: "0.1", opt: "adam" }, { loss: 0.4 }), "#333"),
  ];
  it("marks the rows whose values differ, missing values included", () => {
    const rows = diffRows(runs, "param");
    expect(rows.map((r) => r.key)).toEqual(["extra", "lr", "opt"]);
    expect(rows.map((r) => r.differs)).toEqual([true, false, true]);
    expect(rows[0].values).toEqual([undefined, "x", undefined]);
    const metrics = diffRows(runs, "metric");
    expect(metrics.find((r) => r.key === "f1")?.differs).toBe(true);
    expect(metrics.find((r) => r.key === "loss")?.differs).toBe(true);
  });
  it("finds keys and default dimensions", () => {
    expect(allKeys(runs, "metric")).toEqual(["f1", "loss"]);
    expect(commonKeys(runs, "metric")).toEqual(["loss"]);
    expect(commonKeys(runs, "param")).toEqual(["lr", "opt"]);
    expect(defaultDimensions(runs)).toEqual(["param:opt", "metric:f1", "metric:loss"]);
    expect(defaultDimensions(runs.slice(1, 2))).toEqual(["metric:f1", "metric:loss"]);
  });
  it("treats NaN as equal to NaN and a single run as not differing", () => {
    expect(valuesDiffer([NaN, NaN])).toBe(false);
    expect(valuesDiffer(["a"])).toBe(false);
    expect(valuesDiffer(["a", undefined])).toBe(true);
  });
  it("finds the min and max of a row", () => {
    expect(extremes([0.5, 0.3, 0.4])).toEqual({ min: [1], max: [0] });
    expect(extremes([1, 1, undefined])).toBeUndefined();
    expect(extremes([NaN, 2, 3, 3])).toEqual({ min: [1], max: [2, 3] });
  });
  it("flattens NaN metrics and parses field ids", () => {
    const run = flattenRun(makeRun("d", {}, { x: "NaN" }), "#000");
    expect(Number.isNaN(run.metrics.x)).toBe(true);
    expect(parseFieldId("metric:a:b")).toEqual({ id: "metric:a:b", kind: "metric", key: "a:b" });
    expect(parseFieldId("tag:x")).toBeUndefined();
  });
});

