import { describe, expect, it } from "vitest";
import { artifactPathInRun, parseRunsUri, pathInside } from "./sources";

describe("parseRunsUri", () => {
  it("reads run id and path", () => {
    expect(parseRunsUri("runs:/abc/model")).toEqual({ runId: "abc", path: "model" });
    expect(parseRunsUri("runs:/abc/a/b/")).toEqual({ runId: "abc", path: "a/b" });
    expect(parseRunsUri("runs:/abc")).toEqual({ runId: "abc", path: "" });
    expect(parseRunsUri("s3://bucket/x")).toBeUndefined();
    expect(parseRunsUri(undefined)).toBeUndefined();
  });
});

describe("pathInside", () => {
  const root = "mlflow-artifacts:/1/abc/artifacts";
  it("finds the path under the run's artifact root", () => {
    expect(pathInside(`${root}/model`, root)).toBe("model");
    expect(pathInside(`${root}/`, `${root}/`)).toBe("");
    expect(pathInside(`${root}x/model`, root)).toBeUndefined();
    expect(pathInside(`${root}/../other`, root)).toBeUndefined();
  });
});

describe("artifactPathInRun", () => {
  it("uses runs:/ sources or the artifact root", () => {
    expect(artifactPathInRun("runs:/abc/model", "abc", undefined)).toBe("model");
    expect(artifactPathInRun("runs:/other/model", "abc", undefined)).toBeUndefined();
    expect(artifactPathInRun("/art/1/abc/artifacts/m", "abc", "/art/1/abc/artifacts")).toBe("m");
    expect(artifactPathInRun("models:/m-1", "abc", "/art")).toBeUndefined();
  });
});
