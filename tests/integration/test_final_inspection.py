"""Finished goods pass final inspection before they are stock for their order (J1, J4, I2):
a completed line waits in the QC area; what passes goes into storage and is reserved for
the order, what fails is set aside in REJ with a quality slip; a reworked lot passes on
reinspection. With the policy's switch off, completion reserves at once, as before."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from orderflow.app import create_app
from orderflow.inventory.ledger import check
from orderflow.parties.models import Customer
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_pages import login
from tests.integration.test_planning_api import approved_budget, confirmed_order, step
from tests.integration.test_procurement_api import tasks_of
from tests.production_factories import Plant, make_plant

MO_URL = "/api/v1/production-orders"
QI_URL = "/api/v1/inspections"


@pytest.fixture
def world(rt: Runtime) -> World:
    world = make_world(rt, stock={"P2": 50})
    with rt.db.transaction() as s:
        s.execute(
            update(Customer)
            .where(Customer.id == world.customer_id)
            .values(quality_standard="GB/T 3797-2016", shipping_standard="木箱包装，防潮")
        )
    return world


@pytest.fixture
def plant(rt: Runtime, world: World) -> Plant:
    return make_plant(rt, world)


@pytest.fixture
def api(rt: Runtime, world: World, plant: Plant) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def ok(answer: Any) -> Any:
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def made_and_completed(rt: Runtime, world: World, api: Api) -> tuple[dict[str, Any], ...]:
    """Given an order for 5 × P1 released to production, its sub-assembly and its line made
    (4 good, 1 scrapped at assembly), when both production orders are completed."""
    order = confirmed_order(rt, world, api)
    approved_budget(api, order)
    pi = ok(
        api.as_(
            "planner",
            "POST",
            "/api/v1/production-instructions",
            json={"sales_order_id": order["id"]},
        )
    )
    top, sub = (ok(api.as_("production", "GET", f"{MO_URL}/{o['id']}")) for o in pi["orders"])
    assert (top["level"], sub["level"]) == (0, 1)
    sub = ok(step(api, "production", MO_URL, sub, "report", {"seq": 10, "good": "5"}))
    sub = ok(step(api, "production_manager", MO_URL, sub, "complete", {"output_quantity": "5"}))
    top = ok(step(api, "production", MO_URL, top, "report", {"seq": 10, "good": "5"}))
    top = ok(step(api, "production", MO_URL, top, "report", {"seq": 20, "good": "4", "scrap": "1"}))
    top = ok(step(api, "production_manager", MO_URL, top, "complete", {"output_quantity": "4"}))
    return order, top, sub


def stock_of(api: Api, code: str) -> dict[str, str]:
    """The product's stock over the company's warehouses, as ``GET /stock`` shows it."""
    rows = ok(api.as_("warehouse", "GET", f"/api/v1/stock?product_code={code}"))["items"]
    return {
        key: f"{sum((Decimal(r[key]) for r in rows), Decimal(0)).normalize():f}"
        for key in ("on_hand", "reserved", "available", "awaiting_inspection", "rejected")
    }


def reserved_for(api: Api, order: dict[str, Any]) -> str:
    line = ok(api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}"))["lines"][0]
    return str(line["reserved_quantity"])


def last_event(api: Api, order: dict[str, Any]) -> str:
    return str(
        ok(api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/events"))[-1]["name"]
    )


def inspection_of(api: Api, mo: dict[str, Any]) -> dict[str, Any]:
    found = ok(api.as_("quality", "GET", f"{QI_URL}?q={mo['final_inspection']}"))["items"]
    assert len(found) == 1
    return ok(api.as_("quality", "GET", f"{QI_URL}/{found[0]['id']}"))  # type: ignore[no-any-return]


def ledger_balances(rt: Runtime) -> None:
    with rt.db.reading() as s:
        assert check(s) == []


def test_finished_goods_wait_for_final_inspection_and_only_what_passes_is_reserved(
    rt: Runtime, world: World, api: Api
) -> None:
    order, top, sub = made_and_completed(rt, world, api)

    # A sub-assembly goes into its parent: no inspection, nothing into stock.
    assert sub["final_inspection"] is None
    assert stock_of(api, "SUB")["on_hand"] == "0"
    # The line's 4 wait in QC: not on hand, not available, not reserved for the order.
    assert top["state"] == "completed" and top["awaiting_inspection"] == "4"
    assert "inspected" not in top["allowed_transitions"]
    assert stock_of(api, "P1") == {
        "on_hand": "0",
        "reserved": "0",
        "available": "0",
        "awaiting_inspection": "4",
        "rejected": "0",
    }
    assert reserved_for(api, order) == "0"
    assert last_event(api, order) == "production_completed"

    # Quality finds the final inspection waiting, with the customer's standards (J4).
    insp = inspection_of(api, top)
    assert (insp["stage"], insp["state"], insp["lot"], insp["lot_quantity"]) == (
        "final",
        "pending",
        top["number"],
        "4",
    )
    assert (insp["source_document_type"], insp["source_number"]) == (
        "production_order",
        top["number"],
    )
    assert insp["sales_order_id"] == order["id"]
    assert insp["quality_standard"] == "GB/T 3797-2016"

    # One unit's packing fails the customer's shipping standard: it is set aside.
    insp = ok(
        step(
            api,
            "quality",
            QI_URL,
            insp,
            "record",
            {
                "defective": 1,
                "rejected_quantity": "1",
                "quality_standard_met": True,
                "shipping_standard_met": False,
                "findings": [{"defect": "packing", "note": "未用木箱"}],
            },
        )
    )
    assert insp["state"] == "failed" and insp["exception_number"]
    slip = ok(api.as_("production", "GET", f"/api/v1/exceptions/{insp['exception_id']}"))
    assert slip["kind"] == "quality"
    # The 3 that passed are stock, held for the order; the 1 waits in REJ for rework.
    assert stock_of(api, "P1") == {
        "on_hand": "3",
        "reserved": "3",
        "available": "0",
        "awaiting_inspection": "0",
        "rejected": "1",
    }
    assert reserved_for(api, order) == "3"
    assert last_event(api, order) == "final_inspection_failed"
    top = ok(api.as_("production", "GET", f"{MO_URL}/{top['id']}"))
    assert (top["accepted_quantity"], top["rejected_quantity"], top["awaiting_inspection"]) == (
        "3",
        "1",
        "0",
    )
    mo_events = ok(api.as_("production", "GET", f"{MO_URL}/{top['id']}/events"))
    assert mo_events[-1]["name"] == "inspected"
    assert mo_events[-1]["payload"]["fields"]["inspection"] == insp["number"]

    # Reworked, the rejected unit is inspected again (the lot is what was rejected) and
    # passes: out of REJ into storage, reserved; the order's goods all passed.
    insp = ok(step(api, "quality", QI_URL, insp, "reinspect", {"note": "改木箱"}))
    assert insp["lot_quantity"] == "1"
    insp = ok(
        step(
            api,
            "quality",
            QI_URL,
            insp,
            "record",
            {"defective": 0, "quality_standard_met": True, "shipping_standard_met": True},
        )
    )
    assert insp["state"] == "passed"
    assert stock_of(api, "P1") == {
        "on_hand": "4",
        "reserved": "4",
        "available": "0",
        "awaiting_inspection": "0",
        "rejected": "0",
    }
    assert reserved_for(api, order) == "4"
    assert last_event(api, order) == "final_inspection_passed"
    ledger_balances(rt)


def test_the_goods_leave_qc_only_through_their_own_inspection(
    rt: Runtime, world: World, api: Api
) -> None:
    _, top, _ = made_and_completed(rt, world, api)
    # Taken by hand, or naming another inspection, it is refused and nothing moves.
    by_production = step(
        api,
        "production_manager",
        MO_URL,
        top,
        "inspected",
        {"accepted": "4", "rejected": "0", "inspection": top["final_inspection"]},
    )
    assert by_production.status_code == 403
    wrong = step(
        api,
        "quality",
        MO_URL,
        top,
        "inspected",
        {"accepted": "4", "rejected": "0", "inspection": "QI-0000-000000"},
    )
    assert wrong.status_code == 409, wrong.text
    too_much = step(
        api,
        "quality",
        MO_URL,
        top,
        "inspected",
        {"accepted": "5", "rejected": "0", "inspection": top["final_inspection"]},
    )
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["code"] == "over_inspected"
    # Nor may the inspection be cancelled while the goods wait in QC for it.
    insp = inspection_of(api, top)
    cancelled = step(api, "quality_manager", QI_URL, insp, "cancel", {"reason": "不检了"})
    assert cancelled.status_code == 422
    assert cancelled.json()["errors"][0]["code"] == "goods_waiting"
    assert stock_of(api, "P1")["awaiting_inspection"] == "4"
    ledger_balances(rt)


def test_with_the_switch_off_completion_reserves_at_once(
    rt: Runtime, world: World, plant: Plant
) -> None:
    quality = rt.policy.quality.model_copy(update={"final_inspection_on_completion": False})
    direct = replace(rt, policy=rt.policy.model_copy(update={"quality": quality}))
    with api_for(direct) as api:
        order, top, _ = made_and_completed(direct, world, api)
        assert top["final_inspection"] is None and top["awaiting_inspection"] == "0"
        assert stock_of(api, "P1") == {
            "on_hand": "4",
            "reserved": "4",
            "available": "0",
            "awaiting_inspection": "0",
            "rejected": "0",
        }
        assert reserved_for(api, order) == "4"
        assert last_event(api, order) == "production_completed"
        assert ok(api.as_("quality", "GET", f"{QI_URL}?stage=final"))["items"] == []
    ledger_balances(rt)


def test_the_pages_lead_from_the_production_order_to_its_inspection_and_back(
    rt: Runtime, world: World, api: Api
) -> None:
    _, top, _ = made_and_completed(rt, world, api)
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as web:
        login(web, "production_manager")
        page = web.get(f"/production/orders/{top['id']}").text
        assert f'href="/quality/inspections/by-number/{top["final_inspection"]}"' in page
        assert "待检区 4 · 合格入库 0 · 不合格品区 0" in page
        login(web, "quality")
        found = web.get(f"/quality/inspections/by-number/{top['final_inspection']}")
        assert found.status_code == 303
        page = web.get(found.headers["location"]).text
        assert f'href="/production/orders/{top["id"]}"' in page


def failed_lot(rt: Runtime, world: World, api: Api, rejected: str) -> tuple[Any, Any]:
    """The order's 4 finished units inspected: ``rejected`` of them set aside in REJ."""
    order, top, _ = made_and_completed(rt, world, api)
    insp = inspection_of(api, top)
    ok(
        step(
            api,
            "quality",
            QI_URL,
            insp,
            "record",
            {
                "defective": 1,
                "rejected_quantity": rejected,
                "quality_standard_met": False,
                "shipping_standard_met": True,
                "findings": [{"defect": "appearance", "quantity": 1}],
            },
        )
    )
    return order, ok(api.as_("production", "GET", f"{MO_URL}/{top['id']}"))


def test_rejected_finished_goods_are_scrapped_or_accepted_by_the_quality_heads_concession(
    rt: Runtime, world: World, api: Api
) -> None:
    order, top = failed_lot(rt, world, api, rejected="2")
    assert (top["rejected_quantity"], reserved_for(api, order)) == ("2", "2")
    assert (
        "settle_rejects"
        in ok(api.as_("quality_manager", "GET", f"{MO_URL}/{top['id']}"))["allowed_transitions"]
    )
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as web:
        login(web, "quality_manager")
        page = web.get(f"/production/orders/{top['id']}").text
        assert 'id="step-settle_rejects"' in page and 'name="action"' in page

    # More than is held, or a concession by production, is refused and moves nothing.
    too_much = step(
        api, "quality_manager", MO_URL, top, "settle_rejects", {"action": "scrap", "quantity": "3"}
    )
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["code"] == "over_rejected"
    not_theirs = step(
        api, "production_manager", MO_URL, top, "settle_rejects", {"action": "concession"}
    )
    assert not_theirs.status_code == 403
    assert stock_of(api, "P1")["rejected"] == "2"

    # One is scrapped: gone from REJ and from on hand; nothing comes back to QC.
    top = ok(
        step(
            api, "production_manager", MO_URL, top, "settle_rejects",
            {"action": "scrap", "quantity": "1", "note": "外壳变形"},
        )
    )  # fmt: skip
    assert (top["rejected_quantity"], top["scrapped_quantity"], top["awaiting_inspection"]) == (
        "1",
        "1",
        "0",
    )
    assert stock_of(api, "P1") == {
        "on_hand": "2",
        "reserved": "2",
        "available": "0",
        "awaiting_inspection": "0",
        "rejected": "1",
    }
    # The other is accepted as it is by the quality head: into storage, held for the order.
    top = ok(step(api, "quality_manager", MO_URL, top, "settle_rejects", {"action": "concession"}))
    assert (top["accepted_quantity"], top["rejected_quantity"]) == ("3", "0")
    assert stock_of(api, "P1")["rejected"] == "0"
    assert reserved_for(api, order) == "3"
    assert "settle_rejects" not in top["allowed_transitions"]
    # With nothing held any more, the step is refused.
    again = step(api, "quality_manager", MO_URL, top, "settle_rejects", {"action": "scrap"})
    assert again.status_code == 409, again.text
    events = ok(api.as_("production", "GET", f"{MO_URL}/{top['id']}/events"))
    assert [e["payload"].get("action") for e in events[-2:]] == ["scrap", "concession"]
    ledger_balances(rt)


def test_the_instruction_closes_only_once_its_finished_goods_are_settled(
    rt: Runtime, world: World, api: Api
) -> None:
    pi_url = "/api/v1/production-instructions"
    _, top, _ = made_and_completed(rt, world, api)
    pi = ok(api.as_("production_manager", "GET", f"{pi_url}/{top['instruction_id']}"))
    pi = ok(step(api, "production_manager", pi_url, pi, "break_down"))
    waiting = step(api, "production_manager", pi_url, pi, "close")
    assert waiting.status_code == 409 and top["number"] in waiting.json()["detail"]
    ok(
        step(
            api,
            "quality",
            QI_URL,
            inspection_of(api, top),
            "record",
            {"defective": 0, "quality_standard_met": True, "shipping_standard_met": True},
        )
    )
    pi = ok(api.as_("production_manager", "GET", f"{pi_url}/{pi['id']}"))
    assert ok(step(api, "production_manager", pi_url, pi, "close"))["state"] == "completed"


def test_a_reworkable_defect_goes_to_the_operator_who_made_the_work(
    rt: Runtime, world: World, api: Api
) -> None:
    """J2: our own reworkable defect goes to the operator (20 min), not the role's queue:
    the one who reported the inspected operation, or the last one for a finished lot."""
    _, top, _ = made_and_completed(rt, world, api)
    operator = world["production"].id  # reported operations 10 and 20 of the order

    def rework_task(insp: dict[str, Any]) -> Any:
        return tasks_of(rt, "exception_slip", insp["exception_id"])["rework_finding"]

    # An in-process lot named by production order and operation, at the quality station.
    insp = ok(
        api.as_(
            "quality",
            "POST",
            QI_URL,
            json={
                "stage": "in_process",
                "product_code": "P1",
                "quantity": "4",
                "production_order": top["number"],
                "operation_seq": 20,
            },
        )
    )
    assert (insp["source_number"], insp["operation"]) == (top["number"], "20 装配")
    internal = [{"defect": "appearance", "category": "internal", "quantity": 1}]
    insp = ok(step(api, "quality", QI_URL, insp, "record", {"defective": 1, "findings": internal}))
    assert insp["routes"] == ["internal_rework"]
    task = rework_task(insp)
    assert (task.role, task.assignee_id, task.state) == ("production", operator, "open")
    mine = ok(api.as_("production", "GET", "/api/v1/tasks"))["items"]
    assert any(t["id"] == task.id for t in mine)

    # The finished lot's final inspection: the operator of the last operation.
    final = inspection_of(api, top)
    final = ok(
        step(
            api,
            "quality",
            QI_URL,
            final,
            "record",
            {
                "defective": 1,
                "rejected_quantity": "1",
                "quality_standard_met": True,
                "shipping_standard_met": True,
                "findings": internal,
            },
        )
    )
    assert rework_task(final).assignee_id == operator

    # Naming a production order that is not there, or for a final lot, is refused.
    def refused(body: dict[str, Any]) -> list[str]:
        answer = api.as_("quality", "POST", QI_URL, json=body)
        assert answer.status_code == 422, answer.text
        return [e["field"] for e in answer.json()["errors"]]

    lot = {"product_code": "P1", "quantity": "1"}
    assert refused({**lot, "stage": "in_process", "production_order": "MO-0000-000000"}) == [
        "production_order"
    ]
    assert refused({**lot, "stage": "final", "production_order": top["number"]}) == [
        "production_order"
    ]
    assert refused(
        {**lot, "stage": "in_process", "production_order": top["number"], "operation_seq": 99}
    ) == ["operation_seq"]
