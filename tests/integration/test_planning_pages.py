"""The planning and production pages: every page renders for the roles that use it, forms
carry the CSRF token, refusals show next to the step, other companies' documents are 404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import api_for
from tests.integration.test_pages import csrf, login
from tests.integration.test_planning_api import approved_budget, confirmed_order
from tests.production_factories import make_plant


@pytest.fixture
def world(rt: Runtime) -> World:
    world = make_world(rt, stock={"P2": 50})
    make_plant(rt, world, raw_stock=100)
    return world


@pytest.fixture
def browser(rt: Runtime, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as client:
        yield client


def test_release_plan_and_report_through_the_pages(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    with api_for(rt) as api:
        order = confirmed_order(rt, world, api)
        approved_budget(api, order)
        sample = api.as_(
            "sales_clerk",
            "POST",
            "/api/v1/sample-requests",
            json={"title": "样衣", "due_at": rt.now().replace(year=2027).isoformat()},
        ).json()

    token = login(browser, "planner")
    page = browser.get("/production")
    assert page.status_code == 200 and order["number"] in page.text
    released = browser.post(
        "/production/release", data={"sales_order_id": order["id"], "csrf_token": token}
    )
    assert released.status_code == 303
    pi_url = released.headers["location"]
    assert "PI-" in browser.get(pi_url).text
    # Without the CSRF token nothing happens.
    assert browser.post("/planning/run", data={}).status_code == 403
    assert browser.post("/planning/run", data={"csrf_token": token}).status_code == 303
    board = browser.get("/planning?days=28")
    assert board.status_code == 200 and 'class="bar' in board.text and "PRESS" in board.text
    for path in (
        "/planning/materials",
        "/planning/plans",
        "/planning/promise",
        "/production/orders",
        "/production/work-centres",
        "/cost-budgets",
        "/samples",
        f"/samples/{sample['id']}",
    ):
        assert browser.get(path).status_code == 200, path
    answer = browser.post(
        "/planning/promise",
        data={"product_code": ["P1", ""], "quantity": ["2", ""], "csrf_token": token},
    )
    assert answer.status_code == 200 and 'id="promise-answer"' in answer.text
    bad = browser.post(
        "/planning/promise", data={"product_code": ["NOPE"], "quantity": ["2"], "csrf_token": token}
    )
    assert bad.status_code == 422 and "No product NOPE" in bad.text
    assert browser.post("/planning/plans/publish", data={"csrf_token": token}).status_code == 303
    # Procurement is installed: the suggestions can be released from the page.
    assert 'id="release-suggestions"' in browser.get("/planning/materials").text

    # The production manager breaks it down; a date without buffer is refused on the page.
    token = login(browser, "production_manager")
    pi_page = browser.get(pi_url).text
    version = pi_page.split('name="version" value="')[1].split('"')[0]
    refused = browser.post(
        f"{pi_url}/steps/break_down",
        data={"csrf_token": token, "version": version, "confirmed_date": order["promised_date"]},
    )
    assert refused.status_code == 422 and 'id="step-error"' in refused.text
    done = browser.post(
        f"{pi_url}/steps/break_down", data={"csrf_token": token, "version": version}
    )
    assert done.status_code == 303
    assert 'data-milestone="assembly_finish"' in browser.get(pi_url).text

    # The shop floor, on a phone: report the first operation.
    token = login(browser, "production")
    floor = browser.get("/shopfloor")
    assert floor.status_code == 200 and 'name="viewport"' in floor.text
    order_id = floor.text.split('name="order_id" value="')[1].split('"')[0]
    reported = browser.post(
        "/shopfloor/report",
        data={
            "csrf_token": csrf(floor.text),
            "order_id": order_id,
            "seq": "10",
            "good": "5",
            "centre": "",
        },
    )
    assert reported.status_code == 303 and "done=" in reported.headers["location"]
    too_much = browser.post(
        "/shopfloor/report",
        data={"csrf_token": token, "order_id": order_id, "seq": "20", "good": "99", "centre": ""},
    )
    assert too_much.status_code == 422 and "step-error" in too_much.text
    # My tasks link to the production documents' own pages.
    assert "/production/orders/" in browser.get("/tasks").text

    # Another company's user sees none of it.
    login(browser, world.other_company_user.username)
    assert browser.get(pi_url).status_code == 404
    assert browser.get(f"/production/orders/{order_id}").status_code == 404
