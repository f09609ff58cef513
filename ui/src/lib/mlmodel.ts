// What the MLmodel preview shows, read from the MLmodel file (YAML): the flavors, Python
// version, size, ids, creation time and the signature. The signature's inputs/outputs/params
// are JSON strings inside the YAML; each becomes rows of name / type / required.
import { asMap, parseYaml, type YamlValue } from "./yaml";

export interface SignatureColumn {
  /** "" for an unnamed column (a tensor spec). */
  name: string;
  type: string;
  required: boolean | undefined;
  /** Extra facts: tensor shape, a param's default. */
  detail?: string;
}

export interface SignatureSection {
  columns: SignatureColumn[];
  /** The raw JSON when it could not be read as a list of columns. */
  raw?: string;
}

export interface MLmodelFlavor {
  name: string;
  /** The flavor's scalar settings (loader_module, sklearn_version, ...). */
  settings: { key: string; value: string }[];
}

export interface MLmodelSummary {
  flavors: MLmodelFlavor[];
  pythonVersion?: string;
  modelSizeBytes?: number;
  runId?: string;
  modelId?: string;
  modelUuid?: string;
  utcTimeCreated?: string;
  mlflowVersion?: string;
  artifactPath?: string;
  inputExamplePath?: string;
  signature?: { inputs?: SignatureSection; outputs?: SignatureSection; params?: SignatureSection };
}

function text(value: YamlValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "object") return undefined;
  return String(value);
}

function describeType(spec: Record<string, unknown>): string {
  const type = typeof spec.type === "string" ? spec.type : "unknown";
  if (type === "tensor") {
    const tensor = (spec["tensor-spec"] ?? {}) as Record<string, unknown>;
    return `tensor<${String(tensor.dtype ?? "?")}>`;
  }
  if (type === "array" && spec.items && typeof spec.items === "object") {
    return `array<${describeType(spec.items as Record<string, unknown>)}>`;
  }
  if (type === "map" && spec.values && typeof spec.values === "object") {
    return `map<string, ${describeType(spec.values as Record<string, unknown>)}>`;
  }
  if (type === "object" && spec.properties && typeof spec.properties === "object") {
    const props = Object.entries(spec.properties as Record<string, Record<string, unknown>>)
      .map(([name, p]) => `${name}: ${describeType(p ?? {})}`);
    return `object{${props.join(", ")}}`;
  }
  return type;
}

function column(entry: unknown): SignatureColumn {
  const spec = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
  const details: string[] = [];
  const tensor = spec["tensor-spec"] as Record<string, unknown> | undefined;
  const shape = tensor?.shape ?? spec.shape;
  if (Array.isArray(shape)) details.push(`shape (${shape.join(", ")})`);
  if ("default" in spec) details.push(`default ${JSON.stringify(spec.default)}`);
  return {
    name: typeof spec.name === "string" ? spec.name : "",
    type: describeType(spec),
    required: typeof spec.required === "boolean" ? spec.required : undefined,
    detail: details.length ? details.join(", ") : undefined,
  };
}

/** One of signature.inputs / outputs / params: a JSON string (or already a list). */
export function parseSignatureSection(value: YamlValue | undefined): SignatureSection | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return { columns: [], raw: value };
    }
  }
  if (!Array.isArray(parsed)) return { columns: [], raw: typeof value === "string" ? value : JSON.stringify(value) };
  return { columns: parsed.map((entry) => column(entry)) };
}

export function summarizeMLmodel(source: string): MLmodelSummary {
  const doc = asMap(parseYaml(source));
  if (!doc) throw new Error("The MLmodel file is not a YAML mapping.");
  const flavorsMap = asMap(doc.flavors) ?? {};
  const flavors: MLmodelFlavor[] = Object.entries(flavorsMap).map(([name, conf]) => ({
    name,
    settings: Object.entries(asMap(conf) ?? {})
      .map(([key, value]) => ({ key, value: text(value) }))
      .filter((s): s is { key: string; value: string } => s.value !== undefined),
  }));
  const pyfunc = asMap(flavorsMap.python_function);
  const signatureMap = asMap(doc.signature);
  const size = doc.model_size_bytes;
  const example = asMap(doc.saved_input_example_info);
  return {
    flavors,
    pythonVersion: text(pyfunc?.python_version),
    modelSizeBytes: typeof size === "number" ? size : undefined,
    runId: text(doc.run_id),
    modelId: text(doc.model_id),
    modelUuid: text(doc.model_uuid),
    utcTimeCreated: text(doc.utc_time_created),
    mlflowVersion: text(doc.mlflow_version),
    artifactPath: text(doc.artifact_path),
    inputExamplePath: text(example?.artifact_path),
    signature: signatureMap ? {
      inputs: parseSignatureSection(signatureMap.inputs),
      outputs: parseSignatureSection(signatureMap.outputs),
      params: parseSignatureSection(signatureMap.params),
    } : undefined,
  };
}
