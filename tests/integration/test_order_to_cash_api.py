"""The whole path to cash through the API, and every refusal on the way changing nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from orderflow.core.events import Event
from orderflow.core.tasks import Task
from orderflow.inventory.models import StockLevel
from orderflow.notify.models import Notification
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Any:
    with api_for(rt) as client:
        yield client


def new_order(rt: Runtime, world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "phone",
        "customer_id": world.customer_id,
        "requested_date": (rt.today() + timedelta(days=14)).isoformat(),
        "lines": [{"product_code": "P1", "quantity": "2"}, {"product_code": "P2", "quantity": "1"}],
    }
    body.update(overrides)
    return body


def counts(rt: Runtime) -> tuple[int, int, int]:
    with rt.db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(SalesOrder)) or 0,
            s.scalar(select(func.count()).select_from(Event)) or 0,
            s.scalar(select(func.count()).select_from(Notification)) or 0,
        )


def stock_of(rt: Runtime, world: World, code: str) -> tuple[Decimal, Decimal]:
    with rt.db.reading() as s:
        level = s.scalar(select(StockLevel).where(StockLevel.product_id == world.products[code]))
        assert level is not None
        return level.on_hand, level.reserved


def test_an_order_goes_from_entry_to_paid(rt: Runtime, world: World, api: Api) -> None:
    # Given a clerk enters a phone order
    created = api.as_("sales_clerk", "POST", "/api/v1/orders", json=new_order(rt, world))
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["number"] == "SO-2026-000001"
    assert order["state"] == "draft"
    assert order["total"] == {"amount": "450.50", "currency": "CNY"}
    assert set(order["allowed_transitions"]) == {"confirm", "cancel"}
    # its handling task is open with the normal 24 working-hour deadline
    tasks = api.as_("sales_clerk", "GET", "/api/v1/tasks?assignee=me&state=open").json()["items"]
    assert [(t["kind"], t["document_number"]) for t in tasks] == [
        ("handle_order", "SO-2026-000001")
    ]
    assert tasks[0]["minutes_left"] == 24 * 60

    # When the clerk confirms, stock is reserved and the customer is told
    order = api.step("sales_clerk", order, "confirm").json()
    assert order["state"] == "confirmed"
    assert stock_of(rt, world, "P1") == (Decimal(100), Decimal(2))
    with rt.db.reading() as s:
        mails = s.scalars(select(Notification.kind).where(Notification.channel == "email")).all()
    assert "order_confirmed" in mails

    # Logistics ships part, then the rest
    shipped = api.step(
        "logistics",
        order,
        "ship",
        {"carrier": "顺丰", "tracking_number": "SF1", "lines": [{"line_no": 1, "quantity": "1"}]},
    )
    assert shipped.status_code == 200, shipped.text
    order = shipped.json()
    assert order["state"] == "partially_shipped"
    order = api.step(
        "logistics", order, "ship", {"carrier": "顺丰", "tracking_number": "SF2"}
    ).json()
    assert order["state"] == "shipped"
    assert stock_of(rt, world, "P1") == (Decimal(98), Decimal(0))
    assert [s["number"] for s in order["shipments"]] == ["SH-2026-000001", "SH-2026-000002"]

    # The customer signs; finance invoices and collects in two payments
    order = api.step("logistics", order, "deliver", {"signed_by": "刘经理"}).json()
    assert order["state"] == "delivered"
    order = api.step("finance", order, "invoice", {}).json()
    assert order["invoices"][0]["amount"]["amount"] == "450.50"
    order = api.step(
        "finance", order, "pay", {"amount": "200.00", "method": "bank_transfer"}
    ).json()
    assert (order["state"], order["outstanding"]["amount"]) == ("delivered", "250.50")
    order = api.step(
        "finance", order, "pay", {"amount": "250.50", "method": "bank_transfer"}
    ).json()

    # Then the order is completed, with every step on its timeline and no task left open
    assert order["state"] == "completed"
    events = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/events").json()
    assert [e["name"] for e in events] == [
        "create",
        "confirm",
        "ship",
        "ship",
        "deliver",
        "invoice",
        "pay",
        "pay",
    ]
    assert events[1]["actor"] == "sales_clerk" and events[1]["from_state"] == "draft"
    with rt.db.reading() as s:
        open_tasks = s.scalars(select(Task.kind).where(Task.state == "open")).all()
    assert open_tasks == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"product_code": "P1", "quantity": "0"}]}, "lines[0].quantity"),
        ({"lines": [{"product_code": "NOPE", "quantity": "1"}]}, "lines[0].product_code"),
        ({"lines": [{"product_code": "OLD", "quantity": "1"}]}, "lines[0].product_code"),
        ({"lines": [{"product_code": "RAW", "quantity": "1"}]}, "lines[0].product_code"),
        (
            {"lines": [{"product_code": "P1", "quantity": "1", "unit_price": "50"}]},
            "lines[0].unit_price",
        ),
        ({"requested_date": "2020-01-01"}, "requested_date"),
        ({"requested_date": "not a date"}, "requested_date"),
        ({"channel": "pigeon"}, "channel"),
        ({"customer_id": 999999}, "customer_id"),
        ({"priority": "whenever"}, "priority"),
        ({"lines": [{"product_code": "P1", "quantity": "200000"}]}, "customer_id"),  # credit limit
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    rt: Runtime, world: World, api: Api, overrides: dict[str, Any], field: str
) -> None:
    before = counts(rt)
    answer = api.as_(
        "sales_clerk", "POST", "/api/v1/orders", json=new_order(rt, world, **overrides)
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert counts(rt) == before


def test_every_failing_field_is_reported_at_once(rt: Runtime, world: World, api: Api) -> None:
    body = new_order(
        rt,
        world,
        requested_date="2020-01-01",
        lines=[{"product_code": "NOPE", "quantity": "1"}, {"product_code": "OLD", "quantity": "1"}],
    )
    fields = {
        e["field"]
        for e in api.as_("sales_clerk", "POST", "/api/v1/orders", json=body).json()["errors"]
    }
    assert fields == {"requested_date", "lines[0].product_code", "lines[1].product_code"}


def test_an_undeliverable_address_is_refused(rt: Runtime, world: World, api: Api) -> None:
    body = new_order(rt, world, address_id=world.extra["remote_address_id"])
    answer = api.as_("sales_clerk", "POST", "/api/v1/orders", json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "address_id"


def test_steps_refused_for_role_state_or_version_change_nothing(
    rt: Runtime, world: World, api: Api
) -> None:
    order = api.as_("sales_clerk", "POST", "/api/v1/orders", json=new_order(rt, world)).json()
    before = counts(rt)
    assert api.step("finance", order, "confirm").status_code == 403
    assert api.step("logistics", order, "ship", {"carrier": "x"}).status_code == 409
    stale = dict(order, version=order["version"] + 7)
    refused = api.step("sales_clerk", stale, "confirm")
    assert refused.status_code == 409 and refused.json()["type"].endswith("version_mismatch")
    assert api.step("sales_clerk", order, "fly").status_code == 409
    assert api.step("sales_clerk", order, "cancel", {}).status_code == 422  # a reason is required
    assert counts(rt) == before
    assert stock_of(rt, world, "P1") == (Decimal(100), Decimal(0))


def test_overpayment_and_over_shipping_are_refused(rt: Runtime, world: World, api: Api) -> None:
    order = api.as_(
        "sales_clerk", "POST", "/api/v1/orders", json=new_order(rt, world, confirm=True)
    ).json()
    assert order["state"] == "confirmed"
    too_much = api.step("finance", order, "pay", {"amount": "9999.00", "method": "cash"})
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount"
    over = api.step(
        "logistics", order, "ship", {"carrier": "x", "lines": [{"line_no": 1, "quantity": "5"}]}
    )
    assert over.status_code == 422 and over.json()["errors"][0]["field"] == "lines[0].quantity"
    assert (
        api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}").json()["version"]
        == order["version"]
    )


def test_cancelling_releases_the_reservation(rt: Runtime, world: World, api: Api) -> None:
    order = api.as_(
        "sales_clerk", "POST", "/api/v1/orders", json=new_order(rt, world, confirm=True)
    ).json()
    assert stock_of(rt, world, "P1") == (Decimal(100), Decimal(2))
    order = api.step("order_manager", order, "cancel", {"reason": "客户取消"}).json()
    assert order["state"] == "cancelled"
    assert stock_of(rt, world, "P1") == (Decimal(100), Decimal(0))
    events = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/events").json()
    assert events[-1]["reason"] == "客户取消"


def test_a_shortage_is_reported_with_options_then_handled(
    rt: Runtime, world: World, api: Api
) -> None:
    body = new_order(
        rt,
        world,
        lines=[{"product_code": "P2", "quantity": "60"}, {"product_code": "P1", "quantity": "1"}],
    )
    order = api.as_("sales_clerk", "POST", "/api/v1/orders", json=body).json()
    refused = api.step("sales_clerk", order, "confirm")
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["options"] == ["wait", "split", "substitute"]
    assert (
        problem["shortages"] == [{"line_no": 1, "wanted": "60.0000", "available": "50.0000"}]
        or problem["shortages"][0]["line_no"] == 1
    )
    assert stock_of(rt, world, "P2") == (Decimal(50), Decimal(0))  # nothing held by the refusal

    split = api.step("sales_clerk", order, "confirm", {"on_shortage": "split"}).json()
    assert split["state"] == "confirmed"
    assert [ln["quantity"] for ln in split["lines"]] == ["50", "1"]
    orders = api.as_("sales_clerk", "GET", "/api/v1/orders").json()["items"]
    backorder = next(o for o in orders if o["id"] != split["id"])
    assert backorder["state"] == "draft" and backorder["total"]["amount"] == "2505.00"


def test_substitute_replaces_the_short_product(rt: Runtime, world: World, api: Api) -> None:
    body = new_order(rt, world, lines=[{"product_code": "P2", "quantity": "60"}])
    order = api.as_("sales_clerk", "POST", "/api/v1/orders", json=body).json()
    done = api.step(
        "sales_clerk", order, "confirm", {"on_shortage": "substitute", "substitutes": {"1": "P1"}}
    ).json()
    assert done["state"] == "confirmed"
    assert done["lines"][0]["product_code"] == "P1"
    assert done["lines"][0]["unit_price"]["amount"] == "100.00"


def test_other_companies_and_salespeople_see_404(rt: Runtime, world: World, api: Api) -> None:
    order = api.as_("sales_clerk", "POST", "/api/v1/orders", json=new_order(rt, world)).json()
    token = api.client.post(
        "/api/v1/auth/token", json={"username": "stranger", "password": "correct horse battery"}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert api.client.get(f"/api/v1/orders/{order['id']}", headers=headers).status_code == 404
    assert (
        api.client.post(
            f"/api/v1/orders/{order['id']}/transitions/confirm", headers=headers, json={}
        ).status_code
        == 404
    )
    assert api.as_("sales", "GET", f"/api/v1/orders/{order['id']}").status_code == 404
    assert api.as_("sales", "GET", "/api/v1/orders").json()["items"] == []


def test_no_token_and_bad_token_are_401(rt: Runtime, world: World, api: Api) -> None:
    assert api.client.get("/api/v1/orders").status_code == 401
    bad = api.client.get("/api/v1/orders", headers={"Authorization": "Bearer forged"})
    assert bad.status_code == 401 and bad.headers["content-type"].startswith(
        "application/problem+json"
    )
    wrong = api.client.post("/api/v1/auth/token", json={"username": "finance", "password": "nope"})
    assert wrong.status_code == 401


def test_a_used_token_is_still_refused_once_expired_or_its_user_deactivated(
    rt: Runtime, world: World, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Token signatures are checked once and remembered; age and the user are not."""
    from types import SimpleNamespace

    from orderflow.auth import service as auth

    token = api.client.post(
        "/api/v1/auth/token", json={"username": "finance", "password": "correct horse battery"}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/orders", headers=headers).status_code == 200
    # Signed with another key: refused, however well-formed.
    other = auth._signer("another-secret-key-0123456789", "api").dumps({"uid": 1})
    assert (
        api.client.get("/api/v1/orders", headers={"Authorization": f"Bearer {other}"}).status_code
        == 401
    )
    # Past its lifetime: refused though its signature was accepted a moment ago.
    later = auth.time.time() + rt.settings.token_ttl_hours * 3600 + 5
    monkeypatch.setattr(auth, "time", SimpleNamespace(time=lambda: later))
    expired = api.client.get("/api/v1/orders", headers=headers)
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]
    monkeypatch.undo()
    assert api.client.get("/api/v1/orders", headers=headers).status_code == 200
    # Deactivated: refused at the next request.
    finance = next(
        u
        for u in api.as_("admin", "GET", "/api/v1/users").json()["items"]
        if u["username"] == "finance"
    )
    assert api.as_("admin", "POST", f"/api/v1/users/{finance['id']}/deactivate").status_code == 200
    assert api.client.get("/api/v1/orders", headers=headers).status_code == 401


def test_list_filters_and_pages(rt: Runtime, world: World, api: Api) -> None:
    for priority in ("normal", "urgent", "normal"):
        api.as_(
            "sales_clerk", "POST", "/api/v1/orders", json=new_order(rt, world, priority=priority)
        )
    urgent = api.as_("sales_clerk", "GET", "/api/v1/orders?priority=urgent").json()["items"]
    assert [o["priority"] for o in urgent] == ["urgent"]
    first = api.as_("sales_clerk", "GET", "/api/v1/orders?limit=2").json()
    assert len(first["items"]) == 2 and first["next"]
    rest = api.as_("sales_clerk", "GET", f"/api/v1/orders?limit=2&cursor={first['next']}").json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    found = api.as_("sales_clerk", "GET", "/api/v1/orders?q=000002").json()["items"]
    assert [o["number"] for o in found] == ["SO-2026-000002"]
