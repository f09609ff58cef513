import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FilterBox } from "./FilterBox";

const keys = { metrics: ["f1", "val loss"], params: ["optimizer"], tags: ["team"] };
let host: HTMLDivElement;
beforeEach(() => { host = document.createElement("div"); document.body.appendChild(host); });
afterEach(() => { render(null, host); host.remove(); });

function type(input: HTMLInputElement, text: string) {
  act(() => {
    input.value = text;
    input.setSelectionRange(text.length, text.length);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
const key = (input: HTMLInputElement, name: string) =>
  act(() => { input.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true })); });
const options = () => [...host.querySelectorAll('[role="option"]')].map((o) => o.querySelector(".mono")?.textContent);

describe("FilterBox", () => {
  it("suggests keys with backticks, takes one with arrows and Enter, applies on Enter", () => {
    const applied: string[] = [];
    act(() => { render(<FilterBox value="" keys={keys} onApply={(f) => applied.push(f)} />, host); });
    const input = host.querySelector<HTMLInputElement>('[data-testid="filter-input"]')!;
    type(input, "metrics.va");
    expect(options()).toEqual(["metrics.`val loss`"]);
    key(input, "ArrowDown");
    expect(host.querySelector('[role="option"]')?.getAttribute("aria-selected")).toBe("true");
    key(input, "Enter");
    expect(input.value).toBe("metrics.`val loss` ");
    expect(applied).toEqual([]);
    expect(options()).toEqual([]);
    type(input, "metrics.`val loss` > 0.5");
    key(input, "Enter");
    expect(applied).toEqual(["metrics.`val loss` > 0.5"]);
  });

  it("closes suggestions on Escape and shows the server error", () => {
    act(() => { render(<FilterBox value="" keys={keys} onApply={() => undefined} error={"bad\n  x\n  ^"} />, host); });
    const input = host.querySelector<HTMLInputElement>('[data-testid="filter-input"]')!;
    type(input, "p");
    expect(options()).toContain("params.");
    key(input, "Escape");
    expect(options()).toEqual([]);
    expect(host.querySelector('[data-testid="filter-error"]')?.textContent).toBe("bad\n  x\n  ^");
  });

  it("clears with the clear button", () => {
    const applied: string[] = [];
    act(() => { render(<FilterBox value="metrics.f1 > 1" keys={keys} onApply={(f) => applied.push(f)} />, host); });
    act(() => { host.querySelector<HTMLButtonElement>('[data-testid="filter-clear"]')!.click(); });
    expect(applied).toEqual([""]);
  });
});
