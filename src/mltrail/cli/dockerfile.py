"""Build context of a model-serving image: a Dockerfile, the model and its requirements.

The image installs mltrail and the model's ``requirements.txt`` (minus MLflow itself, which
mltrail replaces), copies the model to ``/opt/ml/model`` and runs
``mltrail models serve -m /opt/ml/model -h 0.0.0.0 -p 8080``. Without a model the image
expects one mounted at ``/opt/ml/model``.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

MODEL_DIR_IN_IMAGE = "/opt/ml/model"
PORT_IN_IMAGE = 8080
MODEL_DIR_IN_CONTEXT = "model_dir"
REQUIREMENTS_IN_CONTEXT = "model_requirements.txt"
# Requirements MLflow writes for itself; mltrail serves the model instead.
_REPLACED_DISTRIBUTIONS = re.compile(r"^\s*(mlflow|mlflow-skinny|mlflow-tracing|mltrail)\b", re.I)


def serving_requirements(requirements_text: str) -> list[str]:
    """The model's pip requirements without MLflow's own packages, comments and blanks."""
    lines = []
    for raw in requirements_text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not _REPLACED_DISTRIBUTIONS.match(line):
            lines.append(line)
    return lines


def model_python_version(model_dir: Path | None) -> str:
    """``major.minor`` from the model's ``python_env.yaml``, else this interpreter's."""
    default = f"{sys.version_info.major}.{sys.version_info.minor}"
    env_file = model_dir / "python_env.yaml" if model_dir else None
    if env_file is None or not env_file.is_file():
        return default
    import yaml

    try:
        python = str((yaml.safe_load(env_file.read_text()) or {}).get("python", ""))
    except yaml.YAMLError:
        return default
    match = re.match(r"^(\d+)\.(\d+)", python)
    return f"{match.group(1)}.{match.group(2)}" if match else default


def dockerfile_text(
    base_image: str, mltrail_requirement: str, with_model: bool, with_requirements: bool
) -> str:
    lines = [
        f"FROM {base_image}",
        "",
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1",
        "# The server listens on every interface inside the container, so accept any Host",
        "# header (override with -e MLTRAIL_SCORING_ALLOWED_HOSTS=my.host.name).",
        'ENV MLTRAIL_SCORING_ALLOWED_HOSTS="*"',
        "WORKDIR /opt/mltrail",
        f'RUN python -m pip install "{mltrail_requirement}"',
    ]
    if with_requirements:
        lines += [
            f"COPY {REQUIREMENTS_IN_CONTEXT} /opt/mltrail/{REQUIREMENTS_IN_CONTEXT}",
            f"RUN python -m pip install -r /opt/mltrail/{REQUIREMENTS_IN_CONTEXT}",
        ]
    if with_model:
        lines.append(f"COPY {MODEL_DIR_IN_CONTEXT}/ {MODEL_DIR_IN_IMAGE}/")
    else:
        lines.append(f"# Mount the model at {MODEL_DIR_IN_IMAGE} (docker run -v ...).")
    lines += [
        f"EXPOSE {PORT_IN_IMAGE}",
        'ENTRYPOINT ["mltrail", "models", "serve", "-m", "' + MODEL_DIR_IN_IMAGE + '", '
        '"-h", "0.0.0.0", "-p", "' + str(PORT_IN_IMAGE) + '", "--env-manager", "local"]',
        "",
    ]
    return "\n".join(lines)


def write_build_context(
    output_dir: Path,
    model_dir: str | None,
    mltrail_requirement: str | None = None,
    base_image: str | None = None,
) -> Path:
    """Write ``Dockerfile`` (plus the model and its requirements) into ``output_dir``."""
    from mltrail import __version__

    source = Path(model_dir) if model_dir else None
    if source is not None and not (source / "MLmodel").is_file():
        raise MlflowException(
            f"{source} is not a model directory (it has no MLmodel file).", INVALID_PARAMETER_VALUE
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    requirements: list[str] = []
    if source is not None:
        target = output_dir / MODEL_DIR_IN_CONTEXT
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
        req_file = source / "requirements.txt"
        if req_file.is_file():
            requirements = serving_requirements(req_file.read_text())
    if requirements:
        (output_dir / REQUIREMENTS_IN_CONTEXT).write_text("\n".join(requirements) + "\n")
    text = dockerfile_text(
        base_image or f"python:{model_python_version(source)}-slim",
        mltrail_requirement or f"mltrail=={__version__}",
        with_model=source is not None,
        with_requirements=bool(requirements),
    )
    path = output_dir / "Dockerfile"
    path.write_text(text)
    return path
