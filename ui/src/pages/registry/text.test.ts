import { describe, expect, it } from "vitest";
import { compareVersions, descriptionPreview } from "./text";

describe("descriptionPreview", () => {
  it("strips markup and takes the first line", () => {
    expect(descriptionPreview("Iris **classifier**.")).toBe("Iris classifier.");
    expect(descriptionPreview("\n# Title `x`\n\nbody")).toBe("Title x");
    expect(descriptionPreview("```\ncode\n```\n- see [docs](https://x.y)")).toBe("see docs");
    expect(descriptionPreview(undefined)).toBe("");
  });
  it("cuts long text", () => {
    const preview = descriptionPreview("word ".repeat(50), 20);
    expect(preview.length).toBeLessThanOrEqual(20);
    expect(preview.endsWith("…")).toBe(true);
  });
});

describe("compareVersions", () => {
  it("orders numerically", () => {
    expect(["10", "9", "1"].sort(compareVersions)).toEqual(["1", "9", "10"]);
  });
});
