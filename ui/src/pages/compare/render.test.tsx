// jsdom render tests of the diff tables and the parallel coordinates.
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { DiffTable } from "./CompareTables";
import { flattenRun } from "./diff";
import { makeRun } from "./testRuns";
import { brushedRuns, linePath, ParallelCoordinates } from "./ParallelCoordinates";
import { ScatterPlot } from "./ScatterPlot";
import { fieldsOf } from "./FieldSelect";

const runs = [
  flattenRun(makeRun("a", { lr: "0.001", batch_size: "32", optimizer: "sgd" }, { loss: 0.5, f1: 0.5 }), "#1f77b4"),
  flattenRun(makeRun("b", { lr: "0.003", batch_size: "32", optimizer: "adam" }, { loss: 0.3, f1: 0.535 }), "#e8590c"),
  flattenRun(makeRun("c", { lr: "0.01", batch_size: "32", optimizer: "adam" }, { loss: 0.4, f1: 0.57 }), "#2f9e44"),
];
const fields = fieldsOf(["batch_size", "lr", "optimizer"], ["f1", "loss"]);

let root: HTMLElement | undefined;
function mount(node: preact.VNode): HTMLElement {
  root = document.createElement("div");
  document.body.appendChild(root);
  act(() => render(node, root as HTMLElement));
  return root;
}
afterEach(() => {
  if (root) {
    render(null, root);
    root.remove();
    root = undefined;
  }
});

describe("DiffTable", () => {
  it("renders one row per param with differing rows marked", () => {
    const el = mount(<DiffTable runs={runs} kind="param" onlyDiff={false} />);
    const rows = [...el.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.getAttribute("data-key"))).toEqual(["batch_size", "lr", "optimizer"]);
    expect(rows.map((r) => r.classList.contains("diff"))).toEqual([false, true, true]);
    expect(el.querySelectorAll("thead th")).toHaveLength(4);
    expect(rows[1].querySelectorAll("td")[2].textContent).toBe("0.01");
  });
  it("hides identical rows with only-differences", () => {
    const el = mount(<DiffTable runs={runs} kind="param" onlyDiff />);
    expect([...el.querySelectorAll("tbody tr")].map((r) => r.getAttribute("data-key"))).toEqual(["lr", "optimizer"]);
  });
  it("emphasizes the min and max metric of a row", () => {
    const el = mount(<DiffTable runs={runs} kind="metric" onlyDiff={false} />);
    const loss = el.querySelector('tr[data-key="loss"]') as HTMLElement;
    const cells = [...loss.querySelectorAll("td")];
    expect(cells[0].classList.contains("metric-max")).toBe(true);
    expect(cells[1].classList.contains("metric-min")).toBe(true);
    expect(cells[2].className).not.toMatch(/metric-m/);
  });
});

describe("ParallelCoordinates", () => {
  it("draws one polyline per run and one axis per dimension", () => {
    const dims = ["param:lr", "param:optimizer", "metric:f1", "metric:loss"];
    const el = mount(<ParallelCoordinates runs={runs} fields={fields} dims={dims} onDimsChange={() => undefined} />);
    expect(el.querySelectorAll("path.pc-line")).toHaveLength(3);
    expect(el.querySelectorAll('[data-testid="pc-axis"]')).toHaveLength(4);
    const line = el.querySelector('path.pc-line[data-run-id="b"]') as SVGPathElement;
    expect(line.getAttribute("d")?.match(/[ML]/g)).toEqual(["M", "L", "L", "L"]);
    const labels = [...el.querySelectorAll(".pc-axis .cmp-axis-label")].map((t) => t.textContent);
    expect(labels).toEqual(["params.lr", "params.optimizer", "metrics.f1", "metrics.loss"]);
    const optimizerTicks = [...el.querySelectorAll(".pc-axis")][1].querySelectorAll(".pc-tick");
    expect([...optimizerTicks].map((t) => t.textContent)).toEqual(["adam", "sgd"]);
  });
  it("shows a message without dimensions", () => {
    const el = mount(<ParallelCoordinates runs={runs} fields={fields} dims={[]} onDimsChange={() => undefined} />);
    expect(el.querySelectorAll("path.pc-line")).toHaveLength(0);
    expect(el.textContent).toContain("Choose at least one axis");
  });
  it("brushes and breaks lines at missing values", () => {
    const positions = [[10, 20], [30, undefined], [50, 60]];
    expect([...brushedRuns(positions, ["x", "y"], {})]).toEqual([0, 1, 2]);
    expect([...brushedRuns(positions, ["x", "y"], { x: [0, 40] })]).toEqual([0, 1]);
    expect([...brushedRuns(positions, ["x", "y"], { x: [0, 40], y: [0, 100] })]).toEqual([0]);
    expect(linePath([0, 10, 20], [5, undefined, 7])).toBe("M0.0,5.0M20.0,7.0");
  });
});

describe("ScatterPlot", () => {
  it("draws one point per run", () => {
    const el = mount(<ScatterPlot runs={runs} fields={fields} x="param:lr" y="metric:f1" onChange={() => undefined} />);
    expect(el.querySelectorAll("circle.scatter-point")).toHaveLength(3);
    expect((el.querySelector('[data-testid="scatter-x"]') as HTMLSelectElement).value).toBe("param:lr");
  });
});
