import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooserGroups, ColumnChooser, MAX_SHOWN_PER_GROUP } from "./ColumnChooser";
import type { ColumnRef } from "./urlState";

const available = {
  metrics: Array.from({ length: 5000 }, (_, i) => `metric_${String(i).padStart(4, "0")}`),
  params: ["lr", "optimizer"],
  tags: ["team"],
};
let host: HTMLDivElement;
beforeEach(() => { host = document.createElement("div"); document.body.appendChild(host); });
afterEach(() => { render(null, host); host.remove(); });

describe("column chooser", () => {
  it("caps rendered matches, keeps chosen keys first and counts matches", () => {
    const chosen = new Set(["metrics.metric_4999"]);
    const [metrics, params] = chooserGroups(available, chosen, "");
    expect(metrics.keys.length).toBe(MAX_SHOWN_PER_GROUP);
    expect(metrics.keys[0]).toBe("metric_4999");
    expect(metrics.matches).toBe(5000);
    expect(params.keys).toEqual(["lr", "optimizer"]);
    const [narrow] = chooserGroups(available, chosen, "METRIC_123");
    expect(narrow.matches).toBe(10);
    expect(narrow.keys[0]).toBe("metric_1230");
  });

  it("renders a capped checklist and toggles columns", () => {
    const changes: ColumnRef[][] = [];
    act(() => {
      render(<ColumnChooser available={available} chosen={[{ type: "params", key: "lr" }]}
        onChange={(c) => changes.push(c)} onReset={() => undefined} />, host);
    });
    act(() => { host.querySelector<HTMLButtonElement>('[data-testid="column-chooser"]')!.click(); });
    const boxes = host.querySelectorAll('input[type="checkbox"]');
    expect(boxes.length).toBe(MAX_SHOWN_PER_GROUP + 3);
    expect(host.querySelector('[data-testid="column-more"]')?.textContent).toContain("of 5,000");
    const team = [...host.querySelectorAll("label")].find((l) => l.textContent === "team")!;
    act(() => { team.querySelector("input")!.click(); });
    expect(changes.at(-1)).toEqual([{ type: "params", key: "lr" }, { type: "tags", key: "team" }]);
  });
});
