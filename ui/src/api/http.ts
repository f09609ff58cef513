// One fetch wrapper for every call the UI makes. URLs are relative to the page, so the UI
// works under `mltrail server --static-prefix /x` too. Errors become ApiError with MLflow's
// error_code and message (the server always answers JSON errors).

export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  constructor(status: number, errorCode: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errorCode = errorCode;
  }
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) search.append(key, String(item));
    } else {
      search.append(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!response.ok) {
    const record = (body ?? {}) as { error_code?: string; message?: string };
    throw new ApiError(
      response.status,
      record.error_code ?? "INTERNAL_ERROR",
      record.message ?? (text.slice(0, 300) || `HTTP ${response.status}`),
    );
  }
  return (body ?? {}) as T;
}

async function send<T>(url: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, "NETWORK_ERROR", `Cannot reach the tracking server (${String(error)}).`);
  }
  return parse<T>(response);
}

/** GET `path` (relative, e.g. "ajax-api/2.0/mlflow/runs/get") with a query string. */
export function apiGet<T>(path: string, params: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> {
  return send<T>(path + queryString(params), { method: "GET", signal, headers: { Accept: "application/json" } });
}

/** POST/PATCH/DELETE a JSON body. */
export function apiSend<T>(method: "POST" | "PATCH" | "DELETE", path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return send<T>(path, {
    method,
    signal,
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body ?? {}),
  });
}

export function apiPost<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return apiSend<T>("POST", path, body, signal);
}

/** Fetch a file as text (artifact previews); size-limited by the caller via Range-less read. */
export async function fetchText(url: string, maxBytes: number, signal?: AbortSignal): Promise<{ text: string; truncated: boolean }> {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    await parse(response);
  }
  const reader = response.body?.getReader();
  if (!reader) return { text: "", truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > maxBytes) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const all = new Uint8Array(Math.min(size, maxBytes));
  let offset = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.length, all.length - offset);
    all.set(chunk.subarray(0, take), offset);
    offset += take;
    if (offset >= all.length) break;
  }
  return { text: new TextDecoder().decode(all), truncated };
}

export const MLFLOW = "ajax-api/2.0/mlflow";
export const MLTRAIL = "ajax-api/2.0/mltrail";

/** A JSON double as the server sends it: a number or "NaN" / "Infinity" / "-Infinity". */
export type JsonDouble = number | "NaN" | "Infinity" | "-Infinity";

export function toNumber(value: JsonDouble | string | undefined | null): number {
  if (typeof value === "number") return value;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  if (value === undefined || value === null) return NaN;
  return Number(value);
}
