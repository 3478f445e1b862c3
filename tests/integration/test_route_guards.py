"""Every route of the app asks who is calling, and a caller with no role is given nothing.

The routes are read from the app itself, so a route added later is swept too: without a
caller every API route answers 401 and every page sends to the login; a logged-in user
holding no role gets no data from any API route or page (403, or 404/422 for what it
cannot even address), except the few every user has (who am I, my tasks and notices, the
calendar).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.runtime import Runtime
from tests.factories import PASSWORD, _user, make_world
from tests.integration.test_pages import csrf

#: Open to anyone: health, login, language switch, API docs and the token endpoint.
PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/"),  # sends on to /tasks, which asks for the login
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),  # refused by its CSRF check instead; it reveals nothing either way
    ("GET", "/lang/{code}"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("POST", "/api/v1/auth/token"),
}
#: What every logged-in user may read whatever their roles.
EVERY_USER = {
    ("GET", "/api/v1/auth/me"),
    ("GET", "/api/v1/tasks"),
    ("GET", "/api/v1/calendar/due"),
    ("GET", "/tasks"),
    ("GET", "/notifications"),
}


def _routes(routes: list[Any]) -> Iterator[tuple[str, str]]:
    """(method, path template) of every route, through included routers of any depth."""
    for route in routes:
        if hasattr(route, "effective_candidates"):  # FastAPI's included router
            yield from _routes(route.effective_candidates())
            continue
        methods = getattr(route, "methods", None) or getattr(
            getattr(route, "original_route", None), "methods", None
        )
        for method in sorted(set(methods or ()) - {"HEAD"}):
            yield method, route.path


def _concrete(path: str) -> str:
    """A path to call: ids 1, and a warehouse document kind that exists."""
    return re.sub(r"\{[^}]+\}", "1", path.replace("/warehouse/{path}", "/warehouse/transfers"))


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    app = create_app(rt, migrate=False, worker=False)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def test_without_a_caller_every_route_refuses(client: TestClient) -> None:
    swept = list(_routes(client.app.routes))  # type: ignore[attr-defined]
    assert len(swept) > 250  # the walk found the app's routes, not just the top level
    wrong = []
    for method, path in swept:
        if (method, path) in PUBLIC:
            continue
        # order_id: the pages that start from an order need it to be addressed at all.
        answer = client.request(method, _concrete(path), params={"order_id": 1})
        if path.startswith("/api/"):
            ok = answer.status_code == 401 and answer.json()["type"].endswith("not_authenticated")
        else:
            ok = answer.status_code == 303 and answer.headers["location"].startswith("/login")
        if not ok:
            wrong.append(f"{method} {path} → {answer.status_code}")
    assert wrong == []
    # A document kind that does not exist is not found (it was a server error).
    assert client.post("/warehouse/nonsense/1/steps/agree").status_code == 404


def test_a_user_with_no_role_gets_no_data(rt: Runtime, client: TestClient) -> None:
    world = make_world(rt)
    with rt.db.transaction() as s:
        s.add(_user(world.company_id, "nobody", [], rt.now()))
    token = client.post(
        "/api/v1/auth/token", json={"username": "nobody", "password": PASSWORD}
    ).json()["access_token"]
    form = {
        "username": "nobody",
        "password": PASSWORD,
        "csrf_token": csrf(client.get("/login").text),
    }
    assert client.post("/login", data=form).status_code == 303
    wrong = []
    for method, path in _routes(client.app.routes):  # type: ignore[attr-defined]
        if (method, path) in PUBLIC | EVERY_USER or (
            method != "GET" and not path.startswith("/api/")
        ):
            continue  # posted forms are refused by their CSRF check before anything else
        answer = client.request(
            method,
            _concrete(path),
            params={"order_id": 1},
            headers={"Authorization": f"Bearer {token}"},
            json={},
        )
        # 422: a body or query that does not even parse is refused before anything else.
        if answer.status_code not in (403, 404, 422):
            wrong.append(f"{method} {path} → {answer.status_code}")
    assert wrong == []
