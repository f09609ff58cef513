import { describe, expect, it } from "vitest";
import { buildForest, COLLAPSED, flattenForest, isExpanded, toggleExpanded } from "./tree";

const run = (run_id: string, parent_run_id: string | null = null) => ({ run_id, parent_run_id });
const names = (rows: { run: { run_id: string }; depth: number }[]) => rows.map((r) => `${"-".repeat(r.depth)}${r.run.run_id}`);

describe("run tree", () => {
  // Server order (e.g. a metric sort): children may come before their parents.
  const runs = [
    run("g1", "c0"), run("a"), run("c1", "p"), run("p"), run("g0", "c0"), run("c0", "p"), run("orphan", "gone"), run("b"),
  ];

  it("nests depth 3 in the given order when expanded", () => {
    const forest = buildForest(runs);
    expect(forest.roots.map((r) => r.run_id)).toEqual(["a", "p", "orphan", "b"]);
    const rows = flattenForest(forest, () => true);
    expect(names(rows)).toEqual(["a", "p", "-c1", "-c0", "--g1", "--g0", "orphan", "b"]);
    expect(rows.find((r) => r.run.run_id === "p")?.childCount).toBe(2);
    expect(rows.find((r) => r.run.run_id === "c0")?.childCount).toBe(2);
  });

  it("shows only roots when collapsed and one level per expansion", () => {
    const forest = buildForest(runs);
    expect(names(flattenForest(forest, (id) => isExpanded(COLLAPSED, id)))).toEqual(["a", "p", "orphan", "b"]);
    let state = toggleExpanded(COLLAPSED, "p");
    expect(names(flattenForest(forest, (id) => isExpanded(state, id)))).toEqual(["a", "p", "-c1", "-c0", "orphan", "b"]);
    state = toggleExpanded(state, "c0");
    expect(names(flattenForest(forest, (id) => isExpanded(state, id)))).toContain("--g0");
    state = toggleExpanded(state, "p");
    expect(names(flattenForest(forest, (id) => isExpanded(state, id)))).toEqual(["a", "p", "orphan", "b"]);
  });

  it("keeps expand state for parents that arrive with a later page", () => {
    const state = { all: true, toggled: new Set(["x"]) };
    expect(isExpanded(state, "new-parent")).toBe(true);
    expect(isExpanded(state, "x")).toBe(false);
  });

  it("treats runs whose parent is not loaded as roots", () => {
    const forest = buildForest([run("c", "missing"), run("d", "c")]);
    expect(names(flattenForest(forest, () => true))).toEqual(["c", "-d"]);
  });

  it("breaks parent cycles and self-parents so every run shows once", () => {
    const forest = buildForest([run("x", "y"), run("y", "x"), run("s", "s"), run("z", "x")]);
    const rows = flattenForest(forest, () => true);
    expect(rows.map((r) => r.run.run_id).sort()).toEqual(["s", "x", "y", "z"]);
  });

  it("handles 10,000 runs quickly", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => run(`r${i}`, i % 10 ? `r${i - (i % 10)}` : null));
    const started = performance.now();
    const rows = flattenForest(buildForest(many), () => true);
    expect(rows.length).toBe(10_000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
