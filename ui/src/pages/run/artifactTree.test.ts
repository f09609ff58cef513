import { describe, expect, it } from "vitest";
import { ancestors, fileUrl, locate, modelDirFor, modelFolders, parentOf, type TreeEntry } from "./artifactTree";
import { nameFilter } from "./RegisterModelDialog";
import type { LoggedModel } from "../../api/loggedModels";

const MODEL: LoggedModel = {
  model_id: "m-123", name: "model", artifact_uri: "mlflow-artifacts:/1/models/m-123/artifacts",
};

function file(path: string, isDir = false): TreeEntry {
  return { path, name: path.slice(path.lastIndexOf("/") + 1), isDir };
}

describe("paths", () => {
  it("finds parents and ancestors", () => {
    expect(parentOf("a/b/c.txt")).toBe("a/b");
    expect(parentOf("c.txt")).toBe("");
    expect(ancestors("a/b/c.txt")).toEqual(["", "a", "a/b"]);
    expect(ancestors("c.txt")).toEqual([""]);
  });
});

describe("logged model folders", () => {
  it("names folders after models, unique against the run's own entries", () => {
    const other = { ...MODEL, model_id: "m-456" };
    const folders = modelFolders([MODEL, other], [{ path: "data" }]);
    expect([...folders.keys()]).toEqual(["model", "model (m-456)"]);
    expect([...modelFolders([MODEL], [{ path: "model" }]).keys()]).toEqual(["model (m-123)"]);
  });

  it("locates display paths in the run or in a logged model", () => {
    const folders = modelFolders([MODEL], []);
    expect(locate("data/x.csv", folders)).toEqual({ kind: "run", inner: "data/x.csv" });
    expect(locate("model/MLmodel", folders)).toEqual({ kind: "model", model: MODEL, root: "model", inner: "MLmodel" });
    expect(fileUrl("r1", "data/x y.csv", folders)).toBe("get-artifact?run_id=r1&path=data%2Fx%20y.csv");
    expect(fileUrl("r1", "model/MLmodel", folders)).toBe(`ajax-api/2.0/mlflow/logged-models/${MODEL.model_id}/artifacts/files?artifact_file_path=MLmodel`);
  });
});

describe("modelDirFor", () => {
  const folders = modelFolders([MODEL], []);
  const listings = new Map<string, TreeEntry[]>([
    ["", [file("nested", true), file("model", true), file("notes.txt")]],
    ["nested", [file("nested/clf", true)]],
    ["nested/clf", [file("nested/clf/MLmodel"), file("nested/clf/model.pkl")]],
    ["model", [file("model/MLmodel"), file("model/conda.yaml")]],
  ]);

  it("finds the model directory of a file, a directory or the directory itself", () => {
    expect(modelDirFor("r1", "nested/clf/model.pkl", false, listings, folders))
      .toEqual({ path: "nested/clf", source: "runs:/r1/nested/clf" });
    expect(modelDirFor("r1", "nested/clf", true, listings, folders))
      .toEqual({ path: "nested/clf", source: "runs:/r1/nested/clf" });
    expect(modelDirFor("r1", "nested", true, listings, folders)).toBeUndefined();
    expect(modelDirFor("r1", "notes.txt", false, listings, folders)).toBeUndefined();
  });

  it("registers a logged model by its id", () => {
    expect(modelDirFor("r1", "model/conda.yaml", false, listings, folders))
      .toEqual({ path: "model", source: "models:/m-123", modelId: "m-123" });
  });

  it("treats a root holding MLmodel as a model directory", () => {
    const root = new Map([["", [file("MLmodel"), file("model.pkl")]]]);
    expect(modelDirFor("r1", "model.pkl", false, root, new Map())).toEqual({ path: "", source: "runs:/r1" });
  });
});

describe("nameFilter", () => {
  it("builds an ILIKE filter without quotes or wildcards", () => {
    expect(nameFilter("iris")).toBe("name ILIKE '%iris%'");
    expect(nameFilter(" it's_% ")).toBe("name ILIKE '%its%'");
    expect(nameFilter("  ")).toBeUndefined();
  });
});
