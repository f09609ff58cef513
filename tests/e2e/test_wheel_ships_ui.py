"""A wheel built from the source tree carries the web UI, and its `mltrail server` serves it.

The build runs on a copy of the tree without ``src/mltrail/server/ui_static`` (as in a fresh
clone), so setup.py has to run the Vite build itself; ``ui/node_modules`` is linked from the
checkout (``./dev setup`` installs it) and the build backend (setuptools, a dev dependency)
comes from this virtualenv (no build isolation), so nothing is downloaded. The wheel is then
installed with ``--no-deps`` into a fresh virtualenv that borrows the dependencies from this
interpreter's site-packages through a ``.pth`` line, and its own ``mltrail`` command is started.
"""

from __future__ import annotations

import re
import shutil
import site
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile
from pathlib import Path

import pytest

from helpers.servers import free_port, spawn_server, wait_healthy

REPO = Path(__file__).resolve().parents[2]
UI_FILES = ("package.json", "package-lock.json", "index.html", "tsconfig.json", "vite.config.ts")
TREE_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def copy_source_tree(target: Path) -> Path:
    """The files a source build reads, without the built UI, bytecode or node_modules."""
    for name in TREE_FILES:
        shutil.copy2(REPO / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "ui_static", "*.egg-info")
    shutil.copytree(REPO / "src", target / "src", ignore=ignore)
    (target / "ui").mkdir()
    for name in UI_FILES:
        shutil.copy2(REPO / "ui" / name, target / "ui" / name)
    for folder in ("src", "public"):
        shutil.copytree(REPO / "ui" / folder, target / "ui" / folder)
    (target / "ui" / "node_modules").symlink_to(REPO / "ui" / "node_modules")
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("npx") or not (REPO / "ui" / "node_modules").is_dir():
        pytest.fail("building the UI needs Node.js and ui/node_modules: run ./dev setup")
    tree = copy_source_tree(tmp_path_factory.mktemp("tree"))
    dist = tmp_path_factory.mktemp("dist")
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "-w", str(dist), str(tree)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    (built,) = dist.glob("mltrail-*.whl")
    return built


def test_wheel_contains_the_built_ui(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "mltrail/server/ui_static/index.html" in names
    scripts = [n for n in names if re.fullmatch(r"mltrail/server/ui_static/assets/.+\.js", n)]
    assert scripts, f"no UI script in the wheel: {[n for n in names if 'ui_static' in n]}"
    index = zipfile.ZipFile(wheel).read("mltrail/server/ui_static/index.html").decode()
    assert any(Path(s).name in index for s in scripts), "index.html names no shipped script"
    assert not [n for n in names if "node_modules" in n or n.endswith(".tsx")]


def test_installed_wheel_serves_the_ui(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    # The dependencies (starlette, sqlalchemy, ...) come from this interpreter's site-packages.
    # A plain path line does not run that directory's .pth files, so the editable install of
    # the checkout stays invisible and `mltrail` can only come from the wheel.
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )  # fmt: skip
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    deps.append(sysconfig.get_paths()["purelib"])
    (purelib / "_deps.pth").write_text("\n".join(dict.fromkeys(deps)) + "\n")
    env = {"MLTRAIL_UI_DIR": "", "PYTHONPATH": ""}
    where = subprocess.run(
        [str(python), "-c", "import mltrail.server.web_ui as w; print(w.ui_directory())"],
        check=True, capture_output=True, text=True, cwd=tmp_path, env=env,
    ).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(venv), where
    port = free_port()
    command = [
        str(venv / "bin" / "mltrail"), "server", "--host", "127.0.0.1", "--port", str(port),
        "--backend-store-uri", f"sqlite:///{tmp_path / 'mlflow.db'}",
        "--artifacts-destination", str(tmp_path / "artifacts"),
    ]  # fmt: skip
    handle = spawn_server(command, port, tmp_path / "server.log", env, tmp_path)
    try:
        wait_healthy(handle)
        with urllib.request.urlopen(handle.url + "/", timeout=10) as response:
            assert response.status == 200
            page = response.read().decode()
        assert "web UI is not built" not in page
        script = re.search(r'src="\.?/?(assets/[^"]+\.js)"', page)
        assert script, page
        with urllib.request.urlopen(f"{handle.url}/{script.group(1)}", timeout=10) as response:
            assert response.status == 200
            assert "javascript" in response.headers["Content-Type"]
            assert len(response.read()) > 1000
    finally:
        handle.stop()
