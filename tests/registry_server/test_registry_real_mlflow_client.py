"""The real MLflow 3.17.2 client (run out of process) using the model registry of a real
``mltrail server``: registration from ``log_model`` and ``register_model``, model and version
management, stages, aliases, search, and loading ``models:/`` URIs for prediction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.servers import ServerHandle, run_real_client, start_mltrail_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    with start_mltrail_server(tmp_path_factory.mktemp("registry-real-client")) as handle:
        yield handle


def run(server: ServerHandle, body: str, tmp_path: Path) -> dict:
    return run_real_client(server, body, tmp_path)


def test_registered_model_management(server: ServerHandle, tmp_path: Path):
    result = run(server, """
        created = client.create_registered_model("Y", tags={"team": "cv"}, description="first")
        duplicate = error_code(lambda: client.create_registered_model("Y"))
        client.rename_registered_model("Y", "Z")
        gone = error_code(lambda: client.get_registered_model("Y"))
        client.update_registered_model("Z", description="second")
        client.set_registered_model_tag("Z", "stage", "dev")
        client.delete_registered_model_tag("Z", "team")
        got = client.get_registered_model("Z")
        searched = [m.name for m in client.search_registered_models(filter_string="name = 'Z'")]
        client.delete_registered_model("Z")
        deleted = error_code(lambda: client.get_registered_model("Z"))
        bad_name = error_code(lambda: client.create_registered_model("a/b"))
        print(json.dumps({
            "created": [created.name, created.description, created.tags],
            "duplicate": duplicate, "gone": gone,
            "got": [got.name, got.description, got.tags],
            "searched": searched, "deleted": deleted, "bad_name": bad_name,
        }))
    """, tmp_path)  # fmt: skip
    assert result["created"] == ["Y", "first", {"team": "cv"}]
    assert result["duplicate"] == "RESOURCE_ALREADY_EXISTS"
    assert result["gone"] == "RESOURCE_DOES_NOT_EXIST"
    assert result["got"] == ["Z", "second", {"stage": "dev"}]
    assert result["searched"] == ["Z"]
    assert result["deleted"] == "RESOURCE_DOES_NOT_EXIST"
    assert result["bad_name"] == "INVALID_PARAMETER_VALUE"


def test_register_stage_alias_search_and_load(server: ServerHandle, tmp_path: Path):
    result = run(server, """
        from sklearn.linear_model import LogisticRegression
        X = np.array([[0.0], [1.0], [2.0], [3.0]])
        y = np.array([0, 0, 1, 1])
        mlflow.set_experiment("registry-e2e")
        with mlflow.start_run() as first_run:
            first = mlflow.sklearn.log_model(
                LogisticRegression().fit(X, y), name="model", registered_model_name="X")
        with mlflow.start_run() as second_run:
            second = mlflow.sklearn.log_model(
                LogisticRegression(C=0.5).fit(X, y), name="model", registered_model_name="X")
        third = mlflow.register_model(f"runs:/{second_run.info.run_id}/model", "X")
        versions = sorted(
            (int(v.version), v.run_id) for v in client.search_model_versions("name='X'"))

        client.transition_model_version_stage("X", "1", "Production")
        client.transition_model_version_stage(
            "X", "2", "production", archive_existing_versions=True)
        stages = {v.version: v.current_stage for v in client.search_model_versions("name='X'")}
        latest = sorted(
            (v.current_stage, v.version) for v in client.get_latest_versions("X"))
        bad_stage = error_code(
            lambda: client.transition_model_version_stage("X", "3", "Live"))

        client.set_registered_model_alias("X", "champion", "3")
        by_alias = client.get_model_version_by_alias("X", "champion")
        reserved = error_code(lambda: client.set_registered_model_alias("X", "latest", "1"))
        no_version = error_code(lambda: client.set_registered_model_alias("X", "a", "42"))
        aliases = client.get_registered_model("X").aliases

        client.update_model_version("X", "1", description="the first")
        client.set_model_version_tag("X", "1", "validated", "yes")
        v1 = client.get_model_version("X", "1")
        missing_version = error_code(lambda: client.get_model_version("X", "99"))
        client.delete_model_version_tag("X", "1", "validated")

        searched_models = [m.name for m in client.search_registered_models()]
        by_run = sorted(v.version for v in client.search_model_versions(
            f"name = 'X' AND run_id = '{second_run.info.run_id}'"))
        newer = sorted(v.version for v in client.search_model_versions(
            "name = 'X' AND version_number >= 2"))

        expected = LogisticRegression().fit(X, y).predict(X).tolist()
        loaded = {
            uri: mlflow.pyfunc.load_model(uri).predict(X).tolist()
            for uri in ("models:/X/1", "models:/X@champion", "models:/X/Production",
                        "models:/X/latest")
        }
        download_uri = client.get_model_version_download_uri("X", "1")

        client.delete_model_version("X", "1")
        after_delete = error_code(lambda: client.get_model_version("X", "1"))
        remaining = sorted(v.version for v in client.search_model_versions("name='X'"))
        print(json.dumps({
            "first_run": first_run.info.run_id, "second_run": second_run.info.run_id,
            "first_model": first.model_id, "third": third.version, "versions": versions,
            "stages": stages, "latest": latest, "bad_stage": bad_stage,
            "by_alias": [by_alias.version, list(by_alias.aliases)], "reserved": reserved,
            "no_version": no_version, "aliases": aliases,
            "v1": [v1.description, v1.tags], "missing_version": missing_version,
            "searched_models": searched_models, "by_run": by_run, "newer": newer,
            "expected": expected, "loaded": loaded, "download_uri": download_uri,
            "after_delete": after_delete, "remaining": remaining,
        }))
    """, tmp_path)  # fmt: skip
    first_run, second_run = result["first_run"], result["second_run"]
    assert result["versions"] == [[1, first_run], [2, second_run], [3, second_run]]
    assert result["third"] == "3"
    assert result["stages"] == {"1": "Archived", "2": "Production", "3": "None"}
    assert result["latest"] == [["Archived", "1"], ["None", "3"], ["Production", "2"]]
    assert result["bad_stage"] == "INVALID_PARAMETER_VALUE"
    assert result["by_alias"] == ["3", ["champion"]]
    assert result["reserved"] == "INVALID_PARAMETER_VALUE"
    assert result["no_version"] == "RESOURCE_DOES_NOT_EXIST"
    assert result["aliases"] == {"champion": "3"}
    assert result["v1"] == ["the first", {"validated": "yes"}]
    assert result["missing_version"] == "RESOURCE_DOES_NOT_EXIST"
    assert result["searched_models"] == ["X"]
    assert result["by_run"] == ["2", "3"]
    assert result["newer"] == ["2", "3"]
    for uri, predictions in result["loaded"].items():
        assert predictions == result["expected"], uri
    assert result["first_model"] in result["download_uri"]
    assert result["after_delete"] == "RESOURCE_DOES_NOT_EXIST"
    assert result["remaining"] == ["2", "3"]
