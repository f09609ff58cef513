"""Turn in-memory objects into local files for ``log_text``, ``log_dict``, ``log_figure`` and
``log_image``. The caller logs the written file as an artifact.

Heavy libraries (numpy, PIL, yaml, matplotlib, plotly) are imported only inside the function
that needs them.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

_YAML_EXTENSIONS = (".yaml", ".yml")
_PLOTLY_IMAGE_EXTENSIONS = (".png", ".jpeg", ".jpg", ".webp", ".svg", ".pdf", ".eps")


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _extension(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def write_text(text: str, path: str) -> None:
    """Write ``text`` to ``path`` as UTF-8."""
    if not isinstance(text, str):
        raise _invalid(f"log_text expects a str, got {type(text).__name__}.")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_dict(dictionary: dict[str, Any], path: str) -> None:
    """Write ``dictionary`` as YAML for ``.yaml``/``.yml`` paths, as indented JSON otherwise."""
    if _extension(path) in _YAML_EXTENSIONS:
        import yaml

        try:
            content = yaml.safe_dump(dictionary, default_flow_style=False)
        except yaml.YAMLError as error:
            raise _invalid(
                f"log_dict cannot write {path!r} as YAML: {error}. Use plain dicts, lists, "
                "strings, numbers and booleans."
            ) from error
    else:
        try:
            content = json.dumps(dictionary, indent=2)
        except (TypeError, ValueError) as error:
            raise _invalid(
                f"log_dict cannot write {path!r} as JSON: {error}. Use plain dicts, lists, "
                "strings, numbers and booleans."
            ) from error
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)


def _is_matplotlib_figure(figure: object) -> bool:
    module = sys.modules.get("matplotlib.figure")
    return module is not None and isinstance(figure, module.Figure)


def _is_plotly_figure(figure: object) -> bool:
    module = sys.modules.get("plotly.graph_objects")
    return module is not None and isinstance(figure, module.Figure)


def write_figure(figure: Any, path: str, save_kwargs: dict[str, Any] | None = None) -> None:
    """Save a matplotlib or plotly figure to ``path``; the extension picks the format."""
    if _is_matplotlib_figure(figure):
        figure.savefig(path, **(save_kwargs or {}))
        return
    if _is_plotly_figure(figure):
        _write_plotly_figure(figure, path, save_kwargs or {})
        return
    raise _invalid(
        f"log_figure cannot save an object of type {type(figure).__module__}."
        f"{type(figure).__qualname__}: it accepts matplotlib.figure.Figure and "
        "plotly.graph_objects.Figure."
    )


def _write_plotly_figure(figure: Any, path: str, save_kwargs: dict[str, Any]) -> None:
    extension = _extension(path)
    if extension == ".html":
        figure.write_html(path, **{"include_plotlyjs": "cdn", "auto_open": False, **save_kwargs})
        return
    if extension not in _PLOTLY_IMAGE_EXTENSIONS:
        raise _invalid(
            f"log_figure cannot save a plotly figure as {path!r}: use .html or one of "
            f"{', '.join(_PLOTLY_IMAGE_EXTENSIONS)}."
        )
    try:
        figure.write_image(path, **save_kwargs)
    except (ImportError, ValueError, RuntimeError) as error:
        raise _invalid(
            f"Saving a plotly figure as an image ({path!r}) failed: {error}. Image export "
            "needs the 'kaleido' package; or log the figure as .html."
        ) from error


def write_image(image: Any, path: str) -> None:
    """Save a numpy array or a PIL image to ``path`` (format from the extension).

    Arrays are ``(H, W)`` grayscale or ``(H, W, C)`` with 1, 3 or 4 channels; integer values
    must lie in [0, 255] and float values in [0, 1] (scaled to 0..255; other float ranges are
    min-max rescaled with a warning, as MLflow does).
    """
    try:
        from PIL import Image
    except ImportError as error:
        raise MlflowException(
            "log_image needs Pillow: pip install pillow (or mltrail[figures])."
        ) from error
    if isinstance(image, Image.Image):
        pil_image = image
    elif type(image).__module__ == "numpy" and type(image).__name__ == "ndarray":
        pil_image = _array_to_pil(image)
    else:
        raise _invalid(
            f"log_image cannot save an object of type {type(image).__name__}: it accepts "
            "numpy.ndarray and PIL.Image.Image."
        )
    try:
        pil_image.save(path)
    except (OSError, ValueError, KeyError) as error:
        raise _invalid(
            f"log_image cannot save a {pil_image.mode} image as {path!r}: {error}. Use a file "
            "extension such as .png that supports this image mode."
        ) from error


def _array_to_pil(array: Any) -> Any:
    import numpy as np
    from PIL import Image

    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim != 2 and not (array.ndim == 3 and array.shape[2] in (3, 4)):
        raise _invalid(
            f"log_image got an array of shape {array.shape}: expected (height, width) for "
            "grayscale or (height, width, channels) with 1, 3 or 4 channels."
        )
    return Image.fromarray(_to_uint8(array, np))  # mode L, RGB or RGBA from the shape


def _to_uint8(array: Any, np: Any) -> Any:
    """Pixels as uint8, as MLflow converts them: integers must lie in [0, 255]; floats in
    [0, 1] are scaled by 255 (truncating), and floats outside [0, 1] are min-max rescaled
    with a warning."""
    if array.dtype == np.uint8:
        return np.ascontiguousarray(array)
    if array.size == 0:
        raise _invalid("log_image got an empty array.")
    if np.issubdtype(array.dtype, np.bool_):
        return np.ascontiguousarray(array.astype(np.uint8) * 255)
    if np.issubdtype(array.dtype, np.integer):
        low, high = int(array.min()), int(array.max())
        if low < 0 or high > 255:
            raise _invalid(
                f"log_image got integer pixel values in [{low}, {high}]: integer images must "
                "lie in [0, 255]."
            )
        return np.ascontiguousarray(array.astype(np.uint8))
    if not np.issubdtype(array.dtype, np.floating):
        raise _invalid(
            f"log_image cannot save an array of dtype {array.dtype}: use uint8, another "
            "integer type with values in [0, 255], or floats in [0, 1]."
        )
    if not np.isfinite(array).all():
        raise _invalid("log_image got NaN or infinite pixel values: float images must be finite.")
    f_low, f_high = float(array.min()), float(array.max())
    if f_low < 0.0 or f_high > 1.0:
        warnings.warn(
            f"log_image: float pixel values lie in [{f_low}, {f_high}], outside [0, 1]; rescaling "
            "them to [0, 1] with min/max scaling.",
            UserWarning,
            stacklevel=4,
        )
        span = f_high - f_low
        array = (array - f_low) / span if span > 0 else np.zeros_like(array)
    return np.ascontiguousarray((array * 255).astype(np.uint8))
