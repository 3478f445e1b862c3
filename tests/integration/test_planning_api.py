"""Planning and production through the API, as a story: an order is budgeted and approved,
released to production, planned (materials netted across the group, operations on the
work centres), promised, broken down, worked on the shop floor and completed — and every
refusal on the way changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from orderflow.core import ports
from orderflow.core.tasks import Task
from orderflow.inventory.models import StockLevel
from orderflow.planning.models import PlanRun
from orderflow.production.models import ProductionInstruction
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.production_factories import Plant, make_plant, ready_order


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt, stock={"P2": 50})


@pytest.fixture
def plant(rt: Runtime, world: World) -> Plant:
    return make_plant(rt, world, raw_stock=6, sister_raw=30)


@pytest.fixture
def api(rt: Runtime, world: World, plant: Plant) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def confirmed_order(
    rt: Runtime, world: World, api: Api, quantity: int = 5, days: int = 30
) -> dict[str, Any]:
    """5 × P1 (made; none in stock) and 1 × P2 (in stock), reviewed, confirmed, effective."""
    order_id = ready_order(rt, world, [("P1", quantity), ("P2", 1)], days=days)
    found = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order_id}")
    assert found.status_code == 200, found.text
    return found.json()


def step(
    api: Api,
    user: str,
    url: str,
    doc: dict[str, Any],
    name: str,
    fields: dict[str, Any] | None = None,
) -> Any:
    return api.as_(
        user,
        "POST",
        f"{url}/{doc['id']}/transitions/{name}",
        json=fields or {},
        headers={"If-Match": str(doc["version"])},
    )


def approved_budget(api: Api, order: dict[str, Any]) -> dict[str, Any]:
    budget = api.as_(
        "sales_clerk", "POST", "/api/v1/cost-budgets", json={"sales_order_id": order["id"]}
    )
    assert budget.status_code == 201, budget.text
    doc = budget.json()
    for user in ("sales_clerk", "procurement", "planner"):
        answer = step(api, user, "/api/v1/cost-budgets", doc, "sign")
        assert answer.status_code == 200, answer.text
        doc = answer.json()
    assert doc["state"] == "awaiting_approval"
    doc = step(api, "general_manager", "/api/v1/cost-budgets", doc, "approve").json()
    assert doc["state"] == "approved"
    return doc


def test_an_order_from_budget_to_completed_production(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    order = confirmed_order(rt, world, api)

    # D2: the cost budget — 5 × P1: RAW 5 × 2 × 1.05 = 10.5 kg at 3.20; PART 15 at 12.50;
    # labour: press 30 + 5 × 20 min at 120/h, assembly 5 × 30 at 80/h, sub-assembly 10 + 5 × 10.
    budget = api.as_(
        "sales_clerk", "POST", "/api/v1/cost-budgets", json={"sales_order_id": order["id"]}
    ).json()
    materials = {
        ln["description"]: (ln["quantity"], ln["amount"]["amount"])
        for ln in budget["lines"]
        if ln["kind"] == "material"
    }
    assert materials["P1 → RAW"] == ("10.5", "33.60")
    assert materials["P1 → SUB → PART"] == ("15", "187.50")
    assert materials["P2"][0] == "1"
    assert budget["labour_cost"]["amount"] == "540.00"  # 260 + 200 + 80
    assert budget["missing_signatures"] == ["sales", "purchasing", "planning"]
    # Releasing before the GM approved it is refused, and nothing is created.
    early = api.as_(
        "planner", "POST", "/api/v1/production-instructions", json={"sales_order_id": order["id"]}
    )
    assert early.status_code == 409 and early.json()["reason"] == "cost_budget_not_approved"
    # A department signs once; the wrong department's role may not sign for it.
    signed = step(api, "sales_clerk", "/api/v1/cost-budgets", budget, "sign").json()
    assert step(api, "sales_clerk", "/api/v1/cost-budgets", signed, "sign").status_code == 409
    wrong = step(
        api, "planner", "/api/v1/cost-budgets", signed, "sign", {"department": "purchasing"}
    )
    assert wrong.status_code == 403
    for user in ("procurement", "planner"):
        signed = step(api, user, "/api/v1/cost-budgets", signed, "sign").json()
    assert (
        step(api, "general_manager", "/api/v1/cost-budgets", signed, "approve").json()["state"]
        == "approved"
    )

    # E1: release; the order learns it, the breakdown is due in 4 working hours (not a set).
    released = api.as_(
        "planner",
        "POST",
        "/api/v1/production-instructions",
        json={"sales_order_id": order["id"]},
        headers={"Idempotency-Key": "rel-1"},
    )
    assert released.status_code == 201, released.text
    pi = released.json()
    again = api.as_(
        "planner",
        "POST",
        "/api/v1/production-instructions",
        json={"sales_order_id": order["id"]},
        headers={"Idempotency-Key": "rel-1"},
    )
    assert again.json()["id"] == pi["id"]
    assert (
        api.as_(
            "planner",
            "POST",
            "/api/v1/production-instructions",
            json={"sales_order_id": order["id"]},
        ).status_code
        == 409
    )
    assert [(o["product_code"], o["quantity"], o["level"]) for o in pi["orders"]] == [
        ("P1", "5", 0),
        ("SUB", "5", 1),
    ]
    events = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/events").json()
    assert events[-1]["name"] == "production_released"
    assert events[-1]["payload"]["instruction"] == pi["number"]
    tasks = api.as_("production_manager", "GET", "/api/v1/tasks?assignee=me&state=open").json()[
        "items"
    ]
    breakdown = next(t for t in tasks if t["kind"] == "break_down_instruction")
    assert breakdown["minutes_left"] == 4 * 60

    # E7 + E8: plan the group. RAW: 6 kg own stock, 4.5 from the sister company (transfer
    # before buying); PART: bought (5 days). Operations land on the press and assembly.
    run = api.as_("planner", "POST", "/api/v1/planning/runs")
    assert run.status_code == 201, run.text
    assert run.json()["jobs"] == 2 and run.json()["method"] in ("heuristic", "cp-sat")
    assert api.as_("sales", "POST", "/api/v1/planning/runs").status_code == 403
    mats = api.as_("planner", "GET", "/api/v1/planning/materials").json()
    by_product = {r["product_code"]: r for r in mats["requirements"]}
    assert [
        (a["source"], a["quantity"], a["company_code"]) for a in by_product["RAW"]["allocations"]
    ] == [("stock", "6", "ACME"), ("transfer", "4.5", "ACME-SZ")]
    assert [(a["source"], a["quantity"]) for a in by_product["PART"]["allocations"]] == [
        ("purchase", "15")
    ]
    assert {(s["kind"], s["product_code"], s["quantity"]) for s in mats["suggestions"]} == {
        ("transfer", "RAW", "4.5"),
        ("purchase", "PART", "15"),
    }
    # Handed to procurement (installed here): transfers first, then a requisition per order.
    assert mats["can_release_purchases"] and mats["can_release_transfers"]
    assert api.as_("sales", "POST", "/api/v1/planning/suggestions/release").status_code == 403
    released = api.as_("materials_control", "POST", "/api/v1/planning/suggestions/release")
    assert released.status_code == 200, released.text
    numbers = released.json()
    assert len(numbers["transfers"]) == 1 and len(numbers["purchases"]) == 1
    mats = api.as_("planner", "GET", "/api/v1/planning/materials").json()
    assert {s["released_as"] for s in mats["suggestions"]} == {
        numbers["transfers"][0],
        numbers["purchases"][0],
    }
    # Planned again, the requisition and the transfer under way are supply, not new needs.
    assert api.as_("planner", "POST", "/api/v1/planning/runs").status_code == 201
    mats = api.as_("planner", "GET", "/api/v1/planning/materials").json()
    assert mats["suggestions"] == []
    sources = {
        (r["product_code"], a["source"], a["reference"])
        for r in mats["requirements"]
        for a in r["allocations"]
    }
    assert ("PART", "supply", numbers["purchases"][0]) in sources
    board = api.as_("planner", "GET", "/api/v1/planning/board?days=42").json()
    bars = {
        (row["work_centre_code"], b["product_code"], b["seq"])
        for row in board["rows"]
        for b in row["bars"]
    }
    assert bars == {("PRESS", "P1", 10), ("ASSY", "P1", 20), ("ASSY", "SUB", 10)}
    mo = api.as_("production", "GET", f"/api/v1/production-orders/{pi['orders'][0]['id']}").json()
    assert mo["planned_start"] is not None and mo["operations"][0]["planned_start"] is not None
    # The production order's finish task moved to the plan's finish.
    with rt.db.reading() as s:
        due = s.scalar(
            select(Task.due_at).where(
                Task.document_type == "production_order",
                Task.document_id == mo["id"],
                Task.kind == "finish_production_order",
            )
        )
    assert due == datetime.fromisoformat(mo["planned_finish"])

    # ATP/CTP against the loaded plan: 3 more P1 wait for PART (bought, 5 days) + buffer.
    answer = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/planning/promise",
        json={"lines": [{"product_code": "P1", "quantity": "3"}]},
    ).json()
    assert answer["limited_by"] == "purchase:PART:5"
    assert answer["earliest_date"] > (rt.today() + timedelta(days=5)).isoformat()
    assert "PART" in answer["explanation"]
    bad = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/planning/promise",
        json={"lines": [{"product_code": "NOPE", "quantity": "1"}]},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "lines[0].product_code"

    # E2: the breakdown, keeping a day's buffer (E1); a date without buffer is refused.
    pi = api.as_("production_manager", "GET", f"/api/v1/production-instructions/{pi['id']}").json()
    no_buffer = step(
        api,
        "production_manager",
        "/api/v1/production-instructions",
        pi,
        "break_down",
        {"confirmed_date": order["promised_date"]},
    )
    assert no_buffer.status_code == 422 and no_buffer.json()["errors"][0]["code"] == "no_buffer"
    pi = step(api, "production_manager", "/api/v1/production-instructions", pi, "break_down").json()
    assert pi["state"] == "broken_down" and pi["confirmed_date"] == pi["latest_confirmable"]
    assert [m["kind"] for m in pi["milestones"]] == [
        "subcontracting",
        "purchasing",
        "assembly_start",
        "assembly_finish",
        "packing",
    ]
    with rt.db.reading() as s:
        kinds = set(
            s.scalars(
                select(Task.kind).where(
                    Task.document_type == "production_instruction", Task.state == "open"
                )
            )
        )
    assert {
        "milestone_purchasing",
        "notify_packing",
        "follow_up_production",
        "check_readiness",
    } <= kinds

    # E13: the shop floor reports; more than reached an operation is refused.
    mo_url = "/api/v1/production-orders"
    mo = api.as_("production", "GET", f"{mo_url}/{pi['orders'][0]['id']}").json()
    too_much = step(api, "production", mo_url, mo, "report", {"seq": 20, "good": "1"})
    assert (
        too_much.status_code == 422 and too_much.json()["errors"][0]["code"] == "more_than_received"
    )
    mo = step(api, "production", mo_url, mo, "report", {"seq": 10, "good": "5"}).json()
    mo = step(
        api, "production", mo_url, mo, "report", {"seq": 20, "good": "4", "scrap": "1"}
    ).json()
    assert mo["state"] == "in_progress" and [op["open_quantity"] for op in mo["operations"]] == [
        "0",
        "0",
    ]
    # The first report marked the breakdown's assembly start done.
    pi = api.as_("production_manager", "GET", f"/api/v1/production-instructions/{pi['id']}").json()
    assert next(m for m in pi["milestones"] if m["kind"] == "assembly_start")["done_at"] is not None
    # Completion is reconciled with the reports: output must be the 4 passed at the last step.
    unreconciled = step(api, "production_manager", mo_url, mo, "complete", {"output_quantity": "5"})
    assert (
        unreconciled.status_code == 422
        and unreconciled.json()["errors"][0]["field"] == "output_quantity"
    )
    mo = step(api, "production_manager", mo_url, mo, "complete", {"output_quantity": "4"}).json()
    assert mo["state"] == "completed" and mo["awaiting_inspection"] == "4"
    # J1, I2: the output waits in QC for its final inspection: not stock for anyone yet.
    with rt.db.reading() as s:
        on_hand = s.scalar(
            select(StockLevel.on_hand).where(StockLevel.product_id == world.products["P1"])
        )
    assert on_hand == Decimal(0)
    so = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}").json()
    assert so["lines"][0]["reserved_quantity"] == "0"
    completed = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/events").json()[-1]
    assert completed["name"] == "production_completed"
    assert completed["payload"]["final_inspection"] == mo["final_inspection"]
    # Passed: into storage and reserved for the order, which hears of it.
    insp = api.as_("quality", "GET", f"/api/v1/inspections?q={mo['final_inspection']}").json()
    insp = api.as_("quality", "GET", f"/api/v1/inspections/{insp['items'][0]['id']}").json()
    passed = step(api, "quality", "/api/v1/inspections", insp, "record", {"defective": 0})
    assert passed.status_code == 200, passed.text
    with rt.db.reading() as s:
        on_hand = s.scalar(
            select(StockLevel.on_hand).where(StockLevel.product_id == world.products["P1"])
        )
    assert on_hand == Decimal(4)
    so = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}").json()
    assert so["lines"][0]["reserved_quantity"] == "4"
    assert (
        api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/events").json()[-1]["name"]
        == "final_inspection_passed"
    )


def test_the_promise_port_answers_and_a_changed_order_is_not_counted_against_itself(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    order = confirmed_order(rt, world, api, quantity=20)
    approved_budget(api, order)
    assert (
        api.as_(
            "planner",
            "POST",
            "/api/v1/production-instructions",
            json={"sales_order_id": order["id"]},
        ).status_code
        == 201
    )
    # Supply promised by procurement (a fake source here): PART arrives in 2 days.
    po = ports.Supply(
        world.company_id,
        plant.products["PART"],
        Decimal(100),
        rt.today() + timedelta(days=2),
        "purchase",
        "PO-77",
    )
    with ports.open_supply.use(lambda session, **_: [po]):
        assert api.as_("planner", "POST", "/api/v1/planning/runs").status_code == 201
        with rt.db.reading() as s:
            query = ports.PromiseQuery(
                company_id=world.company_id,
                lines=(ports.PromiseLine(world.products["P1"], Decimal(20)),),
            )
            fresh = ports.promise_date(s, rt, query)
            changed = ports.promise_date(
                s,
                rt,
                ports.PromiseQuery(
                    company_id=world.company_id, lines=query.lines, sales_order_id=order["id"]
                ),
            )
    # Against the plan, 20 more compete with the order's own 20 for PART and the press;
    # as a change of that order, its own plan is given back first.
    assert changed.earliest_date <= fresh.earliest_date
    assert changed.feasible is True
    # Said for people, in the company's language: what limits it (here a bought material).
    assert any(code in fresh.limited_by for code in ("PRESS", "ASSY", "PART", "RAW")), (
        fresh.limited_by
    )


def test_a_non_regular_order_needs_its_meeting_and_objections_come_within_a_day(
    rt: Runtime, world: World, plant: Plant, api: Api, clock: Any
) -> None:
    order = confirmed_order(rt, world, api, days=40)
    approved_budget(api, order)
    pi = api.as_(
        "planner",
        "POST",
        "/api/v1/production-instructions",
        json={"sales_order_id": order["id"], "non_regular": True, "complete_set": True},
    ).json()
    url = "/api/v1/production-instructions"
    refused = step(api, "production_manager", url, pi, "break_down")
    assert refused.status_code == 409 and "coordination meeting" in refused.json()["detail"]
    pi = step(
        api,
        "production_manager",
        url,
        pi,
        "record_meeting",
        {
            "held_on": rt.today().isoformat(),
            "attendees": "技术、车间、采购",
            "decisions": "先做样机",
        },
    ).json()
    assert pi["state"] == "issued" and pi["meetings"][0]["attendees"] == "技术、车间、采购"
    pi = step(api, "production_manager", url, pi, "break_down").json()
    assert [m["kind"] for m in pi["milestones"]][0] == "design"  # non-regular: design first

    # E4: procurement objects to the purchasing date within 1 working day; the planner accepts.
    purchasing = next(m for m in pi["milestones"] if m["kind"] == "purchasing")
    later = purchasing["due_at"].replace("T", " ")
    objected = step(
        api,
        "procurement",
        url,
        pi,
        "object",
        {"milestone": "purchasing", "reason": "供应商排期满", "proposed_at": purchasing["due_at"]},
    )
    assert objected.status_code == 200, objected.text
    pi = objected.json()
    pi = step(
        api,
        "planner",
        url,
        pi,
        "answer_objection",
        {"objection_id": pi["objections"][0]["id"], "accept": True, "answer": "同意"},
    ).json()
    assert pi["objections"][0]["accepted"] is True and later
    # A day later, objections are no longer taken.
    clock.advance(days=2)
    late = step(api, "quality", url, pi, "object", {"milestone": "packing", "reason": "太晚了"})
    assert late.status_code == 409

    # E5: reprioritised to urgent with a later date: the order learns the new due date.
    pi = api.as_("production_manager", "GET", f"{url}/{pi['id']}").json()
    moved = step(
        api,
        "production_manager",
        url,
        pi,
        "reprioritise",
        {
            "priority": "urgent",
            "confirmed_date": (rt.today() + timedelta(days=60)).isoformat(),
            "reason": "产能冲突",
        },
    )
    assert moved.status_code == 200, moved.text
    events = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/events").json()
    assert (
        events[-1]["name"] == "production_due_changed"
        and events[-1]["payload"]["new_due_date"] > (rt.today() + timedelta(days=60)).isoformat()
    )
    with rt.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ProductionInstruction)) == 1
        assert s.scalar(select(func.count()).select_from(PlanRun)) == 0
