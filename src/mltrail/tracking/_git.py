"""Read the commit, branch and remote URL of a git checkout straight from its ``.git`` files.

No ``git`` process and no GitPython: HEAD, loose refs, ``packed-refs`` and ``config`` are plain
text. Worktrees and submodules (a ``.git`` *file* pointing elsewhere) are followed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_MAX_SYMREF_DEPTH = 5


@dataclass(frozen=True, slots=True)
class GitInfo:
    commit: str
    branch: str | None
    repo_url: str | None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _find_git_dir(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        candidate = directory / ".git"
        if candidate.is_dir():
            return candidate
        if candidate.is_file():
            content = _read(candidate) or ""
            if content.startswith("gitdir:"):
                target = Path(content[len("gitdir:") :].strip())
                return target if target.is_absolute() else (directory / target).resolve()
            return None
    return None


def _common_dir(git_dir: Path) -> Path:
    """Where refs and config live: the main ``.git`` for a linked worktree."""
    common = _read(git_dir / "commondir")
    if not common:
        return git_dir
    path = Path(common)
    return path if path.is_absolute() else (git_dir / path).resolve()


def _packed_ref(common_dir: Path, ref: str) -> str | None:
    packed = _read(common_dir / "packed-refs")
    if not packed:
        return None
    for line in packed.splitlines():
        if line.startswith(("#", "^")):
            continue
        sha, _, name = line.partition(" ")
        if name.strip() == ref:
            return sha
    return None


def _resolve_ref(git_dir: Path, common_dir: Path, ref: str) -> str | None:
    for _ in range(_MAX_SYMREF_DEPTH):
        value = _read(git_dir / ref) or _read(common_dir / ref) or _packed_ref(common_dir, ref)
        if value is None:
            return None
        if value.startswith("ref:"):
            ref = value[len("ref:") :].strip()
            continue
        return value if _SHA.match(value) else None
    return None


def strip_credentials(url: str) -> str:
    """Remove secrets from a remote URL: all userinfo for http(s), the password otherwise."""
    if "://" not in url:
        return url  # scp-like "git@host:org/repo.git" carries no secret
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    netloc = host if parts.scheme in ("http", "https") else f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _remote_url(common_dir: Path) -> str | None:
    import configparser

    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read(common_dir / "config", encoding="utf-8")
    except (configparser.Error, OSError, UnicodeError):
        return None
    remotes: dict[str, str] = {}
    for section in parser.sections():
        match = re.fullmatch(r'remote\s+"(.+)"', section.strip())
        if match and parser.has_option(section, "url"):
            remotes[match.group(1)] = parser.get(section, "url").strip()
    url = remotes.get("origin") or next(iter(remotes.values()), None)
    return strip_credentials(url) if url else None


@functools.lru_cache(maxsize=64)
def read_git_info(directory: str) -> GitInfo | None:
    """Commit, branch (None when detached) and remote of the checkout holding ``directory``.

    None when the directory is not in a git checkout or the checkout has no commit yet.
    Cached per directory for the life of the process.
    """
    git_dir = _find_git_dir(Path(directory).absolute())
    if git_dir is None:
        return None
    common_dir = _common_dir(git_dir)
    head = _read(git_dir / "HEAD")
    if not head:
        return None
    branch: str | None = None
    if head.startswith("ref:"):
        ref = head[len("ref:") :].strip()
        commit = _resolve_ref(git_dir, common_dir, ref)
        branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    else:
        commit = head if _SHA.match(head) else None
    if commit is None:
        return None
    return GitInfo(commit=commit, branch=branch, repo_url=_remote_url(common_dir))
