import { describe, expect, it } from "vitest";
import { describeType, parseSignature, yamlScalar } from "./signature";

// Written by PyYAML's safe_dump, as `mltrail.sklearn.log_model` does.
const IRIS = `artifact_path: mlflow-artifacts:/1/models/m-1/artifacts
flavors:
  python_function:
    loader_module: mlflow.sklearn
model_id: m-1
signature:
  inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type":
    "double", "name": "sepal width (cm)", "required": true}, {"type": "double", "name":
    "petal length (cm)", "required": true}, {"type": "double", "name": "petal width
    (cm)", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
utc_time_created: '2026-11-22 17:32:44.354178'
`;

const QUOTED = `signature:
  inputs: '[{"type": "string", "name": "it''s a \\"col\\" with a long name here", "required":
    true}, {"type": "array", "items": {"type": "double"}, "name": "vec", "required":
    false}]'
  outputs: '[{"type": "long", "required": true}]'
  params: '[{"name": "temperature", "type": "double", "default": 0.5, "shape": null}]'
`;

const DOUBLE = `signature:
  inputs: "[{\\"type\\": \\"string\\", \\"name\\": \\"caf\\xE9 d\\xE9j\\xE0 vu a long long long\\
    \\ name of a column\\", \\"required\\": true}, {\\"type\\": \\"long\\", \\"name\\": \\"b\\\\\\
    \\\\c\\", \\"required\\": true}]"
  outputs: null
`;

describe("parseSignature", () => {
  it("reads folded single-quoted JSON", () => {
    const sig = parseSignature(IRIS)!;
    expect(sig.inputs!.map((f) => f.name)).toEqual([
      "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)",
    ]);
    expect(sig.inputs![0]).toEqual({ name: "sepal length (cm)", type: "double", required: true });
    expect(sig.outputs).toEqual([{ name: null, type: "tensor int64 [-1]", required: true }]);
    expect(sig.params).toBeNull();
  });
  it("handles quotes, optional columns, nested types and params", () => {
    const sig = parseSignature(QUOTED)!;
    expect(sig.inputs).toEqual([
      { name: `it's a "col" with a long name here`, type: "string", required: true },
      { name: "vec", type: "array<double>", required: false },
    ]);
    expect(sig.params).toEqual([{ name: "temperature", type: "double", default: "0.5" }]);
  });
  it("reads double-quoted scalars with escapes and escaped line breaks", () => {
    const sig = parseSignature(DOUBLE)!;
    expect(sig.inputs).toEqual([
      { name: "café déjà vu a long long long name of a column", type: "string", required: true },
      { name: "b\\c", type: "long", required: true },
    ]);
    expect(sig.outputs).toBeNull();
  });
  it("returns null without a signature", () => {
    expect(parseSignature("flavors:\n  sklearn: {}\n")).toBeNull();
    expect(parseSignature("signature: null\n")).toBeNull();
    expect(parseSignature("signature:\n  inputs: '[not json'\n")).toBeNull();
    expect(parseSignature("")).toBeNull();
  });
});

describe("yamlScalar", () => {
  it("reads plain, null and block scalars", () => {
    expect(yamlScalar(["  null"])).toBeNull();
    expect(yamlScalar([" ~"])).toBeNull();
    expect(yamlScalar([" plain text", "   continued"])).toBe("plain text continued");
    expect(yamlScalar([" |", "    [1,", "    2]"])).toBe("[1,\n2]\n");
  });
});

describe("describeType", () => {
  it("names nested types", () => {
    expect(describeType({ type: "object", properties: { a: { type: "long" } } })).toBe("object{a: long}");
    expect(describeType({ type: "map", values: { type: "string" } })).toBe("map<string, string>");
  });
});
