"""Build hook: put the compiled web UI into wheels and sdists built from the source tree.

pyproject.toml holds the metadata; this file only adds a step to ``build_py`` and ``sdist``:
when ``ui/package.json`` exists (a source checkout or an sdist) and
``src/mltrail/server/ui_static/index.html`` is missing or older than a UI source file, run
``npm ci`` (only when ``ui/node_modules`` is missing or was installed from another lock file)
and ``npx vite build`` in ``ui/``. So ``pip install`` users get the UI without Node, and
building from an sdist (which ships the built UI) does not need Node either.

- Editable installs (``pip install -e .``, run by ``./dev setup``) never build the UI: ``./dev``
  builds it right after, only when its sources changed, so the install stays fast.
- No Node.js/npm and no built UI: the build fails with what to install. A stale build and no
  Node: a warning, and the existing build ships.
- ``MLTRAIL_SKIP_UI_BUILD=1`` builds without touching the UI (a wheel without it, if missing).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
UI_DIR = ROOT / "ui"
UI_OUT = ROOT / "src" / "mltrail" / "server" / "ui_static"
UI_SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json",
              "tsconfig.json", "vite.config.ts")  # fmt: skip
SKIP_ENV = "MLTRAIL_SKIP_UI_BUILD"


class UiBuildError(RuntimeError):
    """The web UI had to be built and could not be."""


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in UI_SOURCES:
        path = UI_DIR / name
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        for file in files:
            if file.exists() and "node_modules" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


def ui_state() -> str:
    """'absent' (no ui/ sources), 'fresh', 'stale' (older than a source) or 'missing'."""
    if not (UI_DIR / "package.json").is_file():
        return "absent"
    index = UI_OUT / "index.html"
    if not index.is_file() or not any((UI_OUT / "assets").glob("*.js")):
        return "missing"
    return "fresh" if index.stat().st_mtime >= _newest_source_mtime() else "stale"


def _run(args: list[str], **env: str) -> None:
    print(f"[mltrail ui] {' '.join(args)}", file=sys.stderr, flush=True)
    subprocess.run(args, cwd=UI_DIR, check=True, env={**os.environ, **env})


def build_ui() -> None:
    """Build the UI into the package when needed (see the module docstring)."""
    if os.environ.get(SKIP_ENV, "").lower() in ("1", "true", "yes"):
        return
    state = ui_state()
    if state in ("absent", "fresh"):
        return
    npm, npx = shutil.which("npm"), shutil.which("npx")
    if not npm or not npx or not shutil.which("node"):
        if state == "stale":
            print(
                f"[mltrail ui] WARNING: {UI_OUT / 'index.html'} is older than the sources in "
                "ui/, and Node.js/npm are not installed: shipping the existing build.",
                file=sys.stderr,
            )
            return
        raise UiBuildError(
            "Building mltrail from source needs its web UI built: install Node.js 20+ and npm "
            "(e.g. `apt-get install nodejs npm`) and build again, or run `./dev setup`, or set "
            f"{SKIP_ENV}=1 to build a package without the web UI."
        )
    lock = UI_DIR / "package-lock.json"
    stamp_name = ".installed-" + hashlib.sha1(lock.read_bytes()).hexdigest()[:12]
    stamp = UI_DIR / "node_modules" / stamp_name  # the same stamp `./dev setup` writes
    if not stamp.exists():
        _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"])
        stamp.touch()
    _run([npx, "vite", "build", "--logLevel", "warn"], MLTRAIL_UI_OUT_DIR=str(UI_OUT))
    if not (UI_OUT / "index.html").is_file():
        raise UiBuildError(f"the UI build wrote no {UI_OUT / 'index.html'}")


class BuildPyWithUi(build_py):
    """``build_py`` that first builds the web UI (never in editable mode)."""

    def run(self) -> None:
        if not getattr(self, "editable_mode", False):
            build_ui()
            # Package discovery ran before the build: list ui_static's folders as (data-only)
            # packages like a discovery that found them would, then the package data again.
            for folder in (UI_OUT, *(p for p in UI_OUT.rglob("*") if p.is_dir())):
                if folder.is_dir():
                    name = ".".join(folder.relative_to(ROOT / "src").parts)
                    if self.packages is not None and name not in self.packages:
                        self.packages.append(name)
            self.__dict__.pop("data_files", None)
        super().run()


class SdistWithUi(sdist):
    """``sdist`` that ships the built web UI next to its sources."""

    def run(self) -> None:
        build_ui()
        super().run()


setup(cmdclass={"build_py": BuildPyWithUi, "sdist": SdistWithUi})
