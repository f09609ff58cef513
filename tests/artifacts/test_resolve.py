"""get_artifact_repository: scheme dispatch and the plug-in registry."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.artifacts import (
    get_artifact_repository,
    register_artifact_repository,
    supported_schemes,
)
from mltrail.store.artifacts.local import LocalArtifactRepository
from mltrail.store.artifacts.resolve import _REPOSITORIES


@pytest.mark.parametrize("form", ["plain", "file_uri", "file_colon"])
def test_local_forms_resolve_to_the_same_directory(tmp_path: Path, form: str) -> None:
    uri = {"plain": str(tmp_path), "file_uri": tmp_path.as_uri(), "file_colon": f"file:{tmp_path}"}
    repo = get_artifact_repository(uri[form])
    assert isinstance(repo, LocalArtifactRepository)
    assert repo.root == tmp_path
    assert repo.artifact_uri == uri[form]


def test_unsupported_scheme_names_supported_ones() -> None:
    with pytest.raises(MlflowException) as info:
        get_artifact_repository("gopher://host/x")
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert "'gopher'" in info.value.message
    assert "file" in info.value.message
    with pytest.raises(MlflowException):
        get_artifact_repository("")


class _MemoryRepository(LocalArtifactRepository):
    """A real repository subclass registered under a test scheme."""

    def __init__(self, artifact_uri: str) -> None:
        super().__init__(artifact_uri.replace("memtest://", "file://"))


def test_registered_scheme_is_used(tmp_path: Path) -> None:
    try:
        register_artifact_repository("memtest", _MemoryRepository)
        assert "memtest" in supported_schemes()
        repo = get_artifact_repository(f"memtest://{tmp_path}")
        assert isinstance(repo, _MemoryRepository)
        repo.write_stream("a.txt", io.BytesIO(b"a"))
        assert (tmp_path / "a.txt").read_bytes() == b"a"
    finally:
        _REPOSITORIES.pop("memtest", None)


def test_missing_optional_dependency_is_explained() -> None:
    try:
        register_artifact_repository("brokentest", "mltrail_no_such_module:Repo")
        with pytest.raises(MlflowException) as info:
            get_artifact_repository("brokentest://bucket/x")
        assert "not installed" in info.value.message
    finally:
        _REPOSITORIES.pop("brokentest", None)


def test_package_imports_without_heavy_dependencies() -> None:
    code = (
        "import sys, mltrail.store.artifacts as a; "
        "heavy = [m for m in ('boto3', 'numpy', 'PIL', 'sqlalchemy', 'requests') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
