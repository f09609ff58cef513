"""The mlflow-artifacts routes over a local and an S3 destination (Starlette TestClient)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

API = "/api/2.0/mlflow-artifacts/artifacts"
AJAX = "/ajax-api/2.0/mlflow-artifacts/artifacts"


def _listing(client: Any, path: str | None = None, base: str = API) -> dict[str, Any]:
    response = client.get(base, params={} if path is None else {"path": path})
    assert response.status_code == 200, response.text
    return response.json()


def test_upload_download_round_trip(proxy_client: Any) -> None:
    put = proxy_client.put(f"{API}/1/run/artifacts/hello.txt", content=b"hello world\n")
    assert put.status_code == 200
    assert put.json() == {}
    got = proxy_client.get(f"{API}/1/run/artifacts/hello.txt")
    assert got.status_code == 200
    assert got.content == b"hello world\n"
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["x-content-type-options"] == "nosniff"


def test_binary_content_and_overwrite(proxy_client: Any) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 17)  # several chunks, not a multiple of the chunk
    assert proxy_client.put(f"{API}/bin/model.bin", content=b"old").status_code == 200
    assert proxy_client.put(f"{API}/bin/model.bin", content=payload).status_code == 200
    got = proxy_client.get(f"{API}/bin/model.bin")
    assert hashlib.sha256(got.content).digest() == hashlib.sha256(payload).digest()
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert _listing(proxy_client, "bin") == {
        "files": [{"path": "model.bin", "is_dir": False, "file_size": len(payload)}]
    }


def test_empty_file(proxy_client: Any) -> None:
    assert proxy_client.put(f"{API}/e/empty.txt", content=b"").status_code == 200
    assert proxy_client.get(f"{API}/e/empty.txt").content == b""
    assert _listing(proxy_client, "e")["files"] == [
        {"path": "empty.txt", "is_dir": False, "file_size": 0}
    ]


def test_listing_gives_basenames_dirs_and_sizes(proxy_client: Any) -> None:
    for path, body in [("r/a.txt", b"a"), ("r/dir/b.bin", b"bb"), ("r/dir/deeper/c", b"ccc")]:
        assert proxy_client.put(f"{API}/{path}", content=body).status_code == 200
    assert _listing(proxy_client, "r") == {
        "files": [
            {"path": "a.txt", "is_dir": False, "file_size": 1},
            {"path": "dir", "is_dir": True},
        ]
    }
    assert _listing(proxy_client, "r/dir") == {
        "files": [
            {"path": "b.bin", "is_dir": False, "file_size": 2},
            {"path": "deeper", "is_dir": True},
        ]
    }
    assert _listing(proxy_client) == {"files": [{"path": "r", "is_dir": True}]}
    # a missing directory and a path naming a file both list as {}
    assert _listing(proxy_client, "r/missing") == {}
    assert _listing(proxy_client, "r/a.txt") == {}


def test_ajax_api_mirror(proxy_client: Any) -> None:
    assert proxy_client.put(f"{AJAX}/m/x.json", content=b'{"a": 1}').status_code == 200
    assert proxy_client.get(f"{API}/m/x.json").content == b'{"a": 1}'
    assert _listing(proxy_client, "m", base=AJAX)["files"][0]["path"] == "x.json"


def test_delete_file_and_tree(proxy_client: Any) -> None:
    for path in ["d/keep.txt", "d/tree/x.txt", "d/tree/sub/y.txt", "d/treehouse.txt"]:
        assert proxy_client.put(f"{API}/{path}", content=b"x").status_code == 200
    response = proxy_client.delete(f"{API}/d/tree")
    assert response.status_code == 200
    assert response.json() == {}
    names = [f["path"] for f in _listing(proxy_client, "d")["files"]]
    assert names == ["keep.txt", "treehouse.txt"]  # a sibling sharing the prefix survives
    assert proxy_client.delete(f"{API}/d/keep.txt").status_code == 200
    assert proxy_client.get(f"{API}/d/keep.txt").status_code == 404
    # deleting what is not there is not an error
    assert proxy_client.delete(f"{API}/d/never-existed").status_code == 200


def test_delete_of_the_whole_store_is_refused(proxy_client: Any) -> None:
    assert proxy_client.put(f"{API}/z/file.txt", content=b"x").status_code == 200
    response = proxy_client.delete(f"{API}/")
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert proxy_client.get(f"{API}/z/file.txt").content == b"x"


def test_missing_file_is_json_404(proxy_client: Any) -> None:
    response = proxy_client.get(f"{API}/nope/missing.txt")
    assert response.status_code == 404
    assert response.json() == {
        "error_code": "RESOURCE_DOES_NOT_EXIST",
        "message": "No such artifact: 'nope/missing.txt'",
    }


def test_directory_download_is_json_400(proxy_client: Any) -> None:
    assert proxy_client.put(f"{API}/dd/inner/f.txt", content=b"x").status_code == 200
    response = proxy_client.get(f"{API}/dd/inner")
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "directory" in response.json()["message"]


def test_upload_needs_a_file_name(proxy_client: Any) -> None:
    response = proxy_client.put(f"{API}/dir/", content=b"x")
    assert response.status_code == 400
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert "file name" in response.json()["message"]


@pytest.mark.parametrize(
    ("name", "content_type", "inline"),
    [
        ("page.html", "application/octet-stream", False),
        ("page.htm", "application/octet-stream", False),
        ("figure.svg", "application/octet-stream", False),
        ("doc.xhtml", "application/octet-stream", False),
        ("data.xml", "application/octet-stream", False),
        ("notes.txt", "text/plain; charset=utf-8", True),
        ("MLmodel", "text/plain; charset=utf-8", True),
        ("conda.yaml", "text/plain; charset=utf-8", True),
        ("metrics.json", "text/plain; charset=utf-8", True),
        ("plot.png", "image/png", True),
        ("weights.pkl", "application/octet-stream", False),
    ],
)
def test_content_types_never_serve_active_content_inline(
    proxy_client: Any, name: str, content_type: str, inline: bool
) -> None:
    body = b"<html><script>alert(1)</script></html>"
    assert proxy_client.put(f"{API}/ct/{name}", content=body).status_code == 200
    response = proxy_client.get(f"{API}/ct/{name}")
    assert response.status_code == 200
    assert response.content == body
    assert response.headers["content-type"] == content_type
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("inline;" if inline else "attachment;")
    assert f'filename="{name}"' in disposition
    assert "sandbox" in response.headers["content-security-policy"]


def test_unsupported_method_is_json_405(proxy_client: Any) -> None:
    response = proxy_client.patch(f"{API}/x.txt", content=b"x")
    assert response.status_code == 405
    assert response.json()["error_code"] == "ENDPOINT_NOT_FOUND"
    assert "DELETE, GET, HEAD, PUT" in response.headers["allow"]


def test_head_gives_headers_without_reading_the_body(proxy_client: Any) -> None:
    assert proxy_client.put(f"{API}/h/f.bin", content=b"12345").status_code == 200
    response = proxy_client.head(f"{API}/h/f.bin")
    assert response.status_code == 200
    assert response.headers["content-length"] == "5"
    assert response.content == b""


def test_multipart_and_presigned_say_not_implemented(proxy_client: Any) -> None:
    """The MLflow client falls back to plain PUT/GET on exactly these 501 messages."""
    for action in ("create", "complete", "abort"):
        response = proxy_client.post(
            f"/api/2.0/mlflow-artifacts/mpu/{action}/1/run/artifacts",
            json={"path": "/local/big.bin", "num_parts": 3},
        )
        assert response.status_code == 501
        assert response.json() == {
            "error_code": "NOT_IMPLEMENTED",
            "message": "Multipart upload is not supported for the current artifact repository",
        }
    response = proxy_client.get("/api/2.0/mlflow-artifacts/presigned/1/run/artifacts/big.bin")
    assert response.status_code == 501
    assert response.json()["message"].startswith("Multipart download is not supported")


def test_local_destination_layout(tmp_path: Path) -> None:
    """Proxy path ``<p>`` is ``<destination>/<p>`` on disk."""
    from artifact_proxy_app import make_test_client, proxy_app_for

    root = tmp_path / "dest"
    with make_test_client(proxy_app_for(str(root))) as client:
        assert client.put(f"{API}/3/abc/artifacts/sub/f.txt", content=b"on disk").status_code == 200
    assert (root / "3" / "abc" / "artifacts" / "sub" / "f.txt").read_bytes() == b"on disk"
    assert [p.name for p in (root / "3" / "abc" / "artifacts" / "sub").iterdir()] == ["f.txt"]


def test_proxied_destinations_are_refused(tmp_path: Path) -> None:
    from mltrail.exceptions import MlflowException
    from mltrail.server.artifacts import artifact_routes

    for uri in ("mlflow-artifacts:/x", "http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts"):
        with pytest.raises(MlflowException, match="proxied location"):
            artifact_routes(uri)
