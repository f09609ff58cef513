"""Artifact path rules: normalisation and every escape attempt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.utils.artifact_paths import (
    confine,
    join_artifact_path,
    local_path_from_uri,
    validate_artifact_path,
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("", ""),
        (".", ""),
        ("a", "a"),
        ("a/b/c.txt", "a/b/c.txt"),
        ("./a//b/", "a/b"),
        ("model/MLmodel", "model/MLmodel"),
        ("100%.txt", "100%.txt"),
        ("a..b/..c", "a..b/..c"),
        # MLflow's image names contain '%' sequences that look like escapes; they stay valid.
        ("images/loss%step%12%timestamp%1700000000000%00ab-5c2f.png", None),
    ],
)
def test_valid_paths_are_normalised(raw: str, clean: str | None) -> None:
    assert validate_artifact_path(raw) == (raw if clean is None else clean)


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        ("../x", "'..'"),
        ("a/../../x", "'..'"),
        ("a/..", "'..'"),
        ("/etc/passwd", "absolute"),
        ("%2e%2e/x", "percent-decoded"),
        ("a/%2E%2E/%2e%2e/x", "percent-decoded"),
        ("%252e%252e/x", "percent-decoded"),
        ("%2fetc/passwd", "percent-decoded"),
        ("a%5c..%5cb", "percent-decoded"),
        ("a\\b", "backslash"),
        ("..\\x", "backslash"),
        ("x?query", "'?'"),
        ("a\x00b", "NUL"),
        ("C:/windows", "drive letter"),
        ("c:x", "drive letter"),
    ],
)
def test_bad_paths_are_rejected_with_the_rule(bad: str, rule: str) -> None:
    with pytest.raises(MlflowException) as info:
        validate_artifact_path(bad)
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert repr(bad) in info.value.message
    assert rule in info.value.message


def test_non_string_path_is_rejected() -> None:
    with pytest.raises(MlflowException) as info:
        validate_artifact_path(3)  # type: ignore[arg-type]
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_confine_keeps_paths_inside_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    assert confine(root, "") == root.resolve()
    assert confine(root, "a/b.txt") == root.resolve() / "a" / "b.txt"
    with pytest.raises(MlflowException):
        confine(root, "../sibling")


def test_confine_refuses_symlinks_that_leave_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    os.symlink(outside, root / "escape")
    os.symlink(outside / "secret.txt", root / "secret-link")
    with pytest.raises(MlflowException) as info:
        confine(root, "escape/secret.txt")
    assert "outside the root" in info.value.message
    with pytest.raises(MlflowException):
        confine(root, "secret-link")
    # A link that stays inside the root is fine.
    (root / "real").mkdir()
    os.symlink(root / "real", root / "alias")
    assert confine(root, "alias/x") == (root / "real" / "x").resolve()


def test_join_artifact_path_skips_empty_parts() -> None:
    assert join_artifact_path(None, "", "a/", "/b", "c.txt") == "a/b/c.txt"
    assert join_artifact_path() == ""


def test_local_path_from_uri_forms(tmp_path: Path) -> None:
    assert local_path_from_uri(str(tmp_path)) == tmp_path
    assert local_path_from_uri(tmp_path.as_uri()) == tmp_path
    assert local_path_from_uri(f"file:{tmp_path}") == tmp_path
    assert local_path_from_uri(f"file://localhost{tmp_path}") == tmp_path
    assert local_path_from_uri("file:///tmp/with%20space") == Path("/tmp/with space")
    with pytest.raises(MlflowException) as info:
        local_path_from_uri("file://otherhost/x")
    assert "otherhost" in info.value.message


def test_hash_is_a_literal_file_name_character() -> None:
    # MLflow's log_image(key="a/b") names files "images/a#b%step%...": they must stay loggable.
    assert validate_artifact_path("images/a#b%step%0%timestamp%1.png") == (
        "images/a#b%step%0%timestamp%1.png"
    )
