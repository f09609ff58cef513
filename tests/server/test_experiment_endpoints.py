"""Experiment endpoints through the ASGI app: shapes and MLflow's error codes."""

from __future__ import annotations

from helpers.rest_api import Api


def test_create_get_and_get_by_name(api: Api):
    body = {"name": "exp-a", "tags": [{"key": "team", "value": "vision"}]}
    experiment_id = api.post("experiments/create", body)["experiment_id"]
    assert experiment_id == "1"
    experiment = api.get("experiments/get", {"experiment_id": experiment_id})["experiment"]
    assert experiment["name"] == "exp-a"
    assert experiment["artifact_location"] == "mlflow-artifacts:/1"
    assert experiment["lifecycle_stage"] == "active"
    assert experiment["tags"] == [{"key": "team", "value": "vision"}]
    assert isinstance(experiment["creation_time"], int)
    by_name = api.get("experiments/get-by-name", {"experiment_name": "exp-a"})["experiment"]
    assert by_name == experiment
    default = api.get("experiments/get", {"experiment_id": "0"})["experiment"]
    assert default["name"] == "Default"


def test_experiment_errors(api: Api):
    api.new_experiment("dup")
    api.error("POST", "experiments/create", {"name": "dup"}, 400, "RESOURCE_ALREADY_EXISTS")
    api.error("POST", "experiments/create", {}, 400, "INVALID_PARAMETER_VALUE")
    api.error("GET", "experiments/get", {"experiment_id": "99"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("GET", "experiments/get", {"experiment_id": "abc"}, 400, "INVALID_PARAMETER_VALUE")
    api.error(
        "GET", "experiments/get-by-name", {"experiment_name": "nope"}, 404,
        "RESOURCE_DOES_NOT_EXIST",
    )  # fmt: skip


def test_search_experiments_post_and_get_with_paging(api: Api):
    for name in ("s1", "s2", "s3"):
        api.new_experiment(name)
    api.post("experiments/set-experiment-tag", {"experiment_id": "2", "key": "k", "value": "v"})
    page = api.post("experiments/search", {"max_results": 2, "order_by": ["name ASC"]})
    assert [e["name"] for e in page["experiments"]] == ["Default", "s1"]
    rest = api.post(
        "experiments/search",
        {"max_results": 2, "order_by": ["name ASC"], "page_token": page["next_page_token"]},
    )
    assert [e["name"] for e in rest["experiments"]] == ["s2", "s3"]
    assert "next_page_token" not in rest
    tagged = api.get("experiments/search", {"filter": "tags.k = 'v'", "max_results": 10})
    assert [e["name"] for e in tagged["experiments"]] == ["s2"]
    api.error("POST", "experiments/search", {"max_results": 0}, 400, "INVALID_PARAMETER_VALUE")
    api.error("POST", "experiments/search", {"filter": "bogus ~ 1"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", "experiments/search", {"page_token": "garbage!"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip


def test_rename_delete_restore(api: Api):
    experiment_id = api.new_experiment("old")
    api.new_experiment("taken")
    assert api.post("experiments/update", {"experiment_id": experiment_id, "new_name": "new"}) == {}
    assert (
        api.get("experiments/get", {"experiment_id": experiment_id})["experiment"]["name"] == "new"
    )
    api.error("POST", "experiments/update", {"experiment_id": experiment_id, "new_name": "taken"},
              400, "BAD_REQUEST")  # fmt: skip
    api.error("POST", "experiments/update", {"experiment_id": experiment_id}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    run_id = api.new_run(experiment_id)
    assert api.post("experiments/delete", {"experiment_id": experiment_id}) == {}
    deleted = api.get("experiments/get", {"experiment_id": experiment_id})["experiment"]
    assert deleted["lifecycle_stage"] == "deleted"
    assert api.get("runs/get", {"run_id": run_id})["run"]["info"]["lifecycle_stage"] == "deleted"
    api.error("POST", "experiments/delete", {"experiment_id": experiment_id}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    # Renaming a deleted experiment is INVALID_STATE; a 4xx so the client does not retry.
    api.error("POST", "experiments/update", {"experiment_id": experiment_id, "new_name": "x"},
              400, "INVALID_STATE")  # fmt: skip
    api.error("POST", "runs/create", {"experiment_id": experiment_id}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", "experiments/create", {"name": "new"}, 400, "RESOURCE_ALREADY_EXISTS")
    assert api.post("experiments/restore", {"experiment_id": experiment_id}) == {}
    assert api.get("runs/get", {"run_id": run_id})["run"]["info"]["lifecycle_stage"] == "active"
    api.error("POST", "experiments/restore", {"experiment_id": experiment_id}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip


def test_experiment_tags(api: Api):
    experiment_id = api.new_experiment("tags")
    body = {"experiment_id": experiment_id, "key": "a", "value": "1"}
    assert api.post("experiments/set-experiment-tag", body) == {}
    api.post("experiments/set-experiment-tag", {**body, "value": "2"})
    tags = api.get("experiments/get", {"experiment_id": experiment_id})["experiment"]["tags"]
    assert tags == [{"key": "a", "value": "2"}]
    api.post("experiments/delete-experiment-tag", {"experiment_id": experiment_id, "key": "a"})
    assert "tags" not in api.get("experiments/get", {"experiment_id": experiment_id})["experiment"]
    api.error(
        "POST",
        "experiments/delete-experiment-tag",
        {"experiment_id": experiment_id, "key": "a"},
        404,
        "RESOURCE_DOES_NOT_EXIST",
    )
    api.error("POST", "experiments/set-experiment-tag",
              {"experiment_id": experiment_id, "key": "bad\\key", "value": "1"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", "experiments/set-experiment-tag",
              {"experiment_id": experiment_id, "key": "long", "value": "x" * 20001}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
