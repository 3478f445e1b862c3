"""The review gate on regular orders, classification overrides, assignment and
reassignment (B8), and quote validity, through the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_review_to_effective_api import get, ok, open_tasks, post, step


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Any:
    with api_for(rt) as client:
        yield client


def body(rt: Runtime, world: World, qty: str = "2", **extra: Any) -> dict[str, Any]:
    return {
        "channel": "web",
        "customer_id": world.customer_id,
        "requested_date": (rt.today() + timedelta(days=14)).isoformat(),
        "lines": [{"product_code": "P1", "quantity": qty}],
        **extra,
    }


def test_a_regular_order_that_would_wait_for_stock_has_its_date_reviewed(
    rt: Runtime, world: World, api: Api
) -> None:
    order = post(api, "sales_clerk", "/api/v1/orders", body(rt, world, qty="150"))
    assert (order["regularity"], order["review_state"]) == ("regular", "if_short")
    refused = api.step("sales_clerk", order, "confirm", {"on_shortage": "wait"})
    assert refused.status_code == 409 and refused.json()["type"].endswith("review_required")
    review = post(api, "sales_clerk", "/api/v1/reviews", {"order_id": order["id"]})
    assert review["routing"] == ["sales_clerk", "production", "materials_control"]
    assert not review["meeting_needed"]
    again = api.as_("sales_clerk", "POST", "/api/v1/reviews", json={"order_id": order["id"]})
    assert again.status_code == 409  # one review at a time
    for who in review["routing"]:
        review = ok(step(api, who, "reviews", review, "sign_off"))
    assert "approve_review" in open_tasks(rt, "order_review", review["id"])
    ok(step(api, "order_manager", "reviews", review, "approve"))
    order = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")
    order = ok(api.step("sales_clerk", order, "confirm", {"on_shortage": "wait"}))
    assert order["state"] == "confirmed"


def test_order_management_overrides_the_classification_with_a_reason(
    rt: Runtime, world: World, api: Api
) -> None:
    order = post(api, "sales_clerk", "/api/v1/orders", body(rt, world))
    assert (
        api.step(
            "sales_clerk",
            order,
            "classify",
            {"regularity": "non_regular", "category": "general", "reason": "x"},
        ).status_code
        == 403
    )
    no_reason = api.step(
        "order_manager", order, "classify", {"regularity": "non_regular", "category": "special"}
    )
    assert no_reason.status_code == 422
    order = ok(
        api.step(
            "order_manager",
            order,
            "classify",
            {"regularity": "non_regular", "category": "special", "reason": "客户特殊包装"},
        )
    )
    assert (order["regularity"], order["category"], order["priority"]) == (
        "non_regular",
        "special",
        "special",
    )
    assert order["classification_overridden"] and order["review_state"] == "required"
    assert api.step("sales_clerk", order, "confirm").status_code == 409
    [event] = [
        e
        for e in get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/events")
        if e["name"] == "classify"
    ]
    assert (
        event["reason"] == "客户特殊包装" and event["payload"]["before"]["regularity"] == "regular"
    )


def test_orders_are_assigned_by_workload_and_reassigned_with_a_record(
    rt: Runtime, world: World, api: Api
) -> None:
    # A salesperson's order goes to the sales clerk (the only one), with the handling task
    order = post(api, "sales", "/api/v1/orders", body(rt, world))
    assert order["handler_id"] == world["sales_clerk"].id
    assert (
        open_tasks(rt, "sales_order", order["id"])["handle_order"].assignee_id
        == world["sales_clerk"].id
    )
    order = get(api, "order_manager", f"/api/v1/orders/{order['id']}")
    moved = ok(
        api.step(
            "order_manager",
            order,
            "reassign",
            {"handler_id": world["order_manager"].id, "reason": "内勤休假"},
        )
    )
    assert moved["handler_id"] == world["order_manager"].id
    assert (
        open_tasks(rt, "sales_order", order["id"])["handle_order"].assignee_id
        == world["order_manager"].id
    )
    [event] = [
        e
        for e in get(api, "order_manager", f"/api/v1/orders/{order['id']}/events")
        if e["name"] == "reassign"
    ]
    assert (
        event["reason"] == "内勤休假"
        and event["payload"]["to_handler"] == world["order_manager"].id
    )
    stranger = world.other_company_user.id
    bad = api.step("order_manager", moved, "reassign", {"handler_id": stranger, "reason": "x"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "handler_id"


def test_a_quote_expires_and_is_revised_into_a_new_version(
    rt: Runtime, world: World, api: Api, clock: Any
) -> None:
    quote = post(
        api,
        "sales_clerk",
        "/api/v1/quotes",
        {
            "customer_id": world.customer_id,
            "lines": [
                {"product_code": "P2", "quantity": "4", "reasons": ["quality_beyond_standard"]}
            ],
        },
    )
    quote = ok(step(api, "order_manager", "quotes", quote, "price", validity_days=7))
    assert quote["versions"][0]["lines"][0]["unit_price"] == "275.55"  # 250.50 × 1.10
    quote = ok(step(api, "order_manager", "quotes", quote, "sign"))
    quote = ok(step(api, "technical_manager", "quotes", quote, "sign"))
    clock.advance(days=8)
    late = step(api, "sales_clerk", "quotes", quote, "send")
    assert late.status_code == 409 and "expired" in late.json()["detail"]
    quote = ok(
        step(
            api,
            "order_manager",
            "quotes",
            quote,
            "revise",
            overrides=[{"line_no": 1, "unit_price": "260.00"}],
        )
    )
    assert (quote["current_version"], quote["state"], quote["technical_signed_by"]) == (
        2,
        "priced",
        None,
    )
    assert quote["total"]["amount"] == "1040.00" and not quote["expired"]
    assert len(quote["versions"]) == 2
