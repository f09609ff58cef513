import { describe, expect, it } from "vitest";
import { applySuggestion, keyRef, quoteKey, suggest, wordAt } from "./filterSuggest";

const keys = {
  metrics: ["accuracy", "f1", "val loss", "val/acc", "train.loss"],
  params: ["lr", "optimizer", "batch size"],
  tags: ["team", "mlflow.runName"],
};

describe("filter suggestions", () => {
  it("quotes keys that are not bare identifiers", () => {
    expect(quoteKey("f1")).toBe("f1");
    expect(quoteKey("train.loss")).toBe("train.loss");
    expect(quoteKey("val loss")).toBe("`val loss`");
    expect(quoteKey("val/acc")).toBe("`val/acc`");
    expect(keyRef("params", "batch size")).toBe("params.`batch size`");
  });

  it("offers entity prefixes at the start and after and/or", () => {
    expect(suggest("", 0, keys)?.items.map((i) => i.insert)).toEqual(["metrics.", "params.", "tags.", "attributes."]);
    const after = suggest("metrics.f1 > 1 and p", 20, keys);
    expect(after?.items[0].insert).toBe("params.");
    expect(after?.from).toBe(19);
  });

  it("does not suggest in value position or inside string literals", () => {
    expect(suggest("metrics.f1 > ", 13, keys)).toBeNull();
    expect(suggest("params.optimizer = 'ad", 22, keys)).toBeNull();
  });

  it("completes keys after a prefix, prefix matches first, quoting as needed", () => {
    const result = suggest("metrics.va", 10, keys);
    expect(result?.items.map((i) => i.insert)).toEqual(["metrics.`val loss`", "metrics.`val/acc`"]);
    const inner = suggest("metrics.loss", 12, keys);
    expect(inner?.items.map((i) => i.label)).toEqual(["val loss", "train.loss"]);
    const aliased = suggest("param.b", 7, keys);
    expect(aliased?.items.map((i) => i.insert)).toEqual(["param.`batch size`"]);
  });

  it("completes inside an open backtick", () => {
    const text = "metrics.`val l";
    const result = suggest(text, text.length, keys);
    expect(result?.items.map((i) => i.insert)).toEqual(["metrics.`val loss`"]);
    const applied = applySuggestion(text, result!, result!.items[0]);
    expect(applied.text).toBe("metrics.`val loss` ");
  });

  it("finds keys of any entity from a bare word", () => {
    const result = suggest("tea", 3, keys);
    expect(result?.items.map((i) => i.insert)).toContain("tags.team");
  });

  it("suggests attributes", () => {
    expect(suggest("attributes.st", 13, keys)?.items.map((i) => i.label)).toEqual(["status", "start_time"]);
  });

  it("replaces the whole word under the caret and keeps the rest", () => {
    const text = "metrics.f > 0.5";
    const result = suggest(text, 9, keys)!;
    expect(wordAt(text, 9)).toEqual({ start: 0, end: 9, quote: null });
    const f1 = result.items.find((i) => i.label === "f1")!;
    expect(applySuggestion(text, result, f1)).toEqual({ text: "metrics.f1 > 0.5", cursor: 10 });
  });

  it("hides a suggestion identical to what is typed", () => {
    expect(suggest("metrics.f1", 10, keys)).toBeNull();
  });

  it("caps the list and reports the total", () => {
    const many = { metrics: Array.from({ length: 5000 }, (_, i) => `m${i}`), params: [], tags: [] };
    const result = suggest("metrics.m", 9, many, 50)!;
    expect(result.items.length).toBe(50);
    expect(result.total).toBe(5000);
  });
});
