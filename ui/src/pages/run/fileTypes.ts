// Which preview an artifact gets, from its name (and size for unknown types).

export type PreviewKind = "mlmodel" | "image" | "json" | "yaml" | "csv" | "tsv" | "text" | "binary" | "unknown";

/** Previews read at most this many bytes of a file. */
export const PREVIEW_MAX_BYTES = 2 * 1024 * 1024;
/** Files of unknown type up to this size are tried as text. */
export const UNKNOWN_TEXT_MAX_BYTES = 1024 * 1024;
/** CSV/TSV previews show this many rows. */
export const CSV_MAX_ROWS = 1000;

const IMAGE = new Set(["png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "avif"]);
const JSON_EXT = new Set(["json", "geojson", "ipynb"]);
const YAML_EXT = new Set(["yaml", "yml"]);
const TEXT = new Set([
  "txt", "log", "py", "md", "markdown", "sh", "bash", "cfg", "ini", "toml", "conf", "rst", "r",
  "sql", "js", "ts", "tsx", "jsx", "java", "scala", "go", "rs", "c", "h", "cpp", "hpp", "cc",
  "html", "htm", "xml", "svg", "css", "jsonl", "ndjson", "properties", "env", "gitignore", "dockerfile",
  "tex", "out", "err", "diff", "patch", "proto", "lock", "pyi", "ipy", "tf", "hcl", "jl",
]);
const TEXT_NAMES = new Set(["MLproject", "Dockerfile", "Makefile", "LICENSE", "README", "requirements.txt", "Procfile"]);
const BINARY = new Set([
  "pkl", "pickle", "joblib", "pt", "pth", "bin", "h5", "hdf5", "keras", "onnx", "pb", "tflite",
  "ckpt", "safetensors", "npy", "npz", "parquet", "feather", "arrow", "avro", "orc", "zip", "gz",
  "tgz", "bz2", "xz", "zst", "tar", "7z", "whl", "jar", "so", "dll", "dylib", "exe", "pdf",
  "xls", "xlsx", "doc", "docx", "ppt", "pptx", "mp3", "mp4", "wav", "avi", "mov", "mkv", "ogg",
  "flac", "tiff", "tif", "psd", "db", "sqlite", "ubj", "cbm", "model", "msgpack", "pyc", "woff",
  "woff2", "ttf", "otf", "eot", "dat", "mar", "engine", "plan",
]);

export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}

export function extension(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

export function previewKind(path: string): PreviewKind {
  const name = baseName(path);
  if (name === "MLmodel") return "mlmodel";
  if (TEXT_NAMES.has(name)) return "text";
  const ext = extension(path);
  if (IMAGE.has(ext)) return "image";
  if (JSON_EXT.has(ext)) return "json";
  if (YAML_EXT.has(ext)) return "yaml";
  if (ext === "csv") return "csv";
  if (ext === "tsv" || ext === "tab") return "tsv";
  if (TEXT.has(ext)) return "text";
  if (BINARY.has(ext)) return "binary";
  return "unknown";
}

/** Whether fetched text looks like binary data (NUL bytes or many decoding errors). */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  if (sample.includes("\u0000")) return true;
  let bad = 0;
  for (const ch of sample) if (ch === "\uFFFD") bad++;
  return sample.length > 0 && bad / sample.length > 0.02;
}
