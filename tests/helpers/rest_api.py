"""``Api``: shorthand for calling a tracking server's ``/api/2.0/mlflow/...`` endpoints in
tests (through Starlette's TestClient or any client with the same interface, e.g. httpx)."""

from __future__ import annotations

from typing import Any


class Api:
    """Shorthand for calling ``/api/2.0/mlflow/...`` and checking the answer."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def post(self, path: str, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
        response = self.client.post(f"/api/2.0/mlflow/{path}", json=body)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/json")
        return response.json()

    def get(self, path: str, params: Any = None, status: int = 200) -> dict[str, Any]:
        response = self.client.get(f"/api/2.0/mlflow/{path}", params=params)
        assert response.status_code == status, response.text
        return response.json()

    def request(
        self, method: str, path: str, body: Any = None, status: int = 200
    ) -> dict[str, Any]:
        response = self.client.request(method, f"/api/2.0/mlflow/{path}", json=body)
        assert response.status_code == status, response.text
        return response.json()

    def error(self, method: str, path: str, body: Any, status: int, code: str) -> str:
        if method == "GET":
            response = self.client.get(f"/api/2.0/mlflow/{path}", params=body)
        else:
            response = self.client.request(method, f"/api/2.0/mlflow/{path}", json=body)
        assert response.status_code == status, response.text
        payload = response.json()
        assert payload["error_code"] == code, payload
        return str(payload["message"])

    def new_experiment(self, name: str = "exp") -> str:
        return str(self.post("experiments/create", {"name": name})["experiment_id"])

    def new_run(self, experiment_id: str = "0", **fields: Any) -> str:
        body = {"experiment_id": experiment_id, "start_time": 1000, **fields}
        return str(self.post("runs/create", body)["run"]["info"]["run_id"])
