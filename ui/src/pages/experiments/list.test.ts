import { describe, expect, it } from "vitest";
import type { Experiment } from "../../api/types";
import { cleanTags, descriptionPreview, filterByName, parseSort, sortExperiments, visibleTags } from "./list";

const exp = (id: string, name: string, created: number): Experiment => ({
  experiment_id: id, name, lifecycle_stage: "active", creation_time: created,
});
const list = [exp("0", "Default", 1), exp("1", "ui-demo", 3), exp("2", "UI_100%", 2), exp("3", "exp-10", 4), exp("4", "exp-9", 4)];

describe("experiments list", () => {
  it("filters by name, case-insensitive, with no wildcards", () => {
    expect(filterByName(list, "ui").map((e) => e.name)).toEqual(["ui-demo", "UI_100%"]);
    expect(filterByName(list, "%").map((e) => e.name)).toEqual(["UI_100%"]);
    expect(filterByName(list, "_").map((e) => e.name)).toEqual(["UI_100%"]);
    expect(filterByName(list, "  ")).toHaveLength(5);
  });
  it("sorts by name (natural) and creation time", () => {
    expect(sortExperiments(list, "name").map((e) => e.name)).toEqual(["Default", "exp-9", "exp-10", "UI_100%", "ui-demo"]);
    expect(sortExperiments(list, "-created").map((e) => e.experiment_id)).toEqual(["4", "3", "1", "2", "0"]);
    expect(sortExperiments(list, "created").map((e) => e.experiment_id)).toEqual(["0", "2", "1", "3", "4"]);
    expect(parseSort("bogus")).toBe("-created");
    expect(parseSort("name")).toBe("name");
  });
  it("previews the first line of a description", () => {
    expect(descriptionPreview("Runs for the **UI** tests.")).toBe("Runs for the UI tests.");
    expect(descriptionPreview("\n# Iris model\n\nmore")).toBe("Iris model");
    expect(descriptionPreview("- [docs](http://x) and `code`")).toBe("docs and code");
    expect(descriptionPreview(undefined)).toBe("");
  });
  it("cleans tags", () => {
    expect(visibleTags([{ key: "mlflow.note.content", value: "x" }, { key: "team", value: "a" }])).toEqual([{ key: "team", value: "a" }]);
    expect(cleanTags([{ key: " a ", value: "1" }, { key: "", value: "2" }, { key: "a", value: "3" }])).toEqual([{ key: "a", value: "3" }]);
  });
});
