import { describe, expect, it } from "vitest";
import { baseName, extension, looksBinary, previewKind } from "./fileTypes";

describe("previewKind", () => {
  it.each([
    ["model/MLmodel", "mlmodel"],
    ["plots/curve.png", "image"],
    ["a/b/photo.JPEG", "image"],
    ["x.webp", "image"],
    ["config.json", "json"],
    ["model/conda.yaml", "yaml"],
    ["x.yml", "yaml"],
    ["data/sample.csv", "csv"],
    ["data/sample.tsv", "tsv"],
    ["notes.txt", "text"],
    ["train.log", "text"],
    ["script.py", "text"],
    ["README.md", "text"],
    ["setup.cfg", "text"],
    ["run.sh", "text"],
    ["tox.ini", "text"],
    ["drawing.svg", "text"],
    ["model/requirements.txt", "text"],
    ["MLproject", "text"],
    ["model/model.pkl", "binary"],
    ["weights.pt", "binary"],
    ["data.parquet", "binary"],
    ["archive.tar.gz", "binary"],
    ["noext", "unknown"],
    ["strange.xyz", "unknown"],
  ])("%s is %s", (path, kind) => {
    expect(previewKind(path)).toBe(kind);
  });
});

describe("path helpers", () => {
  it("splits names and extensions", () => {
    expect(baseName("a/b/c.txt")).toBe("c.txt");
    expect(baseName("c.txt")).toBe("c.txt");
    expect(extension("a/b.d/c")).toBe("");
    expect(extension(".bashrc")).toBe("");
    expect(extension("x.tar.GZ")).toBe("gz");
  });

  it("tells binary data from text", () => {
    expect(looksBinary("plain text\nline two")).toBe(false);
    expect(looksBinary("PK\u0003\u0004\u0000\u0000")).toBe(true);
    expect(looksBinary("\uFFFD\uFFFD\uFFFDab")).toBe(true);
    expect(looksBinary("")).toBe(false);
  });
});
