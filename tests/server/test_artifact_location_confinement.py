"""A client cannot make the server read its own disk outside the artifact roots it manages."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.rest_api import Api


@pytest.mark.parametrize("location", ["/etc", "file:///etc", "file:///etc/../root", "../outside"])
def test_local_locations_outside_the_roots_are_refused(api: Api, location: str) -> None:
    message = api.error(
        "POST",
        "experiments/create",
        {"name": "sneaky", "artifact_location": location},
        403,
        "PERMISSION_DENIED",
    )
    assert "outside the artifact roots" in message
    assert api.get("experiments/get-by-name", {"experiment_name": "sneaky"}, status=404)


def test_locations_inside_the_destination_and_remote_ones_are_accepted(
    api: Api, tmp_path: Path
) -> None:
    inside = tmp_path / "mlartifacts" / "team-a"
    for name, location in [
        ("inside", str(inside)),
        ("inside-uri", inside.as_uri()),
        ("remote", "s3://bucket/prefix"),
        ("proxied", "mlflow-artifacts:/team-b"),
    ]:
        body = {"name": name, "artifact_location": location}
        assert api.post("experiments/create", body)["experiment_id"]


def test_a_proxied_location_that_climbs_out_is_refused(api: Api) -> None:
    message = api.error(
        "POST",
        "experiments/create",
        {"name": "climb", "artifact_location": "mlflow-artifacts:/../secret"},
        400,
        "INVALID_PARAMETER_VALUE",
    )
    assert "'..'" in message
