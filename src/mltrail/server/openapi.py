"""The OpenAPI 3 document of the tracking API, generated from the endpoint and message tables,
and ``/docs``: a self-contained HTML page listing it (no scripts, fonts or CDNs)."""

from __future__ import annotations

import html
from typing import Any

from mltrail.protocol.endpoints import (
    AJAX_ONLY_ENDPOINTS,
    AJAX_PREFIX,
    API_PREFIX,
    ENDPOINTS,
    EXTRA_METHODS,
)
from mltrail.protocol.messages import (
    BOOL,
    DOUBLE,
    INT32,
    INT64,
    REQUESTS,
    EnumType,
    Field,
    Message,
)

MLFLOW_COMPATIBLE_VERSION = "3.17.2"
_SCALARS: dict[str, dict[str, Any]] = {
    INT64: {"type": "integer", "format": "int64"},
    INT32: {"type": "integer", "format": "int32"},
    DOUBLE: {
        "oneOf": [{"type": "number"}, {"type": "string", "enum": ["NaN", "Infinity", "-Infinity"]}]
    },
    BOOL: {"type": "boolean"},
}
# Descriptions of mltrail's own endpoints (the MLflow ones are documented by MLflow).
_DESCRIPTIONS = {
    "search_runs_table": "Runs of 1..50 experiments with only the requested params/metrics/"
    "tags (<= 500 keys each); same filter, order_by and paging as runs/search; max_results "
    "1..5000 (default 1000); total_count on the first page.",
    "get_experiment_columns": "Distinct param, metric and tag keys of the experiments' runs "
    "(every lifecycle stage), sorted; each list capped at 20,000 (truncated=true).",
    "get_metric_history_reduced": "One metric reduced for a chart: raw points when the x "
    "window holds <= 2*buckets points, else buckets [x_first, x_last, min, max, mean, count] "
    "over equal-width x intervals plus the non-finite points; buckets 1..4000.",
}
_FILE_ROUTES: dict[str, tuple[str, list[str]]] = {
    "/get-artifact": (
        "One file of a run's artifacts (run_id or run_uuid, path). Text and images inline, "
        "anything a browser could execute as an attachment.",
        ["run_id", "run_uuid", "path"],
    ),
    "/model-versions/get-artifact": (
        "One file of a registered model version's artifacts.",
        ["name", "version", "path"],
    ),
    "/api/2.0/mlflow/logged-models/{model_id}/artifacts/files": (
        "One file of a logged model's artifacts (also under /ajax-api/2.0).",
        ["artifact_file_path"],
    ),
}
_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error_code": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error_code", "message"],
}


def _field_schema(field: Field) -> dict[str, Any]:
    kind = field.type
    if isinstance(kind, Message):
        schema: dict[str, Any] = {"$ref": f"#/components/schemas/{kind.name}"}
    elif isinstance(kind, EnumType):
        schema = {"type": "string", "enum": list(kind.values)}
    else:
        schema = dict(_SCALARS.get(kind, {"type": "string"}))
    return {"type": "array", "items": schema} if field.repeated else schema


def _message_schema(message: Message, schemas: dict[str, Any]) -> dict[str, Any]:
    properties = {}
    for field in message.fields:
        properties[field.name] = _field_schema(field)
        if isinstance(field.type, Message) and field.type.name not in schemas:
            schemas[field.type.name] = {}  # placeholder first: messages may nest
            schemas[field.type.name] = _message_schema(field.type, schemas)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    required = [f.name for f in message.fields if f.required]
    if required:
        schema["required"] = required
    if message.one_of_required:
        schema["description"] = f"One of {', '.join(message.one_of_required)} is required."
    return schema


def _operation(name: str, method: str, path: str, schemas: dict[str, Any]) -> dict[str, Any]:
    message = REQUESTS[name]
    path_names = {part[1:-1] for part in path.split("/") if part.startswith("{")}
    operation: dict[str, Any] = {
        "operationId": name,
        "summary": name.replace("_", " "),
        **({"description": _DESCRIPTIONS[name]} if name in _DESCRIPTIONS else {}),
        "responses": {
            "200": {"description": "Success (a JSON object)."},
            "4XX": {
                "description": "MLflow error body",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    }
    parameters = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
        for p in sorted(path_names)
    ]
    if method == "GET":
        parameters += [
            {
                "name": f.name,
                "in": "query",
                "required": f.required,
                "schema": _field_schema(f),
                **({"style": "form", "explode": True} if f.repeated else {}),
            }
            for f in message.fields
            if f.name not in path_names and not isinstance(f.type, Message)
        ]
    else:
        schemas.setdefault(message.name, _message_schema(message, schemas))
        operation["requestBody"] = {
            "required": method in ("POST", "PUT"),
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{message.name}"}}
            },
        }
    if parameters:
        operation["parameters"] = parameters
    return operation


def _file_operation(path: str, description: str, names: list[str]) -> dict[str, Any]:
    in_path = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    parameters: list[dict[str, Any]] = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in in_path
    ]
    parameters += [
        {
            "name": n,
            "in": "query",
            "required": n not in ("run_id", "run_uuid"),
            "schema": {"type": "string"},
        }
        for n in names
    ]
    return {
        "summary": description.split(" (")[0].split(".")[0],
        "description": description,
        "parameters": parameters,
        "responses": {
            "200": {"description": "The file's bytes."},
            "4XX": {
                "description": "MLflow error body",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    }


def openapi_document(tracking_enabled: bool = True) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": _ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    entries = [(n, m, p, API_PREFIX) for n, (m, p) in ENDPOINTS.items()]
    entries += [(n, m, p, AJAX_PREFIX) for n, (m, p) in AJAX_ONLY_ENDPOINTS.items()]
    for name, method, path, prefix in entries if tracking_enabled else []:
        for verb in (method, *EXTRA_METHODS.get(name, ())):
            paths.setdefault(prefix + path, {})[verb.lower()] = _operation(
                name, verb, path, schemas
            )
    for path, (description, names) in _FILE_ROUTES.items() if tracking_enabled else ():
        paths[path] = {"get": _file_operation(path, description, names)}
    paths["/health"] = {"get": {"summary": "Liveness probe", "responses": {"200": {
        "description": "OK"}}}}  # fmt: skip
    paths["/version"] = {"get": {"summary": "MLflow-compatible version", "responses": {"200": {
        "description": MLFLOW_COMPATIBLE_VERSION}}}}  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "mltrail tracking server",
            "version": MLFLOW_COMPATIBLE_VERSION,
            "description": "MLflow-compatible REST API. Every /api/2.0 path is mirrored under "
            '/ajax-api/2.0. Errors are JSON: {"error_code": ..., "message": ...}.',
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
code{font-family:ui-monospace,monospace;font-size:.9em}.m{font-weight:600;width:4.5rem}
.p{color:#555;font-size:.85em}
"""


def docs_page(document: dict[str, Any], prefix: str = "") -> str:
    """The endpoint list as a static HTML page."""
    rows = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            body = operation.get("requestBody")
            fields = [p["name"] + ("*" if p.get("required") else "") for p in params]
            if body:
                ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                schema = document["components"]["schemas"].get(ref, {})
                required = set(schema.get("required", ()))
                fields += [n + ("*" if n in required else "") for n in schema.get("properties", {})]
            rows.append(
                f"<tr><td class=m>{html.escape(method.upper())}</td>"
                f"<td><code>{html.escape(prefix + path)}</code><div class=p>"
                f"{html.escape(', '.join(fields))}</div></td></tr>"
            )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<title>mltrail API</title><meta name=viewport content='width=device-width'>"
        f"<style>{_STYLE}</style></head><body><h1>mltrail tracking API</h1>"
        f"<p>{html.escape(document['info']['description'])} Fields marked * are required. "
        f"Machine-readable: <a href='{html.escape(prefix)}/openapi.json'>openapi.json</a>.</p>"
        f"<table><tr><th>Method</th><th>Path and fields</th></tr>{''.join(rows)}</table>"
        "</body></html>"
    )
