"""An API client for tests: the real app in-process, logged in as a role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.runtime import Runtime
from tests.factories import PASSWORD


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self._tokens:
            answer = self.client.post(
                "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
            )
            assert answer.status_code == 200, answer.text
            self._tokens[username] = answer.json()["access_token"]
        return self._tokens[username]

    def as_(self, username: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token(username)}", **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def step(
        self, username: str, order: dict[str, Any], name: str, fields: dict[str, Any] | None = None
    ) -> Any:
        return self.as_(
            username,
            "POST",
            f"/api/v1/orders/{order['id']}/transitions/{name}",
            json=fields or {},
            headers={"If-Match": str(order["version"])},
        )


@contextmanager
def api_for(rt: Runtime) -> Iterator[Api]:
    with TestClient(create_app(rt, migrate=False, worker=False)) as client:
        yield Api(client)
