"""HTTP transport to a tracking server: credentials, a pooled session, retries, TLS, errors.

Used by the REST tracking store and the ``mlflow-artifacts:`` proxy repository::

    creds = host_creds_from_env("http://127.0.0.1:5000")
    body = call_endpoint(creds, "/api/2.0/mlflow/runs/get", "GET", {"run_id": run_id})

``requests`` is imported on first use, never at ``import mltrail``. Settings come from the
``MLFLOW_HTTP_REQUEST_*`` and ``MLFLOW_TRACKING_*`` environment variables, read per request
so a change takes effect at once. Connection errors, 408, 429 and 5xx are retried for every
method with exponential backoff and jitter (``Retry-After`` honoured); other 4xx answers are
user errors and fail at once.
"""

from __future__ import annotations

import configparser
import json as jsonlib
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mltrail.environment_variables import (
    MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR,
    MLFLOW_HTTP_REQUEST_BACKOFF_JITTER,
    MLFLOW_HTTP_REQUEST_MAX_RETRIES,
    MLFLOW_HTTP_REQUEST_TIMEOUT,
    MLFLOW_TRACKING_CLIENT_CERT_PATH,
    MLFLOW_TRACKING_INSECURE_TLS,
    MLFLOW_TRACKING_PASSWORD,
    MLFLOW_TRACKING_SERVER_CERT_PATH,
    MLFLOW_TRACKING_TOKEN,
    MLFLOW_TRACKING_USERNAME,
    BooleanEnvironmentVariable,
    EnvironmentVariable,
)
from mltrail.exceptions import (
    ALREADY_EXISTS,
    BAD_REQUEST,
    CANCELLED,
    DEADLINE_EXCEEDED,
    ENDPOINT_NOT_FOUND,
    INTERNAL_ERROR,
    INVALID_PARAMETER_VALUE,
    NOT_IMPLEMENTED,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    TEMPORARILY_UNAVAILABLE,
    UNAUTHENTICATED,
    MlflowException,
    RestException,
)

if TYPE_CHECKING:
    import requests

MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER = BooleanEnvironmentVariable(
    "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", True
)
MLFLOW_ALLOW_HTTP_REDIRECTS = BooleanEnvironmentVariable("MLFLOW_ALLOW_HTTP_REDIRECTS", True)
MLFLOW_HTTP_POOL_CONNECTIONS = EnvironmentVariable("MLFLOW_HTTP_POOL_CONNECTIONS", int, 10)
MLFLOW_HTTP_POOL_MAXSIZE = EnvironmentVariable("MLFLOW_HTTP_POOL_MAXSIZE", int, 10)

MAX_RETRIES_LIMIT = 10
BACKOFF_FACTOR_LIMIT = 120
RETRY_STATUS_CODES = frozenset({408, 429, 500, 502, 503, 504})
CREDENTIALS_FILE = os.path.join("~", ".mlflow", "credentials")

#: Error code for an error answer whose body is not MLflow's JSON error (rest-tracking §2.3).
ERROR_CODE_BY_HTTP_STATUS: dict[int, str] = {
    400: BAD_REQUEST,
    401: UNAUTHENTICATED,
    403: PERMISSION_DENIED,
    404: ENDPOINT_NOT_FOUND,
    409: ALREADY_EXISTS,
    429: RESOURCE_EXHAUSTED,
    499: CANCELLED,
    500: INTERNAL_ERROR,
    501: NOT_IMPLEMENTED,
    503: TEMPORARILY_UNAVAILABLE,
    504: DEADLINE_EXCEEDED,
}


@dataclass(frozen=True, slots=True)
class HostCreds:
    """Where a tracking server is and how to authenticate to it.

    ``host`` is the base URL (``http://host:port[/prefix]``, no trailing slash). Basic auth
    (``username``/``password``) wins over a bearer ``token``. ``insecure`` disables TLS
    verification; ``server_cert_path`` is a CA bundle; ``client_cert_path`` a client cert.
    """

    host: str
    username: str | None = None
    password: str | None = None
    token: str | None = None
    insecure: bool = False
    server_cert_path: str | None = None
    client_cert_path: str | None = None

    def __post_init__(self) -> None:
        if self.insecure and self.server_cert_path:
            raise MlflowException(
                "MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH cannot both "
                "be set: either skip TLS verification or verify against the given CA bundle.",
                error_code=INVALID_PARAMETER_VALUE,
            )

    @property
    def verify(self) -> bool | str:
        """The ``verify=`` argument for ``requests``: False, a CA bundle path, or True."""
        if self.insecure:
            return False
        return self.server_cert_path or True

    def __repr__(self) -> str:  # never print secrets
        auth = "basic" if self.username else "token" if self.token else "none"
        return f"HostCreds(host={self.host!r}, auth={auth}, insecure={self.insecure})"


@dataclass(frozen=True, slots=True)
class _TransportSettings:
    max_retries: int
    backoff_factor: int
    backoff_jitter: float
    respect_retry_after: bool
    pool_connections: int
    pool_maxsize: int


# ---- credentials --------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _read_credentials_file(path: str, mtime: float) -> tuple[str | None, str | None]:
    parser = configparser.ConfigParser()
    parser.read(path)
    if not parser.has_section("mlflow"):
        return None, None
    section = parser["mlflow"]
    return section.get("mlflow_tracking_username"), section.get("mlflow_tracking_password")


def _file_credentials() -> tuple[str | None, str | None]:
    """Username and password from ``~/.mlflow/credentials`` ([mlflow] section), if any."""
    path = os.path.expanduser(CREDENTIALS_FILE)
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None, None
    return _read_credentials_file(path, mtime)


def host_creds_from_env(tracking_uri: str) -> HostCreds:
    """The credentials for ``tracking_uri`` from the environment (and the credentials file)."""
    username = MLFLOW_TRACKING_USERNAME.get()
    password = MLFLOW_TRACKING_PASSWORD.get()
    if username is None or password is None:
        file_username, file_password = _file_credentials()
        username = username if username is not None else file_username
        password = password if password is not None else file_password
    try:
        insecure = MLFLOW_TRACKING_INSECURE_TLS.get()
    except ValueError as exc:
        raise MlflowException(str(exc), error_code=INVALID_PARAMETER_VALUE) from None
    return HostCreds(
        host=tracking_uri.rstrip("/"),
        username=username or None,
        password=password,
        token=MLFLOW_TRACKING_TOKEN.get() or None,
        insecure=insecure,
        server_cert_path=MLFLOW_TRACKING_SERVER_CERT_PATH.get() or None,
        client_cert_path=MLFLOW_TRACKING_CLIENT_CERT_PATH.get() or None,
    )


# ---- settings and session -----------------------------------------------------------------------
def _env_number(variable: EnvironmentVariable[Any], limit: float | None) -> Any:
    try:
        value = variable.get()
    except ValueError as exc:
        raise MlflowException(str(exc), error_code=INVALID_PARAMETER_VALUE) from None
    if value is None or value < 0 or (limit is not None and value > limit):
        bound = f" and at most {limit}" if limit is not None else ""
        raise MlflowException(
            f"Environment variable {variable.name}={variable.get_raw()!r} is out of range: it "
            f"must be at least 0{bound}.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return value


def _transport_settings() -> _TransportSettings:
    return _TransportSettings(
        max_retries=_env_number(MLFLOW_HTTP_REQUEST_MAX_RETRIES, MAX_RETRIES_LIMIT),
        backoff_factor=_env_number(MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR, BACKOFF_FACTOR_LIMIT),
        backoff_jitter=float(_env_number(MLFLOW_HTTP_REQUEST_BACKOFF_JITTER, None)),
        respect_retry_after=MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER.get(),
        pool_connections=_env_number(MLFLOW_HTTP_POOL_CONNECTIONS, None) or 1,
        pool_maxsize=_env_number(MLFLOW_HTTP_POOL_MAXSIZE, None) or 1,
    )


def request_timeout(timeout: float | None = None) -> float:
    """``timeout`` if given, else ``MLFLOW_HTTP_REQUEST_TIMEOUT`` (seconds, must be > 0)."""
    if timeout is None:
        timeout = _env_number(MLFLOW_HTTP_REQUEST_TIMEOUT, None)
    if not timeout or timeout <= 0:
        raise MlflowException(
            f"The HTTP request timeout must be a positive number of seconds, got {timeout!r} "
            "(set MLFLOW_HTTP_REQUEST_TIMEOUT).",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return float(timeout)


@lru_cache(maxsize=16)
def _session(settings: _TransportSettings) -> requests.Session:
    """A keep-alive session with connection pools and the retry policy of ``settings``."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(
        total=settings.max_retries,
        connect=settings.max_retries,
        read=settings.max_retries,
        redirect=settings.max_retries,
        status=settings.max_retries,
        status_forcelist=sorted(RETRY_STATUS_CODES),
        allowed_methods=None,  # retry every method, POST included
        backoff_factor=settings.backoff_factor,
        backoff_jitter=settings.backoff_jitter,
        backoff_max=BACKOFF_FACTOR_LIMIT,
        respect_retry_after_header=settings.respect_retry_after,
        raise_on_status=False,  # hand back the last answer so its JSON error is not lost
    )
    adapter = HTTPAdapter(
        pool_connections=settings.pool_connections,
        pool_maxsize=settings.pool_maxsize,
        max_retries=retry,
    )
    session = requests.Session()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _user_agent() -> str:
    from mltrail import __version__

    return f"mltrail-python-client/{__version__}"


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [_query_value(v) for v in value]
    return value


# ---- requests -----------------------------------------------------------------------------------
def http_request(
    creds: HostCreds,
    endpoint: str,
    method: str,
    *,
    json: Any = None,
    params: dict[str, Any] | None = None,
    data: Any = None,
    headers: dict[str, str] | None = None,
    stream: bool = False,
    timeout: float | None = None,
) -> requests.Response:
    """Send one request to ``creds.host + endpoint`` with auth, TLS options and retries.

    ``json`` is encoded here (NaN must already be ``"NaN"``); list values in ``params`` become
    repeated query keys. Returns the response whatever its status (after retries); raises
    :class:`MlflowException` when the server cannot be reached or does not answer in time.
    """
    import requests

    all_headers = {"User-Agent": _user_agent()}
    if json is not None:
        data = jsonlib.dumps(json, allow_nan=False)
        all_headers["Content-Type"] = "application/json"
    auth: tuple[str, str] | None = None
    if creds.username and creds.password is not None:
        auth = (creds.username, creds.password)
    elif creds.token:
        all_headers["Authorization"] = f"Bearer {creds.token}"
    all_headers.update(headers or {})
    query = {k: _query_value(v) for k, v in params.items() if v is not None} if params else None
    url = creds.host + endpoint
    settings = _transport_settings()
    seconds = request_timeout(timeout)
    try:
        return _session(settings).request(
            method,
            url,
            params=query,
            data=data,
            headers=all_headers,
            auth=auth,
            stream=stream,
            timeout=seconds,
            verify=creds.verify,
            cert=creds.client_cert_path,
            allow_redirects=MLFLOW_ALLOW_HTTP_REDIRECTS.get(),
        )
    except requests.exceptions.RequestException as exc:
        raise MlflowException(
            f"API request to {url} failed after {settings.max_retries} retries "
            f"(timeout {seconds:g} s): {_root_cause(exc)}. Check that the tracking server is "
            "running and reachable, or raise MLFLOW_HTTP_REQUEST_TIMEOUT / "
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES.",
            error_code=INTERNAL_ERROR,
        ) from exc


def _root_cause(exc: BaseException) -> str:
    """The innermost useful reason of a requests/urllib3 error chain."""
    reason: Any = exc
    for _ in range(5):
        inner = getattr(reason, "reason", None) or (reason.args[0] if reason.args else None)
        if not isinstance(inner, BaseException):
            break
        reason = inner
    return f"{type(reason).__name__}: {reason}"


def _error_code_for_status(status: int) -> str:
    if status in ERROR_CODE_BY_HTTP_STATUS:
        return ERROR_CODE_BY_HTTP_STATUS[status]
    return BAD_REQUEST if 400 <= status < 500 else INTERNAL_ERROR


def raise_for_response(response: requests.Response, endpoint: str) -> None:
    """Raise :class:`RestException` unless ``response`` succeeded (2xx).

    A JSON error body keeps the server's ``error_code`` and ``message``; any other body is
    mapped from the HTTP status (404 -> ``ENDPOINT_NOT_FOUND``, 401 -> ``UNAUTHENTICATED``...).
    """
    status = response.status_code
    if 200 <= status < 300:
        return
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("error_code") is not None:
        code = body["error_code"]
        if isinstance(code, int):  # some servers put the HTTP status there
            body = {**body, "error_code": _error_code_for_status(code)}
        raise RestException(body)
    text = (response.text or "").strip().replace("\n", " ")
    raise RestException(
        {
            "error_code": _error_code_for_status(status),
            "message": f"Response from {endpoint} with HTTP status {status} "
            f"({response.reason}): {text[:500]}",
        }
    )


def call_endpoint(
    creds: HostCreds,
    endpoint: str,
    method: str,
    body: dict[str, Any] | None = None,
    *,
    timeout: float | None = None,
) -> dict[str, Any]:
    """Call a JSON endpoint and return its JSON object; errors raise :class:`RestException`.

    GET sends ``body`` as query parameters, other methods as a JSON body.
    """
    if method == "GET":
        response = http_request(creds, endpoint, method, params=body or None, timeout=timeout)
    else:
        response = http_request(creds, endpoint, method, json=body or {}, timeout=timeout)
    raise_for_response(response, endpoint)
    if response.status_code == 204 or not response.content:
        return {}
    try:
        parsed = response.json()
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise MlflowException(
            f"The tracking server answered {endpoint} with a body that is not a JSON object: "
            f"{response.text[:200]!r}. Is {creds.host} an MLflow-compatible tracking server?",
            error_code=INTERNAL_ERROR,
        )
    return parsed
