// The MLmodel summary and the YAML subset parser, on the MLmodel file mltrail.sklearn.save_model
// writes (generated with `.venv/bin/python -c "...mltrail.sklearn.save_model(...)"`).
import { describe, expect, it } from "vitest";
import { parseSignatureSection, summarizeMLmodel } from "./mlmodel";
import { parseYaml } from "./yaml";

const SKLEARN_MLMODEL = `flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    predict_fn: predict
    python_version: 3.11.7
  sklearn:
    code: null
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.9.1
    skops_trusted_types: null
is_signature_from_type_hint: false
mlflow_version: 3.17.2
model_id: null
model_size_bytes: 1452
model_uuid: 48e3d4db2c9a4a61b8b6004def4ca632
prompts: null
saved_input_example_info:
  artifact_path: input_example.json
  pandas_orient: split
  serving_input_path: serving_input_example.json
  type: dataframe
signature:
  inputs: '[{"type": "double", "name": "sepal length (cm)", "required": true}, {"type":
    "double", "name": "sepal width (cm)", "required": true}, {"type": "double", "name":
    "petal length (cm)", "required": true}, {"type": "double", "name": "petal width
    (cm)", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
type_hint_from_example: false
utc_time_created: '2026-11-22 17:33:01.174867'
`;

describe("summarizeMLmodel", () => {
  it("reads the flavors, versions, size and times of a real sklearn MLmodel", () => {
    const summary = summarizeMLmodel(SKLEARN_MLMODEL);
    expect(summary.flavors.map((f) => f.name)).toEqual(["python_function", "sklearn"]);
    const sklearn = summary.flavors[1];
    expect(sklearn.settings).toContainEqual({ key: "sklearn_version", value: "1.9.1" });
    expect(sklearn.settings).toContainEqual({ key: "serialization_format", value: "cloudpickle" });
    expect(sklearn.settings.find((s) => s.key === "code")).toBeUndefined();
    expect(summary.pythonVersion).toBe("3.11.7");
    expect(summary.modelSizeBytes).toBe(1452);
    expect(summary.mlflowVersion).toBe("3.17.2");
    expect(summary.modelId).toBeUndefined();
    expect(summary.modelUuid).toBe("48e3d4db2c9a4a61b8b6004def4ca632");
    expect(summary.utcTimeCreated).toBe("2026-11-22 17:33:01.174867");
    expect(summary.inputExamplePath).toBe("input_example.json");
  });

  it("reads the signature's JSON strings, folded over several YAML lines", () => {
    const { signature } = summarizeMLmodel(SKLEARN_MLMODEL);
    expect(signature?.inputs?.columns).toEqual([
      { name: "sepal length (cm)", type: "double", required: true, detail: undefined },
      { name: "sepal width (cm)", type: "double", required: true, detail: undefined },
      { name: "petal length (cm)", type: "double", required: true, detail: undefined },
      { name: "petal width (cm)", type: "double", required: true, detail: undefined },
    ]);
    expect(signature?.outputs?.columns).toEqual([
      { name: "", type: "tensor<int64>", required: undefined, detail: "shape (-1)" },
    ]);
    expect(signature?.params).toBeUndefined();
  });

  it("reads a logged model's run id and params", () => {
    const text = [
      "artifact_path: mlflow-artifacts:/1/models/m-abc/artifacts",
      "flavors:",
      "  python_function:",
      "    loader_module: mlflow.pyfunc.model",
      "    python_version: 3.12.1",
      "run_id: 0123abcd",
      "model_id: m-abc",
      "signature:",
      "  inputs: '[{\"type\": \"string\", \"name\": \"text\", \"required\": false}]'",
      "  outputs: null",
      "  params: '[{\"name\": \"temperature\", \"type\": \"double\", \"default\": 0.5, \"shape\": null}]'",
      "",
    ].join("\n");
    const summary = summarizeMLmodel(text);
    expect(summary.runId).toBe("0123abcd");
    expect(summary.modelId).toBe("m-abc");
    expect(summary.artifactPath).toBe("mlflow-artifacts:/1/models/m-abc/artifacts");
    expect(summary.pythonVersion).toBe("3.12.1");
    expect(summary.signature?.inputs?.columns).toEqual([{ name: "text", type: "string", required: false, detail: undefined }]);
    expect(summary.signature?.outputs).toBeUndefined();
    expect(summary.signature?.params?.columns).toEqual([
      { name: "temperature", type: "double", required: undefined, detail: "default 0.5" },
    ]);
  });

  it("describes nested column types and keeps unreadable JSON raw", () => {
    const section = parseSignatureSection(JSON.stringify([
      { type: "array", items: { type: "string" }, name: "tokens", required: true },
      { type: "object", properties: { a: { type: "long" } }, name: "meta", required: false },
      { type: "map", values: { type: "double" }, name: "scores", required: true },
    ]));
    expect(section?.columns.map((c) => c.type)).toEqual(["array<string>", "object{a: long}", "map<string, double>"]);
    expect(parseSignatureSection("{not json")).toEqual({ columns: [], raw: "{not json" });
  });

  it("refuses a file that is not a mapping", () => {
    expect(() => summarizeMLmodel("- a\n- b\n")).toThrow(/not a YAML mapping/);
  });
});

describe("parseYaml", () => {
  it("parses nested mappings, sequences and scalars", () => {
    const doc = parseYaml([
      "# a conda env",
      "name: mlflow-env",
      "channels:",
      "- conda-forge",
      "dependencies:",
      "- python=3.11.7",
      "- pip<=24.0",
      "- pip:",
      "  - mltrail==0.1",
      "  - scikit-learn==1.9.1",
      "count: 3",
      "ratio: 0.5",
      "flag: true",
      "nothing: ~",
      "empty_list: []",
      "empty_map: {}",
      "flow: [1, two, 'three']",
      "quoted: 'it''s'",
      'escaped: "a\\tb\\n"',
      "url: http://x:8080/y  # a comment",
      "",
    ].join("\n"));
    expect(doc).toEqual({
      name: "mlflow-env",
      channels: ["conda-forge"],
      dependencies: ["python=3.11.7", "pip<=24.0", { pip: ["mltrail==0.1", "scikit-learn==1.9.1"] }],
      count: 3,
      ratio: 0.5,
      flag: true,
      nothing: null,
      empty_list: [],
      empty_map: {},
      flow: [1, "two", "three"],
      quoted: "it's",
      escaped: "a\tb\n",
      url: "http://x:8080/y",
    });
  });

  it("parses sequences of mappings and block scalars", () => {
    const doc = parseYaml([
      "items:",
      "  - name: a",
      "    size: 1",
      "  - name: b",
      "    tags:",
      "      - x",
      "literal: |",
      "  line one",
      "    indented",
      "folded: >-",
      "  one",
      "  two",
      "plain: a long plain",
      "  value folded",
      "",
    ].join("\n"));
    expect(doc).toEqual({
      items: [{ name: "a", size: 1 }, { name: "b", tags: ["x"] }],
      literal: "line one\n  indented\n",
      folded: "one two",
      plain: "a long plain value folded",
    });
  });

  it("returns null for an empty document and a scalar for a scalar one", () => {
    expect(parseYaml("")).toBeNull();
    expect(parseYaml("# only a comment\n")).toBeNull();
    expect(parseYaml("hello")).toBe("hello");
  });
});

// MLmodel files as PyYAML's safe_dump writes them: JSON strings folded over several lines,
// single- and double-quoted, with escapes (the version page reads its signature from these).
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

describe("signatures of saved MLmodel files", () => {
  it("reads folded single-quoted JSON", () => {
    const sig = summarizeMLmodel(IRIS).signature!;
    expect(sig.inputs!.columns.map((c) => c.name)).toEqual([
      "sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)",
    ]);
    expect(sig.inputs!.columns[0]).toEqual({ name: "sepal length (cm)", type: "double", required: true, detail: undefined });
    expect(sig.outputs!.columns).toEqual([{ name: "", type: "tensor<int64>", required: undefined, detail: "shape (-1)" }]);
    expect(sig.params).toBeUndefined();
  });
  it("handles quotes, optional columns, nested types and params", () => {
    const sig = summarizeMLmodel(QUOTED).signature!;
    expect(sig.inputs!.columns).toEqual([
      { name: `it's a "col" with a long name here`, type: "string", required: true, detail: undefined },
      { name: "vec", type: "array<double>", required: false, detail: undefined },
    ]);
    expect(sig.params!.columns).toEqual([{ name: "temperature", type: "double", required: undefined, detail: "default 0.5" }]);
  });
  it("reads double-quoted scalars with escapes and escaped line breaks", () => {
    const sig = summarizeMLmodel(DOUBLE).signature!;
    expect(sig.inputs!.columns.map((c) => [c.name, c.type, c.required])).toEqual([
      ["café déjà vu a long long long name of a column", "string", true],
      ["b\\c", "long", true],
    ]);
    expect(sig.outputs).toBeUndefined();
  });
  it("has no signature when the file has none or it is null; broken JSON stays raw", () => {
    expect(summarizeMLmodel("flavors:\n  sklearn: {}\n").signature).toBeUndefined();
    expect(summarizeMLmodel("signature: null\n").signature).toBeUndefined();
    expect(summarizeMLmodel("signature:\n  inputs: '[not json'\n").signature!.inputs).toEqual({ columns: [], raw: "[not json" });
    expect(() => summarizeMLmodel("")).toThrow();
  });
  it("reads plain, null and block scalars", () => {
    expect(parseYaml("a: null\nb: ~\nc: plain text\n  continued\nd: |\n  [1,\n  2]\n")).toEqual({
      a: null, b: null, c: "plain text continued", d: "[1,\n2]\n",
    });
  });
  it("names nested types", () => {
    const section = parseSignatureSection(JSON.stringify([
      { type: "object", properties: { a: { type: "long" } } },
      { type: "map", values: { type: "string" } },
    ]));
    expect(section!.columns.map((c) => c.type)).toEqual(["object{a: long}", "map<string, string>"]);
  });
});
