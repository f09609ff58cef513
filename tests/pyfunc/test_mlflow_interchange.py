"""Custom models move both ways between mltrail and the real MLflow 3.17.2.

The model class lives in a small module (conftest.MODELS_SOURCE) importable by both processes;
MLflow runs in its own virtualenv, never imported here.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pandas as pd
import yaml

from helpers.servers import run_with_real_mlflow
from mltrail import pyfunc
from mltrail.models import Model

MLFLOW_SCRIPT = """
import json, logging, os, warnings
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
import numpy as np, pandas as pd
import mlflow
from mlflow.models import Model
import pyfunc_test_models as models

spec = json.loads(os.environ["INTERCHANGE_SPEC"])
frame = pd.DataFrame({"x": [1.0, 2.0, 4.0]})

# 1. mltrail's model, loaded and run by MLflow
theirs = mlflow.pyfunc.load_model(spec["mltrail_model"])
from_mltrail = theirs.predict(frame)["x"].tolist()
meta = Model.load(spec["mltrail_model"])
parsed = {
    "flavors": sorted(meta.flavors),
    "model_uuid": meta.model_uuid,
    "signature": meta.signature.to_dict(),
    "example_type": meta.saved_input_example_info["type"],
    "size": meta.model_size_bytes,
    "config": theirs.model_config,
    "files": theirs.unwrap_python_model().files,
}

# 2. MLflow's model for mltrail to load
mlflow.pyfunc.save_model(
    spec["mlflow_model"],
    python_model=models.Affine(),
    artifacts=spec["artifacts"],
    model_config={"offset": 0.5},
    input_example=frame.head(1),
)
own = mlflow.pyfunc.load_model(spec["mlflow_model"]).predict(frame)["x"].tolist()
print(json.dumps({"from_mltrail": from_mltrail, "parsed": parsed, "own": own}))
"""


def test_custom_models_interchange_with_real_mlflow(
    tmp_path: Path, models_dir: Path, models: ModuleType, artifacts: dict[str, str]
) -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 4.0]})
    mltrail_model = tmp_path / "mltrail_model"
    pyfunc.save_model(
        mltrail_model,
        python_model=models.Affine(),
        artifacts=artifacts,
        model_config={"offset": 0.5},
        input_example=frame.head(1),
    )
    ours = pyfunc.load_model(mltrail_model).predict(frame)["x"].tolist()
    spec = {
        "mltrail_model": str(mltrail_model),
        "mlflow_model": str(tmp_path / "mlflow_model"),
        "artifacts": artifacts,
    }
    result = run_with_real_mlflow(
        MLFLOW_SCRIPT, env={"INTERCHANGE_SPEC": json.dumps(spec)}, cwd=models_dir
    )

    # MLflow loads and runs mltrail's model identically, and parses its MLmodel
    assert ours == [3.5, 6.5, 12.5]
    assert result["from_mltrail"] == ours
    ours_meta = Model.load(mltrail_model)
    assert result["parsed"] == {
        "flavors": ["python_function"],
        "model_uuid": ours_meta.model_uuid,
        "signature": ours_meta.signature.to_dict(),
        "example_type": "dataframe",
        "size": ours_meta.model_size_bytes,
        "config": {"offset": 0.5},
        "files": ["a.txt", "b.txt"],
    }

    # mltrail loads and runs MLflow's model identically, and parses its MLmodel
    mlflow_model = Path(spec["mlflow_model"])
    loaded = pyfunc.load_model(mlflow_model)
    assert loaded.predict(frame)["x"].tolist() == result["own"] == ours
    assert loaded.model_config == {"offset": 0.5}
    assert loaded.unwrap_python_model().files == ["a.txt", "b.txt"]
    raw = yaml.safe_load((mlflow_model / "MLmodel").read_text())
    theirs_meta = Model.load(mlflow_model)
    assert theirs_meta.to_dict() == raw
    assert theirs_meta.signature == ours_meta.signature

    # Both write the same MLmodel structure and the same environment files
    ours_raw = yaml.safe_load((mltrail_model / "MLmodel").read_text())
    assert sorted(ours_raw) == sorted(raw)
    assert sorted(ours_raw["flavors"]["python_function"]) == sorted(
        raw["flavors"]["python_function"]
    )
    for key in ("artifacts", "code", "config", "env", "loader_module", "streamable"):
        assert ours_raw["flavors"]["python_function"][key] == raw["flavors"]["python_function"][key]
    for key in ("saved_input_example_info", "mlflow_version", "model_id", "prompts"):
        assert ours_raw[key] == raw[key]
    assert (mltrail_model / "requirements.txt").read_text() == (
        mlflow_model / "requirements.txt"
    ).read_text()
    for name in ("input_example.json", "serving_input_example.json"):
        assert (mltrail_model / name).read_text() == (mlflow_model / name).read_text()
    for name in ("conda.yaml", "python_env.yaml"):
        ours_env = yaml.safe_load((mltrail_model / name).read_text())
        theirs_env = yaml.safe_load((mlflow_model / name).read_text())
        assert list(ours_env) == list(theirs_env)
