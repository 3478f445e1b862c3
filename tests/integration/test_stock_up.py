"""Stock-up notices (备货通知单, B9) from the order page and the API: what one says, who may
issue it, the order effective at once with production told, the list, the detail with its
timeline, and what cancelling does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from orderflow.app import create_app
from orderflow.core.events import SYSTEM
from orderflow.notify.models import Notification
from orderflow.runtime import Runtime
from orderflow.sales.service import ORDERS
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_pages import login
from tests.integration.test_review_to_effective_api import get, ok, open_tasks, post, step


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def confirmed(rt: Runtime, world: World, api: Api) -> dict[str, Any]:
    return post(
        api,
        "sales_clerk",
        "/api/v1/orders",
        {
            "channel": "phone",
            "customer_id": world.customer_id,
            "requested_date": (rt.today() + timedelta(days=10)).isoformat(),
            "lines": [
                {"product_code": "P1", "quantity": "2"},
                {"product_code": "P2", "quantity": "1"},
            ],
            "confirm": True,
        },
    )


def test_a_notice_says_what_to_stock_up_by_when_and_production_is_told(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed(rt, world, api)
    needed = (rt.today() + timedelta(days=7)).isoformat()
    notice = post(
        api,
        "production_manager",
        "/api/v1/stock-up-notices",
        {"order_id": order["id"], "reason": "交期紧，先备货", "needed_by": needed},
    )
    assert (notice["state"], notice["needed_by"], notice["order_effective_by"]) == (
        "issued",
        needed,
        "stock_up",
    )
    assert [(ln["product_code"], ln["quantity"]) for ln in notice["lines"]] == [
        ("P1", "2"),
        ("P2", "1"),
    ]
    assert "production_instruction" in open_tasks(rt, "sales_order", order["id"])
    with rt.db.reading() as s:
        told = s.scalars(
            select(Notification.recipient_role).where(Notification.kind == "stock_up_issued")
        ).all()
    assert sorted(told) == ["planner", "production_manager"]
    listed = get(api, "planner", f"/api/v1/stock-up-notices?order_id={order['id']}")
    assert [n["number"] for n in listed["items"]] == [notice["number"]]
    assert api.as_("quality", "GET", f"/api/v1/stock-up-notices/{notice['id']}").status_code == 403


def test_cancelling_takes_back_only_what_the_notice_gave(
    rt: Runtime, world: World, api: Api
) -> None:
    # A notice that alone made the order effective: cancelled, the order is not effective
    order = confirmed(rt, world, api)
    notice = post(
        api, "order_manager", "/api/v1/stock-up-notices", {"order_id": order["id"], "reason": "x"}
    )
    assert (
        step(api, "sales_clerk", "stock-up-notices", notice, "cancel", reason="y").status_code
        == 403
    )
    notice = ok(
        step(api, "order_manager", "stock-up-notices", notice, "cancel", reason="客户取消意向")
    )
    assert (notice["state"], notice["order_effective_at"]) == ("cancelled", None)
    assert "production_instruction" not in open_tasks(rt, "sales_order", order["id"])
    events = [e["name"] for e in get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/events")]
    assert events[-1] == "effectiveness_withdrawn"

    # Once production was released on a notice, cancelling it is refused
    second = confirmed(rt, world, api)
    notice = post(
        api, "order_manager", "/api/v1/stock-up-notices", {"order_id": second["id"], "reason": "x"}
    )
    with rt.db.transaction() as s:
        ORDERS.fact(
            s,
            rt,
            ORDERS.load(s, world["planner"], second["id"]),
            "production_released",
            actor=SYSTEM,
        )
    refused = step(api, "order_manager", "stock-up-notices", notice, "cancel", reason="y")
    assert refused.status_code == 409 and "released" in refused.json()["detail"]
    assert get(api, "sales_clerk", f"/api/v1/orders/{second['id']}")["effective_by"] == "stock_up"


def test_the_pages_issue_list_and_show_a_notice(rt: Runtime, world: World, api: Api) -> None:
    order = confirmed(rt, world, api)
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as browser:
        login(browser, "sales_clerk")
        page = browser.get(f"/stock-up-notices/new?order_id={order['id']}").text
        assert "同等效力" in page and 'id="may-not-issue"' in page and "stock-up-form" not in page
        assert 'id="new-stock-up"' not in browser.get(f"/orders/{order['id']}").text
        browser.post("/logout", data={"csrf_token": login(browser, "sales_clerk")})

        token = login(browser, "order_manager")
        assert 'id="new-stock-up"' in browser.get(f"/orders/{order['id']}").text
        page = browser.get(f"/stock-up-notices/new?order_id={order['id']}").text
        assert "P1" in page and "4h" in page and 'id="stock-up-form"' in page
        missing = browser.post(
            f"/stock-up-notices/new?order_id={order['id']}", data={"csrf_token": token}
        )
        assert missing.status_code == 422 and 'id="error-reason"' in missing.text
        issued = browser.post(
            f"/stock-up-notices/new?order_id={order['id']}",
            data={"csrf_token": token, "reason": "意向明确，先行备货"},
        )
        assert issued.status_code == 303
        detail = browser.get(issued.headers["location"]).text
        assert 'data-state="issued"' in detail and 'data-effective="yes"' in detail
        assert "下达生产指令单" in detail and 'data-event="create"' in detail
        assert order["number"] in browser.get("/stock-up-notices").text
        assert "stock-up-link" in browser.get(f"/orders/{order['id']}").text
        browser.get("/lang/en")
        assert "What to stock up" in browser.get(issued.headers["location"]).text
        cancelled = browser.post(
            issued.headers["location"] + "/steps/cancel",
            data={"csrf_token": token, "reason": "客户取消", "version": "1"},
        )
        assert cancelled.status_code == 303
        assert 'data-state="cancelled"' in browser.get(issued.headers["location"]).text
