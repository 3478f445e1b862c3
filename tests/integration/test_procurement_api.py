"""Buying per order through the API: requisition → purchase order → approval → supplier
follow-up → receipt → incoming inspection, with every rule on the way (H1–H7, A5, I2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from orderflow.core.clock import FrozenClock
from orderflow.core.sweeper import sweep
from orderflow.core.tasks import OPEN, Task
from orderflow.inventory import ledger
from orderflow.notify.models import Notification
from orderflow.runtime import Runtime
from tests.factories import PASSWORD, World, make_world, order_data
from tests.integration.api_client import Api, api_for
from tests.integration.test_pages import csrf
from tests.production_factories import make_plant
from tests.supply_factories import add_sister, add_suppliers


@pytest.fixture
def world(rt: Runtime) -> World:
    world = make_world(rt, stock={"P1": 100, "P2": 50})
    add_suppliers(rt, world)
    return world


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def step(api: Api, user: str, path: str, doc: dict[str, Any], name: str, **fields: Any) -> Any:
    return api.as_(
        user,
        "POST",
        f"/api/v1/{path}/{doc['id']}/transitions/{name}",
        json=fields,
        headers={"If-Match": str(doc["version"])},
    )


def ok(answer: Any, status: int = 200) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    return answer.json()  # type: ignore[no-any-return]


def tasks_of(rt: Runtime, doc_type: str, doc_id: int) -> dict[str, Task]:
    with rt.db.reading() as s:
        return {
            t.kind: t
            for t in s.scalars(
                select(Task).where(Task.document_type == doc_type, Task.document_id == doc_id)
            )
        }


def raw_requisition(api: Api, rt: Runtime, days: int = 14) -> dict[str, Any]:
    return ok(
        api.as_(
            "procurement",
            "POST",
            "/api/v1/requisitions",
            json={
                "needed_by": (rt.today() + timedelta(days=days)).isoformat(),
                "lines": [
                    {
                        "product_code": "RAW",
                        "unit_use": "2",
                        "for_quantity": "50",
                        "allowance": "0.05",
                    }
                ],
            },
        ),
        201,
    )


def placed_order(api: Api, rt: Runtime, days: int = 14, **extra: Any) -> dict[str, Any]:
    req = raw_requisition(api, rt, days)
    po = ok(
        api.as_(
            "procurement",
            "POST",
            "/api/v1/purchase-orders",
            json={"supplier_code": "S1", "from_requisitions": [req["number"]], **extra},
        ),
        201,
    )
    po = ok(step(api, "procurement", "purchase-orders", po, "submit"))
    return ok(step(api, "procurement_manager", "purchase-orders", po, "approve"))


def stock_of(api: Api, code: str) -> dict[str, str]:
    rows = api.as_("warehouse", "GET", f"/api/v1/stock?product_code={code}").json()["items"]
    return rows[0] if rows else {"available": "0", "awaiting_inspection": "0", "rejected": "0"}


def test_a_requisition_is_bought_followed_up_received_and_inspected(
    rt: Runtime, world: World, api: Api
) -> None:
    add_sister(rt, world, raw=40)
    # H2: unit use × order quantity × (1 + allowance) = 2 × 50 × 1.05
    req = raw_requisition(api, rt)
    assert req["lines"][0]["quantity"] == "105" and req["state"] == "open"
    assert req["lines"][0]["group_free"] == [{"company_code": "SIS", "free": "40"}]
    po = ok(
        api.as_(
            "procurement",
            "POST",
            "/api/v1/purchase-orders",
            json={"supplier_code": "S1", "from_requisitions": [req["number"]]},
            headers={"Idempotency-Key": "po-1"},
        ),
        201,
    )
    assert (po["state"], po["lines"][0]["quantity"], po["total"]["amount"]) == (
        "draft",
        "105",
        "126.00",
    )
    assert po["due_date"] == req["needed_by"]
    assert (
        ok(api.as_("procurement", "GET", f"/api/v1/requisitions/{req['id']}"))["state"] == "ordered"
    )

    # A5: the sister company holds 40 free: buying needs a reason (nothing changes on refusal).
    refused = step(api, "procurement", "purchase-orders", po, "submit")
    assert refused.status_code == 422
    assert refused.json()["errors"][0] == {
        "field": "lines[0].quantity",
        "message": refused.json()["errors"][0]["message"],
        "code": "transfer_first",
    }
    po = ok(
        step(api, "procurement", "purchase-orders", po, "submit", no_transfer_reason="材质不同")
    )
    assert po["state"] == "pending_approval"
    # H2: only a manager approves.
    assert step(api, "procurement", "purchase-orders", po, "approve").status_code == 403
    po = ok(step(api, "procurement_manager", "purchase-orders", po, "approve"))
    assert po["state"] == "ordered" and po["approved_by"] == "procurement_manager"

    # H3: the buyer's follow-up tasks count back from the planned date (2026-12-08).
    tasks = tasks_of(rt, "purchase_order", po["id"])
    local = {k: t.due_at.astimezone(rt.policy.zone).isoformat() for k, t in tasks.items()}
    assert local["confirm_supplier_date"] == "2026-12-01T17:30:00+08:00"
    assert local["confirm_supplier_on_time"] == "2026-12-04T17:30:00+08:00"
    assert local["confirm_supplier_shipment"] == "2026-12-08T17:30:00+08:00"
    assert tasks["confirm_supplier_date"].assignee_id == world["procurement"].id

    # H4: the supplier confirms a later date: an exception slip at once, for the procurement head.
    po = ok(
        step(
            api,
            "procurement",
            "purchase-orders",
            po,
            "confirm_date",
            promised_date=(rt.today() + timedelta(days=18)).isoformat(),
        )
    )
    assert po["late"] and po["exception_number"]
    slip = ok(api.as_("procurement_manager", "GET", f"/api/v1/exceptions/{po['exception_id']}"))
    assert (slip["kind"], slip["owner_roles"], slip["supplier_name"]) == (
        "supplier_late",
        ["procurement_manager"],
        "华东钢材",
    )
    tasks = tasks_of(rt, "purchase_order", po["id"])
    assert tasks["confirm_supplier_date"].state == tasks["confirm_supplier_on_time"].state == "done"
    assert tasks["confirm_supplier_shipment"].state == OPEN
    with rt.db.reading() as s:
        told = s.scalars(
            select(Notification.recipient_role).where(Notification.kind == "exception_raised")
        ).all()
    assert told == ["order_manager"]  # 3.5.2 反馈给采购经理和业务

    # H5: over-delivery is refused whole; a partial delivery waits in QC, short is chased.
    over = step(
        api,
        "warehouse",
        "purchase-orders",
        po,
        "receive",
        lines=[{"line_no": 1, "quantity": "106"}],
    )
    assert over.status_code == 422 and over.json()["errors"][0]["code"] == "over_delivery"
    po = ok(
        step(
            api,
            "warehouse",
            "purchase-orders",
            po,
            "receive",
            delivery_note="DN-1",
            lines=[{"line_no": 1, "quantity": "60"}],
        )
    )
    assert po["state"] == "receiving" and po["lines"][0]["outstanding"] == "45"
    assert tasks_of(rt, "purchase_order", po["id"])["chase_shortage"].state == OPEN
    assert stock_of(api, "RAW")["available"] == "0"
    assert stock_of(api, "RAW")["awaiting_inspection"] == "60"

    # I2: the incoming inspection releases it: GB/T 2828.1 for a lot of 60 at AQL 2.5 is n=8, Ac=0.
    number = po["receipts"][0]["lines"][0]["inspection_number"]
    insp = ok(api.as_("quality", "GET", f"/api/v1/inspections?q={number}"))["items"][0]
    insp = ok(api.as_("quality", "GET", f"/api/v1/inspections/{insp['id']}"))
    assert (insp["sample_size"], insp["accept_number"], insp["stage"]) == (8, 0, "incoming")
    insp = ok(step(api, "quality", "inspections", insp, "record", defective=0))
    assert insp["state"] == "passed" and insp["pass_rate"] == "1"
    assert stock_of(api, "RAW")["available"] == "60"
    po = ok(api.as_("procurement", "GET", f"/api/v1/purchase-orders/{po['id']}"))
    assert (po["state"], po["lines"][0]["accepted"]) == ("receiving", "60")
    po = ok(
        step(
            api,
            "procurement",
            "purchase-orders",
            po,
            "agree_remainder",
            expected_date=(rt.today() + timedelta(days=20)).isoformat(),
        )
    )
    assert tasks_of(rt, "purchase_order", po["id"])["chase_shortage"].state == "done"
    events = [
        e["name"]
        for e in api.as_("procurement", "GET", f"/api/v1/purchase-orders/{po['id']}/events").json()
    ]
    assert events == [
        "create",
        "submit",
        "approve",
        "confirm_date",
        "receive",
        "inspected",
        "agree_remainder",
    ]
    with rt.db.reading() as s:
        assert ledger.check(s) == []


def test_a_hand_made_purchase_for_a_sales_order_is_checked_against_unit_use(
    rt: Runtime, world: World, api: Api
) -> None:
    from orderflow.sales.service import create_order

    order = create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))
    due = (rt.today() + timedelta(days=20)).isoformat()

    def draft(**line: Any) -> dict[str, Any]:
        return ok(
            api.as_(
                "procurement",
                "POST",
                "/api/v1/purchase-orders",
                json={
                    "supplier_code": "S1",
                    "sales_order_id": order.id,
                    "due_date": due,
                    "lines": [{"product_code": "P3", **line}],
                },
            ),
            201,
        )

    missing = step(api, "procurement", "purchase-orders", draft(quantity="10"), "submit")
    assert (
        missing.status_code == 422 and missing.json()["errors"][0]["field"] == "lines[0].unit_use"
    )
    over = step(
        api,
        "procurement",
        "purchase-orders",
        draft(quantity="11", unit_use="1", for_quantity="10"),
        "submit",
    )
    assert over.json()["errors"][0]["code"] == "over_requirement"
    fine = ok(
        step(
            api,
            "procurement",
            "purchase-orders",
            draft(quantity="10", unit_use="1", for_quantity="10"),
            "submit",
        )
    )
    assert fine["state"] == "pending_approval" and fine["sales_order_number"] == order.number
    # No price in the supplier's table and none given: refused, naming the line.
    nothing = api.as_(
        "procurement",
        "POST",
        "/api/v1/purchase-orders",
        json={
            "supplier_code": "S2",
            "due_date": due,
            "lines": [{"product_code": "P3", "quantity": "1"}],
        },
    )
    assert (
        nothing.status_code == 422 and nothing.json()["errors"][0]["field"] == "lines[0].unit_price"
    )


def test_a_purchase_for_a_sales_order_takes_its_unit_use_from_the_bom(
    rt: Runtime, world: World, api: Api
) -> None:
    from orderflow.sales.service import create_order

    # Given an order for 10 × P1, whose BOM takes 2 kg RAW + 5 % overage, and 3 PART
    # through the sub-assembly SUB.
    make_plant(rt, world, raw_stock=0)
    order = create_order(
        rt,
        world["sales_clerk"],
        order_data(rt, world, lines=[{"product_code": "P1", "quantity": "10"}]),
    )
    needed_by = (rt.today() + timedelta(days=20)).isoformat()

    def requisition(*lines: dict[str, str]) -> Any:
        return api.as_(
            "procurement",
            "POST",
            "/api/v1/requisitions",
            json={"sales_order_id": order.id, "needed_by": needed_by, "lines": list(lines)},
        )

    def basis(line: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            line[k]
            for k in (
                "quantity",
                "unit_use",
                "for_quantity",
                "allowance",
                "unit_use_source",
                "bom_unit_use",
                "differs_from_bom",
            )
        )

    # When the buyer names only the materials, unit use and quantity come from the BOM.
    req = ok(requisition({"product_code": "RAW"}, {"product_code": "PART", "quantity": "30"}), 201)
    raw, part = req["lines"]
    assert basis(raw) == ("21", "2.1", "10", "0", "bom", "2.1", False)
    assert basis(part) == ("30", "3", "10", "0", "bom", "3", False)
    # More than the BOM's figure is refused, naming the line, and nothing is raised.
    over = requisition({"product_code": "PART", "quantity": "31"})
    assert over.status_code == 422
    assert [(e["field"], e["code"]) for e in over.json()["errors"]] == [
        ("lines[0].quantity", "over_requirement")
    ]
    # A typed unit use is kept (the check uses it) but shown against the BOM's.
    typed_req = ok(requisition({"product_code": "RAW", "unit_use": "2.5"}), 201)
    assert basis(typed_req["lines"][0]) == ("25", "2.5", "10", "0", "entered", "2.1", True)
    same = ok(requisition({"product_code": "RAW", "unit_use": "2", "allowance": "0.05"}), 201)
    assert basis(same["lines"][0]) == ("21", "2", "10", "0.05", "entered", "2.1", False)
    # A material the BOM does not use, with nothing to go by: refused, naming the field.
    none = requisition({"product_code": "P3"})
    assert (none.status_code, none.json()["errors"][0]["field"]) == (422, "lines[0].quantity")
    listed = ok(api.as_("procurement", "GET", f"/api/v1/requisitions?sales_order_id={order.id}"))
    assert len(listed["items"]) == 3

    # A purchase order bought by hand for the order is checked against the BOM on submit.
    def draft(quantity: str) -> dict[str, Any]:
        return ok(
            api.as_(
                "procurement",
                "POST",
                "/api/v1/purchase-orders",
                json={
                    "supplier_code": "S1",
                    "sales_order_id": order.id,
                    "due_date": needed_by,
                    "lines": [{"product_code": "RAW", "quantity": quantity}],
                },
            ),
            201,
        )

    too_much = draft("22")
    assert basis(too_much["lines"][0])[1:] == ("2.1", "10", "0", "bom", "2.1", False)
    refused = step(api, "procurement", "purchase-orders", too_much, "submit")
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("lines[0].quantity", "over_requirement")
    ]
    assert ok(step(api, "procurement", "purchase-orders", draft("21"), "submit"))["state"] == (
        "pending_approval"
    )
    # The pages say where the figure came from, and show the BOM's beside a typed one.
    token = csrf(api.client.get("/login").text)
    api.client.post(
        "/login", data={"username": "procurement", "password": PASSWORD, "csrf_token": token}
    )
    from_bom = api.client.get(f"/purchasing/requisitions/{req['id']}").text
    assert '2.1 × 10 × (1 + 0) <span class="badge">' in from_bom
    differs = api.client.get(f"/purchasing/requisitions/{typed_req['id']}").text
    assert '2.5 × 10 × (1 + 0) <span class="badge warn"' in differs


def test_a_smaller_quantity_needs_the_planner_and_a_cancel_buys_elsewhere(
    rt: Runtime, world: World, api: Api
) -> None:
    po = placed_order(api, rt)
    po = ok(
        step(
            api,
            "procurement",
            "purchase-orders",
            po,
            "request_reduction",
            reason="客户减量",
            lines=[{"line_no": 1, "quantity": "60"}],
        )
    )
    assert po["pending_reduction"]["lines"] == {"1": "60"}
    assert tasks_of(rt, "purchase_order", po["id"])["consent_reduction"].role == "planner"
    assert step(api, "procurement", "purchase-orders", po, "consent_reduction").status_code == 403
    po = ok(step(api, "planner", "purchase-orders", po, "consent_reduction"))
    assert (
        po["lines"][0]["cancelled"],
        po["lines"][0]["outstanding"],
        po["pending_reduction"],
    ) == ("45", "60", None)
    req = ok(api.as_("procurement", "GET", "/api/v1/requisitions?state=ordered"))["items"][0]
    req = ok(api.as_("procurement", "GET", f"/api/v1/requisitions/{req['id']}"))
    assert req["lines"][0]["quantity"] == "60"

    # H6: what the supplier has may not simply be cut; cancelling buys the rest elsewhere.
    plain = step(api, "procurement_manager", "purchase-orders", po, "cancel", reason="供应商停产")
    assert plain.status_code == 422 and plain.json()["errors"][0]["field"] == "rebuy"
    po = ok(
        step(
            api,
            "procurement_manager",
            "purchase-orders",
            po,
            "cancel",
            reason="供应商停产",
            rebuy=True,
        )
    )
    assert po["state"] == "cancelled"
    rebuy = ok(api.as_("procurement", "GET", "/api/v1/requisitions?state=open"))["items"]
    assert [(r["source"], r["open_lines"]) for r in rebuy] == [("rebuy", 1)]


def test_a_supplier_unconfirmed_two_working_days_before_is_an_exception(
    rt: Runtime, world: World, api: Api, clock: FrozenClock
) -> None:
    po = placed_order(api, rt)  # due 2026-12-08; the last day to report is 12-04
    agreed = placed_order(
        api, rt, supplier_promised_date=(rt.today() + timedelta(days=13)).isoformat()
    )
    clock.now = clock.now + timedelta(days=10, hours=8)  # Friday 12-04, 18:00 Shanghai
    sweep(rt.db, rt.policy, now=rt.now())
    po = ok(api.as_("procurement", "GET", f"/api/v1/purchase-orders/{po['id']}"))
    assert po["late"] and po["exception_number"]
    slip = ok(api.as_("procurement_manager", "GET", f"/api/v1/exceptions/{po['exception_id']}"))
    assert (slip["kind"], slip["raised_by"]) == ("supplier_late", None)
    events = [
        e["name"]
        for e in api.as_("procurement", "GET", f"/api/v1/purchase-orders/{po['id']}/events").json()
    ]
    assert "supplier_late" in events
    assert (
        ok(api.as_("procurement", "GET", f"/api/v1/purchase-orders/{agreed['id']}"))["late"]
        is False
    )


def test_failed_goods_are_returned_or_conceded_by_a_head(
    rt: Runtime, world: World, api: Api
) -> None:
    po = placed_order(api, rt)
    po = ok(
        step(
            api,
            "warehouse",
            "purchase-orders",
            po,
            "receive",
            lines=[{"line_no": 1, "quantity": "50"}],
        )
    )
    number = po["receipts"][0]["lines"][0]["inspection_number"]
    insp = ok(api.as_("quality", "GET", f"/api/v1/inspections?q={number}"))["items"][0]
    insp = ok(api.as_("quality", "GET", f"/api/v1/inspections/{insp['id']}"))
    missing = step(api, "quality", "inspections", insp, "record", defective=2)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "findings"
    insp = ok(
        step(
            api,
            "quality",
            "inspections",
            insp,
            "record",
            defective=2,
            findings=[{"defect": "dimension", "quantity": 2, "note": "超差 0.3mm"}],
        )
    )
    # 6 of 8 good: 75 % is under 95 %, so both heads have it within 20 minutes (J2).
    assert (insp["state"], insp["pass_rate"], insp["routes"]) == ("failed", "0.75", ["batch_heads"])
    slip = ok(api.as_("quality_manager", "GET", f"/api/v1/exceptions/{insp['exception_id']}"))
    assert set(slip["owner_roles"]) == {"quality_manager", "procurement_manager"}
    slip_tasks = tasks_of(rt, "exception_slip", slip["id"])
    assert {k: (t.role, t.due_at - t.opened_at) for k, t in slip_tasks.items()} == {
        "batch_finding_quality_head": ("quality_manager", timedelta(minutes=20)),
        "batch_finding_procurement_head": ("procurement_manager", timedelta(minutes=20)),
    }
    assert stock_of(api, "RAW")["rejected"] == "50" and stock_of(api, "RAW")["available"] == "0"
    po = ok(api.as_("procurement", "GET", f"/api/v1/purchase-orders/{po['id']}"))
    assert tasks_of(rt, "purchase_order", po["id"])["settle_rejects"].state == OPEN
    conceded = step(
        api,
        "procurement",
        "purchase-orders",
        po,
        "settle_rejects",
        line_no=1,
        action="concession",
        quantity="20",
    )
    assert conceded.status_code == 403
    po = ok(
        step(
            api,
            "procurement",
            "purchase-orders",
            po,
            "settle_rejects",
            line_no=1,
            action="return",
            quantity="30",
        )
    )
    assert (po["lines"][0]["returned"], po["lines"][0]["outstanding"]) == ("30", "85")
    po = ok(
        step(
            api,
            "quality_manager",
            "purchase-orders",
            po,
            "settle_rejects",
            line_no=1,
            action="concession",
        )
    )
    assert (po["lines"][0]["accepted"], po["lines"][0]["rejected"]) == ("20", "0")
    assert tasks_of(rt, "purchase_order", po["id"])["settle_rejects"].state == "done"
    assert stock_of(api, "RAW")["available"] == "20"
    moves = api.as_("warehouse", "GET", "/api/v1/stock/moves?product_code=RAW").json()["items"]
    assert [m["reason"] for m in reversed(moves)] == [
        "receipt",
        "inspection_rejected",
        "inspection_rejected",
        "return_to_supplier",
        "concession",
        "concession",
    ]
    assert ok(api.as_("admin", "GET", "/api/v1/stock/ledger-check"))["ok"]


def test_suppliers_lead_times_and_on_time_rate(
    rt: Runtime, world: World, api: Api, clock: FrozenClock
) -> None:
    made = api.as_(
        "procurement_manager",
        "POST",
        "/api/v1/suppliers",
        json={
            "code": "S9",
            "name": "新供应商",
            "items": [{"product_code": "RAW", "lead_time_days": 4, "unit_price": "1.1"}],
        },
    )
    s9 = ok(made, 201)
    assert s9["items"][0]["lead_time_days"] == 4
    assert (
        api.as_(
            "procurement_manager", "POST", "/api/v1/suppliers", json={"code": "S9", "name": "x"}
        ).status_code
        == 409
    )
    assert (
        api.as_(
            "warehouse", "POST", "/api/v1/suppliers", json={"code": "S8", "name": "x"}
        ).status_code
        == 403
    )
    changed = ok(
        api.as_(
            "procurement",
            "PATCH",
            f"/api/v1/suppliers/{s9['id']}",
            json={"items": [{"product_code": "P3", "lead_time_days": 9}]},
        )
    )
    assert [i["product_code"] for i in changed["items"]] == ["P3"]

    on_time = placed_order(api, rt, days=7)
    late = placed_order(api, rt, days=7)
    ok(step(api, "warehouse", "purchase-orders", on_time, "receive"))
    clock.now = clock.now + timedelta(days=10)
    ok(
        step(
            api,
            "warehouse",
            "purchase-orders",
            ok(api.as_("warehouse", "GET", f"/api/v1/purchase-orders/{late['id']}")),
            "receive",
        )
    )
    rates = ok(api.as_("procurement", "GET", "/api/v1/suppliers/performance"))["items"]
    assert [(r["code"], r["on_time"], r["late"], r["rate"]) for r in rates] == [
        ("S1", 1, 1, "0.5000")
    ]
    by_material = ok(api.as_("procurement", "GET", "/api/v1/suppliers/performance?by=product"))[
        "items"
    ]
    assert by_material[0]["code"] == "RAW"
    s1 = ok(api.as_("procurement", "GET", f"/api/v1/suppliers/{world.extra['suppliers']['S1']}"))
    assert s1["on_time_rate"] == "0.5000"


def test_purchasing_is_the_companys_own(rt: Runtime, world: World, api: Api) -> None:
    po = placed_order(api, rt)
    from orderflow.auth.service import issue_token

    token = issue_token(rt, world.other_company_user)
    foreign = api.client.get(
        f"/api/v1/purchase-orders/{po['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert foreign.status_code == 404
    assert api.as_("sales", "GET", "/api/v1/purchase-orders").status_code == 403
    assert Decimal(po["total"]["amount"]) == Decimal("126.00")
