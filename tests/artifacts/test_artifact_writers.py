"""The writers behind log_text / log_dict / log_figure / log_image, read back for real."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.tracking.artifact_writers import write_dict, write_figure, write_image, write_text

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_write_text_is_utf8(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    write_text("héllo — wörld ✓\nline 2", str(path))
    assert path.read_bytes().decode("utf-8") == "héllo — wörld ✓\nline 2"
    with pytest.raises(MlflowException) as info:
        write_text(b"bytes", str(path))  # type: ignore[arg-type]
    assert info.value.error_code == INVALID_PARAMETER_VALUE


DATA = {"name": "run", "params": {"lr": 0.01, "layers": [1, 2, 3]}, "ok": True, "none": None}


def test_write_dict_json(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    write_dict(DATA, str(path))
    text = path.read_text()
    assert json.loads(text) == DATA
    assert '\n  "params": {' in text  # indent=2


@pytest.mark.parametrize("extension", [".yaml", ".yml", ".YAML"])
def test_write_dict_yaml(tmp_path: Path, extension: str) -> None:
    path = tmp_path / f"d{extension}"
    write_dict(DATA, str(path))
    text = path.read_text()
    assert yaml.safe_load(text) == DATA
    assert "{" not in text  # block style, not flow style


def test_write_dict_other_extension_is_json(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    write_dict(DATA, str(path))
    assert json.loads(path.read_text()) == DATA


def test_write_dict_unserialisable(tmp_path: Path) -> None:
    for name in ("d.json", "d.yaml"):
        with pytest.raises(MlflowException) as info:
            write_dict({"f": object()}, str(tmp_path / name))
        assert info.value.error_code == INVALID_PARAMETER_VALUE
        assert name in info.value.message


def test_write_matplotlib_figure_png(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots()
    axes.plot([0, 1, 2], [2, 1, 3])
    try:
        path = tmp_path / "plot.png"
        write_figure(figure, str(path), save_kwargs={"dpi": 50})
        assert path.read_bytes()[:8] == PNG_MAGIC
        from PIL import Image

        with Image.open(path) as image:
            assert image.size == (320, 240)  # default 6.4x4.8 inches at dpi=50
        svg = tmp_path / "plot.svg"
        write_figure(figure, str(svg))
        assert "<svg" in svg.read_text()
    finally:
        plt.close(figure)


def test_write_figure_rejects_other_objects(tmp_path: Path) -> None:
    with pytest.raises(MlflowException) as info:
        write_figure([1, 2, 3], str(tmp_path / "x.png"))
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert "matplotlib.figure.Figure" in info.value.message
    assert "plotly" in info.value.message


def _flat_pixels(image: object) -> list[object]:
    import numpy as np

    array = np.asarray(image)
    if array.ndim == 2:
        return [int(v) for v in array.reshape(-1)]
    return [tuple(int(v) for v in p) for p in array.reshape(-1, array.shape[2])]


def _pixels(path: Path) -> tuple[str, list[object]]:
    from PIL import Image

    with Image.open(path) as image:
        return image.mode, _flat_pixels(image)


def test_write_uint8_arrays(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    cases = {
        "gray": (rng.integers(0, 256, (4, 5), dtype=np.uint8), "L"),
        "one_channel": (rng.integers(0, 256, (4, 5, 1), dtype=np.uint8), "L"),
        "rgb": (rng.integers(0, 256, (4, 5, 3), dtype=np.uint8), "RGB"),
        "rgba": (rng.integers(0, 256, (4, 5, 4), dtype=np.uint8), "RGBA"),
    }
    for name, (array, mode) in cases.items():
        path = tmp_path / f"{name}.png"
        write_image(array, str(path))
        got_mode, pixels = _pixels(path)
        assert got_mode == mode
        flat = array.reshape(4 * 5, -1)
        expected = [int(p[0]) for p in flat] if mode == "L" else [tuple(map(int, p)) for p in flat]
        assert pixels == expected


def test_write_float_and_int_arrays(tmp_path: Path) -> None:
    import numpy as np

    floats = np.array([[0.0, 0.5], [0.25, 1.0]])
    write_image(floats, str(tmp_path / "f.png"))
    assert _pixels(tmp_path / "f.png") == ("L", [0, 127, 63, 255])
    ints = np.array([[0, 10], [200, 255]], dtype=np.int64)
    write_image(ints, str(tmp_path / "i.png"))
    assert _pixels(tmp_path / "i.png") == ("L", [0, 10, 200, 255])


def test_float_out_of_range_is_rescaled_with_warning(tmp_path: Path) -> None:
    import numpy as np

    with pytest.warns(UserWarning, match="outside"):
        write_image(np.array([[-1.0, 0.0], [1.0, 3.0]]), str(tmp_path / "r.png"))
    assert _pixels(tmp_path / "r.png") == ("L", [0, 63, 127, 255])


def test_bad_arrays_are_rejected(tmp_path: Path) -> None:
    import numpy as np

    bad = [
        np.array([[0, 300]]),  # ints out of range
        np.array([[-1, 3]]),
        np.array([[0.1, np.nan]]),
        np.zeros((2, 2, 2), dtype=np.uint8),  # 2 channels
        np.zeros((2,), dtype=np.uint8),  # 1-D
        np.zeros((2, 2, 3, 1), dtype=np.uint8),
        np.array([["a", "b"]]),
    ]
    for array in bad:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(MlflowException) as info:
                write_image(array, str(tmp_path / "bad.png"))
        assert info.value.error_code == INVALID_PARAMETER_VALUE
    with pytest.raises(MlflowException) as info:
        write_image([[0, 1]], str(tmp_path / "list.png"))
    assert "numpy.ndarray" in info.value.message


def test_pil_images_are_saved_as_is(tmp_path: Path) -> None:
    from PIL import Image

    image = Image.new("RGB", (3, 2), (10, 20, 30))
    image.putpixel((1, 1), (255, 0, 128))
    write_image(image, str(tmp_path / "pil.png"))
    mode, pixels = _pixels(tmp_path / "pil.png")
    assert mode == "RGB"
    assert pixels == _flat_pixels(image)
    write_image(image, str(tmp_path / "pil.jpg"))
    assert (tmp_path / "pil.jpg").read_bytes()[:2] == b"\xff\xd8"
    rgba = Image.new("RGBA", (2, 2))
    with pytest.raises(MlflowException) as info:
        write_image(rgba, str(tmp_path / "rgba.jpg"))  # JPEG has no alpha channel
    assert "RGBA" in info.value.message


def test_writers_module_imports_no_heavy_libraries() -> None:
    code = (
        "import sys, mltrail.tracking.artifact_writers; "
        "print([m for m in ('numpy', 'PIL', 'yaml', 'matplotlib') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
