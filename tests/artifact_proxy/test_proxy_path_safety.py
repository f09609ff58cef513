"""Safety of the proxy routes (paths, errors, interrupted uploads) over a real uvicorn server,
so the URL bytes sent are exactly a client's (Starlette's TestClient decodes paths twice)."""

from __future__ import annotations

import http.client
import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

API = "/api/2.0/mlflow-artifacts/artifacts"


def _send(server: Any, method: str, target: str, body: bytes | None = None) -> tuple[int, bytes]:
    """One request with ``target`` sent verbatim (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        connection.putheader("Content-Length", str(len(body or b"")))
        connection.endheaders(body or b"")
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _json(body: bytes) -> dict[str, Any]:
    parsed = json.loads(body)
    assert isinstance(parsed, dict)
    return parsed


#: Escape attempts, as sent on the wire after the ``.../artifacts/`` route prefix.
ESCAPES = [
    "../secret.txt",
    "a/../../secret.txt",
    "%2e%2e/secret.txt",
    "%2E%2E/secret.txt",
    "a/%2e%2e/%2e%2e/secret.txt",
    "..%2fsecret.txt",
    "..%2Fsecret.txt",
    "%2e%2e%2fsecret.txt",
    "%252e%252e/secret.txt",  # double-encoded
    "%25252e%25252e/secret.txt",  # triple-encoded
    "a/%252e%252e%252f%252e%252e/secret.txt",
    "%2Fetc%2Fpasswd",
    "%252Fetc%252Fpasswd",
    "..%5csecret.txt",
    "a%5c..%5c..%5csecret.txt",
    "C:%5cWindows%5cwin.ini",
    "C:/Windows/win.ini",
    "a%00b.txt",
    "a%3Fb=1.txt",
]


@pytest.fixture
def seeded(proxy_server: Any, destination: str) -> Any:
    status, _ = _send(proxy_server, "PUT", f"{API}/inside/ok.txt", b"inside")
    assert status == 200
    return proxy_server


@pytest.mark.parametrize("escape", ESCAPES)
def test_escapes_are_refused_by_every_route(seeded: Any, escape: str, tmp_path: Path) -> None:
    for method, target in [
        ("GET", f"{API}/{escape}"),
        ("PUT", f"{API}/{escape}"),
        ("DELETE", f"{API}/{escape}"),
        ("GET", f"{API}?path={escape}"),
    ]:
        status, body = _send(seeded, method, target, b"evil" if method == "PUT" else None)
        assert status == 400, (method, target, body)
        assert _json(body)["error_code"] == "INVALID_PARAMETER_VALUE"
    # nothing was written outside (or inside) the destination
    assert not (tmp_path / "secret.txt").exists()
    assert _send(seeded, "GET", f"{API}/inside/ok.txt") == (200, b"inside")


def test_dot_segments_literal_in_raw_url_are_refused(seeded: Any) -> None:
    status, body = _send(seeded, "GET", f"{API}/inside/../../../../etc/passwd")
    assert status in (400, 404)  # never the file
    assert _json(body)["error_code"] in ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST")
    assert b"root:" not in body


def test_fragment_and_query_never_reach_the_path(seeded: Any) -> None:
    """An unencoded ``#``/``?`` ends the path: the request names another (missing) file."""
    status, body = _send(seeded, "GET", f"{API}/inside/ok.txt%23frag")
    assert status == 404
    assert _json(body)["message"] == "No such artifact: 'inside/ok.txt#frag'"
    status, _ = _send(seeded, "GET", f"{API}/inside/ok.txt?x=../../etc")
    assert status == 200  # the query string is not part of the path


@pytest.mark.parametrize("destination", ["local"], indirect=True)
def test_symlink_out_of_the_root_is_refused(seeded: Any, destination: str, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    os.symlink(outside, Path(destination) / "inside" / "link")
    status, body = _send(seeded, "GET", f"{API}/inside/link/secret.txt")
    assert status == 400
    assert b"secret" not in body.replace(b"secret.txt", b"")
    status, _ = _send(seeded, "PUT", f"{API}/inside/link/new.txt", b"x")
    assert status == 400
    assert not (outside / "new.txt").exists()
    status, body = _send(seeded, "GET", f"{API}?path=inside/link")
    assert status == 400
    # the listing of the parent does not reveal the link either
    status, body = _send(seeded, "GET", f"{API}?path=inside")
    assert [f["path"] for f in _json(body)["files"]] == ["ok.txt"]


def test_special_file_names_round_trip(proxy_server: Any) -> None:
    """``#``, ``%``, ``+`` and non-ASCII are file-name characters once percent-encoded."""
    names = ["loss%step%3%timestamp%17.png", "a#b.txt", "été 2024.txt", "x+y=z.txt"]
    for name in names:
        target = f"{API}/sp/{quote(name, safe='')}"
        assert _send(proxy_server, "PUT", target, name.encode())[0] == 200
        assert _send(proxy_server, "GET", target) == (200, name.encode())
    status, body = _send(proxy_server, "GET", f"{API}?path=sp")
    assert status == 200
    assert sorted(f["path"] for f in _json(body)["files"]) == sorted(names)


def test_errors_are_json_never_tracebacks(proxy_server: Any) -> None:
    for method, target in [
        ("GET", f"{API}/missing.bin"),
        ("GET", f"{API}/%2e%2e"),
        ("PATCH", f"{API}/x"),
        ("PUT", f"{API}/"),
        ("POST", "/api/2.0/mlflow-artifacts/mpu/create/x"),
    ]:
        status, body = _send(proxy_server, method, target, b"")
        assert status >= 400
        parsed = _json(body)
        assert set(parsed) == {"error_code", "message"}
        assert "Traceback" not in parsed["message"]


def test_interrupted_upload_leaves_nothing_behind(proxy_server: Any, destination: str) -> None:
    """A client that disconnects mid-body leaves no file, partial or whole, behind."""
    import socket

    with socket.create_connection(("127.0.0.1", proxy_server.port), timeout=10) as sock:
        sock.sendall(
            f"PUT {API}/cut/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Length: {10 * 1024 * 1024}\r\n\r\n".encode()
        )
        sock.sendall(b"x" * (1024 * 1024))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the server notices the disconnect asynchronously
        status, body = _send(proxy_server, "GET", f"{API}?path=cut")
        if status == 200 and _json(body) == {} and _no_partial_files(destination):
            break
        time.sleep(0.1)
    assert _send(proxy_server, "GET", f"{API}/cut/big.bin")[0] == 404
    assert _json(_send(proxy_server, "GET", f"{API}?path=cut")[1]) == {}
    assert _no_partial_files(destination)
    # and the server still works
    assert _send(proxy_server, "PUT", f"{API}/cut/ok.txt", b"ok")[0] == 200


def _no_partial_files(destination: str) -> bool:
    if destination.startswith("s3://"):
        return True  # boto3 aborts the multipart upload; nothing is visible until complete
    return not [p for p in Path(destination).rglob("*") if p.is_file()]
