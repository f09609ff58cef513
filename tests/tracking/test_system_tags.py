"""System tags set by start_run: user, source, git (read from .git files), run context."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mltrail
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.tracking import context
from mltrail.tracking._git import read_git_info, strip_credentials

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="the git command is needed to build a repo")


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    out = subprocess.run(
        [GIT or "git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def _make_repo(path: Path, remote: str | None = None) -> str:
    path.mkdir(parents=True, exist_ok=True)
    _git(path, "init", "-q", "-b", "feature/x")
    (path / "README").write_text("hi")
    _git(path, "add", "README")
    _git(path, "commit", "-q", "-m", "first")
    if remote:
        _git(path, "remote", "add", "origin", remote)
    return _git(path, "rev-parse", "HEAD")


def test_default_tags_of_a_new_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["train.py", "--epochs", "3"])
    with mltrail.start_run(run_name="tagged", description="my *notes*") as run:
        pass
    tags = mltrail.get_run(run.info.run_id).data.tags
    assert tags["mlflow.user"] == context.get_user()
    assert run.info.user_id == tags["mlflow.user"]
    assert tags["mlflow.source.name"] == "train.py"
    assert tags["mlflow.source.type"] == "LOCAL"
    assert tags["mlflow.runName"] == "tagged"
    assert tags["mlflow.note.content"] == "my *notes*"
    assert "mlflow.parentRunId" not in tags


def test_console_source_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [""])
    assert context.source_tags() == {
        "mlflow.source.name": "<console>",
        "mlflow.source.type": "LOCAL",
    }


def test_tracking_username_env_sets_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "alice")
    with mltrail.start_run() as run:
        pass
    assert run.data.tags["mlflow.user"] == "alice"
    assert mltrail.get_run(run.info.run_id).info.user_id == "alice"


def test_run_context_env_adds_tags_and_user_tags_override(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLFLOW_RUN_CONTEXT", '{"team": "vision", "mlflow.source.type": "JOB"}')
    with mltrail.start_run(tags={"team": "nlp", "mlflow.user": "bot"}) as run:
        pass
    tags = mltrail.get_run(run.info.run_id).data.tags
    assert tags["team"] == "nlp"
    assert tags["mlflow.source.type"] == "JOB"
    assert tags["mlflow.user"] == "bot"
    assert run.info.user_id == "bot"


@pytest.mark.parametrize("raw", ["not json", "[1, 2]"])
def test_bad_run_context_is_a_clear_error(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_RUN_CONTEXT", raw)
    with pytest.raises(MlflowException, match="MLFLOW_RUN_CONTEXT") as info:
        mltrail.start_run()
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert mltrail.active_run() is None


def test_description_and_note_tag_together_are_rejected() -> None:
    with pytest.raises(MlflowException, match="description") as info:
        mltrail.start_run(description="a", tags={"mlflow.note.content": "b"})
    assert info.value.error_code == INVALID_PARAMETER_VALUE


@needs_git
def test_git_tags_from_a_script_in_a_checkout(tmp_path: Path, tracking_db: str) -> None:
    repo = tmp_path / "project"
    commit = _make_repo(repo, remote="https://user:s3cret@github.com/acme/project.git")
    script = repo / "src" / "train.py"
    script.parent.mkdir()
    script.write_text(
        textwrap.dedent(
            f"""
            import mltrail as mlflow
            mlflow.set_tracking_uri({tracking_db!r})
            with mlflow.start_run() as run:
                mlflow.log_param("alpha", 0.5)
            print(run.info.run_id)
            """
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env["MLFLOW_DEFAULT_ARTIFACT_ROOT"] = str(tmp_path / "artifacts")
    out = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    run = mltrail.get_run(out.stdout.strip().splitlines()[-1])
    tags = run.data.tags
    assert tags["mlflow.source.git.commit"] == commit
    assert tags["mlflow.source.git.branch"] == "feature/x"
    assert tags["mlflow.source.git.repoURL"] == "https://github.com/acme/project.git"
    assert tags["mlflow.source.name"] == str(script)
    assert tags["mlflow.source.type"] == "LOCAL"
    assert run.info.status == "FINISHED"
    assert run.data.params == {"alpha": "0.5"}


def test_no_git_tags_outside_a_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "plain" / "train.py"
    script.parent.mkdir()
    script.write_text("")
    monkeypatch.setattr(sys, "argv", [str(script)])
    with mltrail.start_run() as run:
        pass
    assert not any(k.startswith("mlflow.source.git") for k in run.data.tags)


@needs_git
def test_read_git_info_packed_refs_detached_and_unborn(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    commit = _make_repo(repo, remote="git@github.com:acme/r.git")
    _git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "feature" / "x").exists()
    info = read_git_info(str(repo / "sub" / "dir"))  # need not exist: parents are searched
    assert info is not None
    assert info.commit == commit
    assert info.branch == "feature/x"
    assert info.repo_url == "git@github.com:acme/r.git"

    detached = tmp_path / "d"
    _make_repo(detached)
    _git(detached, "checkout", "-q", "--detach")
    head = _git(detached, "rev-parse", "HEAD")
    info = read_git_info(str(detached))
    assert info is not None
    assert (info.commit, info.branch, info.repo_url) == (head, None, None)

    unborn = tmp_path / "u"
    unborn.mkdir()
    _git(unborn, "init", "-q")
    assert read_git_info(str(unborn)) is None


@needs_git
def test_read_git_info_follows_worktrees(tmp_path: Path) -> None:
    repo = tmp_path / "main"
    commit = _make_repo(repo, remote="https://example.com/w.git")
    _git(repo, "worktree", "add", "-q", "-b", "wt-branch", str(tmp_path / "wt"))
    info = read_git_info(str(tmp_path / "wt"))
    assert info is not None
    assert (info.commit, info.branch) == (commit, "wt-branch")
    assert info.repo_url == "https://example.com/w.git"


def test_read_git_info_from_handwritten_files(tmp_path: Path) -> None:
    git_dir = tmp_path / "repo" / ".git"
    (git_dir / "refs" / "heads").mkdir(parents=True)
    sha = "0123456789abcdef0123456789abcdef01234567"
    (git_dir / "HEAD").write_text("ref: refs/heads/main\n")
    (git_dir / "refs" / "heads" / "main").write_text(sha + "\n")
    (git_dir / "config").write_text(
        '[core]\n\tbare = false\n[remote "upstream"]\n\turl = ssh://bob:pw@host/x.git\n'
        "\tfetch = +refs/heads/*:refs/remotes/upstream/*\n"
    )
    info = read_git_info(str(tmp_path / "repo"))
    assert info is not None
    assert (info.commit, info.branch, info.repo_url) == (sha, "main", "ssh://bob@host/x.git")


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("https://user:token@github.com/a/b.git", "https://github.com/a/b.git"),
        ("https://ghp_token@github.com/a/b.git", "https://github.com/a/b.git"),
        ("http://host:8080/a.git", "http://host:8080/a.git"),
        ("ssh://git:pw@host:22/a.git", "ssh://git@host:22/a.git"),
        ("git@github.com:a/b.git", "git@github.com:a/b.git"),
    ],
)
def test_strip_credentials(url: str, clean: str) -> None:
    assert strip_credentials(url) == clean
