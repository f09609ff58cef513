// MetricChart in jsdom: state transitions (loading -> drawn / empty / error), the requests it
// makes, legend toggling and drag-zoom. fetch is stubbed here (component tests only) and the
// canvas gets a recording 2D context, since jsdom has no canvas.
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ReducedHistory } from "../api/types";
import { bucketHistory, rawHistory } from "./fixtures";
import { MetricChart, MetricChartsGrid } from "./MetricChart";

type Answer = ReducedHistory | { status: number; body: unknown } | Promise<ReducedHistory>;

let requests: URL[] = [];
let answer: (url: URL) => Answer;
let host: HTMLDivElement;
const calls: string[] = [];

function fakeContext(): CanvasRenderingContext2D {
  return new Proxy({} as Record<string, unknown>, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      if (prop === "measureText") return (t: string) => ({ width: t.length * 6 });
      return (..._args: unknown[]) => { calls.push(prop); };
    },
    set(target, prop: string, value) {
      target[prop] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

beforeEach(() => {
  requests = [];
  calls.length = 0;
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(() => fakeContext() as never);
  vi.stubGlobal("fetch", vi.fn(async (input: string) => {
    const url = new URL(input, "http://localhost/");
    requests.push(url);
    const a = await answer(url);
    if ("status" in a && "body" in a) return new Response(JSON.stringify(a.body), { status: a.status });
    return new Response(JSON.stringify(a), { status: 200 });
  }));
  host = document.createElement("div");
  document.body.appendChild(host);
});

afterEach(() => {
  render(null, host);
  host.remove();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const root = () => host.querySelector<HTMLElement>('[data-testid="metric-chart"]')!;

async function waitState(state: string) {
  await vi.waitFor(() => expect(root().dataset.state).toBe(state), { timeout: 2000, interval: 10 });
}

describe("MetricChart", () => {
  it("goes from loading to drawn and asks for a pixel-width reduction", async () => {
    let release: (r: ReducedHistory) => void = () => undefined;
    answer = () => new Promise<ReducedHistory>((resolve) => { release = resolve; });
    await act(async () => { render(<MetricChart metricKey="m" series={[{ runId: "r1", runName: "one" }]} />, host); });
    expect(root().dataset.state).toBe("loading");
    expect(host.textContent).toContain("Loading chart");
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    const q = requests[0].searchParams;
    expect(requests[0].pathname).toBe("/ajax-api/2.0/mltrail/metrics/history-reduced");
    expect(q.get("run_id")).toBe("r1");
    expect(q.get("metric_key")).toBe("m");
    expect(q.get("x_axis")).toBe("step");
    expect(Number(q.get("buckets"))).toBe(600 - 70);
    expect(q.has("x_min")).toBe(false);
    await act(async () => { release(rawHistory("r1", 40)); });
    await waitState("drawn");
    expect(Number(root().dataset.yMax)).toBeCloseTo(3.9);
    expect(calls).toContain("stroke");
  });

  it("keeps a spike of a reduced series as the y max", async () => {
    answer = () => bucketHistory("r1", 50_000, 530, 31_337);
    await act(async () => { render(<MetricChart metricKey="signal" series={[{ runId: "r1", runName: "long" }]} />, host); });
    await waitState("drawn");
    expect(Number(root().dataset.yMax)).toBe(100);
    expect(host.querySelector('[data-testid="chart-notes"]')!.textContent).toMatch(/50,000 points drawn as/);
    expect(host.textContent).toMatch(/1 NaN/);
  });

  it("shows the empty state", async () => {
    answer = () => rawHistory("r1", 0);
    await act(async () => { render(<MetricChart metricKey="m" series={[{ runId: "r1", runName: "one" }]} />, host); });
    await waitState("empty");
    expect(host.querySelector('[data-testid="chart-empty"]')!.textContent).toContain("No data");
  });

  it("shows API errors and retries", async () => {
    answer = () => ({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: "Run 'r1' not found" } });
    await act(async () => { render(<MetricChart metricKey="m" series={[{ runId: "r1", runName: "one" }]} />, host); });
    await waitState("error");
    expect(host.textContent).toContain("Run 'r1' not found");
    answer = () => rawHistory("r1", 3);
    await act(async () => { host.querySelector<HTMLButtonElement>(".state-error button")!.click(); });
    await waitState("drawn");
  });

  it("overlays runs with a legend that hides and shows them", async () => {
    answer = (url) => rawHistory(url.searchParams.get("run_id")!, 10, (i) => (url.searchParams.get("run_id") === "b" ? 50 + i : i));
    const series = [{ runId: "a", runName: "sweep-00" }, { runId: "b", runName: "sweep-01" }];
    await act(async () => { render(<MetricChart metricKey="loss" series={series} />, host); });
    await waitState("drawn");
    expect(requests.map((u) => u.searchParams.get("run_id")).sort()).toEqual(["a", "b"]);
    const items = host.querySelectorAll<HTMLButtonElement>('[data-testid="chart-legend-item"]');
    expect([...items].map((b) => b.textContent)).toEqual(["sweep-00", "sweep-01"]);
    expect(root().dataset.yMax).toBe("59");
    await act(async () => { items[1].click(); });
    expect(items[1].getAttribute("aria-pressed")).toBe("false");
    expect(root().dataset.yMax).toBe("9");
    expect(requests).toHaveLength(2);
  });

  it("zooms on drag by re-fetching the window, and resets", async () => {
    answer = (url) => (url.searchParams.has("x_min")
      ? rawHistory("r1", 10, () => 1, { first: Number(url.searchParams.get("x_min")) })
      : bucketHistory("r1", 50_000, 530, 31_337));
    await act(async () => { render(<MetricChart metricKey="signal" series={[{ runId: "r1", runName: "long" }]} />, host); });
    await waitState("drawn");
    const overlay = host.querySelector<HTMLCanvasElement>('[data-testid="chart-plot"]')!;
    const fire = (type: string, clientX: number) =>
      overlay.dispatchEvent(new MouseEvent(type, { bubbles: true, clientX, clientY: 100, button: 0 }));
    await act(async () => {
      fire("pointerdown", 200);
      fire("pointermove", 300);
      fire("pointerup", 300);
    });
    await vi.waitFor(() => expect(requests).toHaveLength(2));
    const zoomed = requests[1].searchParams;
    const xMin = Number(zoomed.get("x_min"));
    const xMax = Number(zoomed.get("x_max"));
    expect(xMin).toBeGreaterThan(0);
    expect(xMax).toBeGreaterThan(xMin);
    expect(xMax).toBeLessThan(49_999);
    await waitState("drawn");
    expect(root().dataset.zoomed).toBe("true");
    expect(root().dataset.yMax).toBe("1");
    await act(async () => { host.querySelector<HTMLButtonElement>('[data-testid="reset-zoom"]')!.click(); });
    await waitState("drawn");
    expect(root().dataset.zoomed).toBe("false");
    expect(root().dataset.yMax).toBe("100");
    expect(requests).toHaveLength(2); // the unzoomed answer came from the cache
  });

  it("shows a tooltip on hover", async () => {
    answer = () => rawHistory("r1", 10);
    await act(async () => { render(<MetricChart metricKey="m" series={[{ runId: "r1", runName: "one" }]} />, host); });
    await waitState("drawn");
    const overlay = host.querySelector<HTMLCanvasElement>('[data-testid="chart-plot"]')!;
    await act(async () => {
      overlay.dispatchEvent(new MouseEvent("pointermove", { bubbles: true, clientX: 300, clientY: 100 }));
    });
    const tip = host.querySelector('[data-testid="chart-tooltip"]')!;
    expect(tip.textContent).toMatch(/step \d/);
    expect(tip.querySelector('[data-testid="chart-tooltip-value"]')!.textContent).toMatch(/^\d/);
  });

  it("uses the timestamp axis for wall time and applies controls", async () => {
    answer = (url) => rawHistory("r1", 10, undefined, { axis: url.searchParams.get("x_axis") as "step" | "timestamp" });
    const onX = vi.fn();
    await act(async () => {
      render(<MetricChart metricKey="m" series={[{ runId: "r1", runName: "one" }]} controls onXAxisChange={onX} />, host);
    });
    await waitState("drawn");
    const select = host.querySelector<HTMLSelectElement>('[data-testid="chart-x-axis"]')!;
    await act(async () => {
      select.value = "time";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(onX).toHaveBeenCalledWith("time");
    await waitState("drawn");
    expect(requests[requests.length - 1].searchParams.get("x_axis")).toBe("timestamp");
  });
});

describe("MetricChartsGrid", () => {
  it("renders one card per key with shared controls", async () => {
    answer = () => rawHistory("r1", 5);
    await act(async () => {
      render(<MetricChartsGrid metricKeys={["a", "b", "c"]} series={[{ runId: "r1", runName: "one" }]} />, host);
    });
    expect(host.querySelectorAll('[data-testid="metric-chart-card"]')).toHaveLength(3);
    expect(host.querySelectorAll('[data-testid="chart-controls"]')).toHaveLength(1);
    await vi.waitFor(() => {
      const states = [...host.querySelectorAll<HTMLElement>('[data-testid="metric-chart"]')].map((e) => e.dataset.state);
      expect(states).toEqual(["drawn", "drawn", "drawn"]);
    });
  });
});
