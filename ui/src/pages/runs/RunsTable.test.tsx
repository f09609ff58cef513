import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TableRun } from "../../api/types";
import { RunsTable, ROW_HEIGHT } from "./RunsTable";
import { buildForest, flattenForest } from "./tree";
import { DEFAULT_SORT } from "./urlState";

function makeRun(i: number, parent: string | null = null): TableRun {
  return {
    run_id: `run${i}`, run_name: `run-${i}`, experiment_id: "1", status: "FINISHED",
    start_time: 1_700_000_000_000 + i, end_time: 1_700_000_001_000 + i, lifecycle_stage: "active",
    user_id: "me", parent_run_id: parent, source_name: "/src/train.py", source_type: "LOCAL", git_commit: "",
    has_model: i % 7 === 0, params: { lr: String(i / 1000) }, metrics: { f1: i / 10_000 }, tags: {},
  };
}

let host: HTMLDivElement;
beforeEach(() => { host = document.createElement("div"); document.body.appendChild(host); });
afterEach(() => { render(null, host); host.remove(); });

function renderTable(runs: TableRun[], extra: { selected?: Set<string>; onOpen?: (r: TableRun) => void; toggled?: number[] } = {}) {
  const rows = flattenForest(buildForest(runs), () => true);
  act(() => {
    render(
      <RunsTable rows={rows} columns={[{ type: "metrics", key: "f1" }, { type: "params", key: "lr" }]}
        showExperiment={false} experimentNames={{}} sort={DEFAULT_SORT} onSort={() => undefined}
        selected={extra.selected ?? new Set()} selectAll="none" onToggleAll={() => undefined}
        onToggleSelected={(i) => extra.toggled?.push(i)} onToggleExpand={() => undefined}
        onOpen={extra.onOpen ?? (() => undefined)} />,
      host,
    );
  });
  return rows;
}

describe("RunsTable", () => {
  it("renders only a window of 10,000 runs and keeps the full scroll height", () => {
    const runs = Array.from({ length: 10_000 }, (_, i) => makeRun(i));
    renderTable(runs);
    const rendered = host.querySelectorAll('[data-testid="run-row"]');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0].getAttribute("data-run-id")).toBe("run0");
    const spacers = [...host.querySelectorAll<HTMLTableCellElement>("tr.spacer td")];
    const padding = spacers.reduce((sum, td) => sum + parseFloat(td.style.height), 0);
    expect(padding + rendered.length * ROW_HEIGHT).toBe(10_000 * ROW_HEIGHT);
  });

  it("moves the window when scrolled", () => {
    renderTable(Array.from({ length: 10_000 }, (_, i) => makeRun(i)));
    const scroller = host.querySelector<HTMLDivElement>('[data-testid="runs-table"]')!;
    act(() => {
      scroller.scrollTop = 5000 * ROW_HEIGHT;
      scroller.dispatchEvent(new Event("scroll"));
    });
    const ids = [...host.querySelectorAll('[data-testid="run-row"]')].map((r) => r.getAttribute("data-run-id"));
    expect(ids).toContain("run5000");
    expect(ids).not.toContain("run0");
    expect(ids.length).toBeLessThan(60);
  });

  it("shows metrics, params, tree indentation and the child count", () => {
    renderTable([makeRun(1), makeRun(2, "run1"), makeRun(3, "run2")]);
    const rows = [...host.querySelectorAll<HTMLElement>('[data-testid="run-row"]')];
    expect(rows.map((r) => r.dataset.runId)).toEqual(["run1", "run2", "run3"]);
    expect(rows[0].textContent).toContain("0.0001");
    expect(rows[0].querySelector(".child-count")?.textContent).toBe("1");
    const indent = rows[2].querySelector<HTMLElement>(".name-cell")!.style.paddingLeft;
    expect(indent).toBe("36px");
    expect(host.querySelector(".group-metrics")?.textContent).toBe("Metrics");
  });

  it("supports keyboard: arrows move focus, space selects, enter opens", () => {
    const opened: string[] = [];
    const toggled: number[] = [];
    renderTable([makeRun(1), makeRun(2), makeRun(3)], { onOpen: (r) => opened.push(r.run_id), toggled });
    const rows = () => [...host.querySelectorAll<HTMLElement>('[data-testid="run-row"]')];
    expect(rows()[0].tabIndex).toBe(0);
    rows()[0].focus();
    act(() => { rows()[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true })); });
    expect(document.activeElement).toBe(rows()[1]);
    act(() => { rows()[1].dispatchEvent(new KeyboardEvent("keydown", { key: " ", bubbles: true })); });
    expect(toggled).toEqual([1]);
    act(() => { rows()[1].dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true })); });
    expect(opened).toEqual(["run2"]);
  });
});
