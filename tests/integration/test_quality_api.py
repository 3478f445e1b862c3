"""Inspections at the quality station and the exception slips their findings raise (J1–J4)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from orderflow.core.clock import FrozenClock
from orderflow.core.events import verify_chains
from orderflow.core.sweeper import sweep
from orderflow.notify.models import Notification
from orderflow.parties.models import Customer
from orderflow.runtime import Runtime
from orderflow.sales.service import create_order, order_events
from tests.factories import PASSWORD, World, make_world, order_data
from tests.integration.api_client import Api, api_for
from tests.integration.test_pages import csrf
from tests.integration.test_procurement_api import ok, step, tasks_of


@pytest.fixture
def world(rt: Runtime) -> World:
    world = make_world(rt)
    with rt.db.transaction() as s:
        s.execute(
            update(Customer)
            .where(Customer.id == world.customer_id)
            .values(quality_standard="GB/T 3797-2016", shipping_standard="木箱包装，防潮")
        )
    return world


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def new_inspection(api: Api, **body: Any) -> dict[str, Any]:
    return ok(api.as_("quality", "POST", "/api/v1/inspections", json=body), 201)


def test_a_final_inspection_applies_the_customers_standards(
    rt: Runtime, world: World, api: Api
) -> None:
    order = create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))
    insp = new_inspection(
        api, stage="final", product_code="P1", quantity="2", sales_order_id=order.id
    )
    assert (insp["quality_standard"], insp["shipping_standard"]) == (
        "GB/T 3797-2016",
        "木箱包装，防潮",
    )
    unanswered = step(api, "quality", "inspections", insp, "record", defective=0)
    assert {e["field"] for e in unanswered.json()["errors"]} == {
        "quality_standard_met",
        "shipping_standard_met",
    }
    insp = ok(
        step(
            api,
            "quality",
            "inspections",
            insp,
            "record",
            defective=0,
            quality_standard_met=True,
            shipping_standard_met=False,
            findings=[{"defect": "packing", "note": "未用木箱"}],
        )
    )
    assert insp["state"] == "failed" and insp["routes"] == ["internal_rework"]
    assert order_events(rt, world["sales_clerk"], order.id)[-1].name == "final_inspection_failed"
    # After rework the lot is inspected again and passes; the order hears of it.
    insp = ok(step(api, "quality", "inspections", insp, "reinspect", note="改木箱"))
    insp = ok(
        step(
            api,
            "quality",
            "inspections",
            insp,
            "record",
            defective=0,
            quality_standard_met=True,
            shipping_standard_met=True,
        )
    )
    assert insp["state"] == "passed"
    assert order_events(rt, world["sales_clerk"], order.id)[-1].name == "final_inspection_passed"


def test_an_internal_finding_reaches_the_operator_in_20_minutes_and_their_leader_is_told(
    rt: Runtime, world: World, api: Api, clock: FrozenClock
) -> None:
    insp = new_inspection(
        api, stage="in_process", product_code="P2", quantity="30", operation="装配"
    )
    insp = ok(
        step(
            api,
            "quality",
            "inspections",
            insp,
            "record",
            defective=1,
            findings=[{"category": "internal", "defect": "workmanship", "severity": "minor"}],
        )
    )
    slip = ok(api.as_("production", "GET", f"/api/v1/exceptions/{insp['exception_id']}"))
    assert slip["owner_roles"] == ["production"]
    rework = tasks_of(rt, "exception_slip", slip["id"])["rework_finding"]
    assert (rework.role, rework.due_at - rework.opened_at) == ("production", timedelta(minutes=20))
    with rt.db.reading() as s:
        told = s.scalars(
            select(Notification.recipient_role).where(Notification.kind == "quality_finding")
        ).all()
    assert told == ["production_manager"]  # 通报该员工直接领导
    assert [
        s["number"]
        for s in api.as_("production", "GET", "/api/v1/exceptions?mine=true").json()["items"]
    ] == [slip["number"]]
    # Not reworked in time: overdue, then up the production chain.
    clock.advance(minutes=21)
    sweep(rt.db, rt.policy, now=rt.now())
    assert [
        s["number"]
        for s in api.as_("production", "GET", "/api/v1/exceptions?overdue=true").json()["items"]
    ] == [slip["number"]]


def test_another_companys_work_goes_to_the_head_for_30_minutes(
    rt: Runtime, world: World, api: Api
) -> None:
    insp = new_inspection(api, stage="in_process", product_code="P2", quantity="10")
    insp = ok(
        step(
            api,
            "quality",
            "inspections",
            insp,
            "record",
            defective=1,
            findings=[{"category": "other_company", "defect": "dimension"}],
        )
    )
    slip = ok(api.as_("quality_manager", "GET", f"/api/v1/exceptions/{insp['exception_id']}"))
    task = tasks_of(rt, "exception_slip", slip["id"])["coordinate_finding"]
    assert (task.role, task.due_at - task.opened_at) == ("quality_manager", timedelta(minutes=30))


def test_a_design_finding_goes_to_the_head_then_to_the_general_manager(
    rt: Runtime, world: World, api: Api
) -> None:
    insp = new_inspection(api, stage="in_process", product_code="P1", quantity="5")
    insp = ok(
        step(
            api,
            "quality",
            "inspections",
            insp,
            "record",
            defective=1,
            findings=[{"category": "design", "defect": "function", "note": "接线图有误"}],
        )
    )
    slip = ok(api.as_("quality_manager", "GET", f"/api/v1/exceptions/{insp['exception_id']}"))
    assert slip["routes"] == ["design"]
    assert step(api, "quality", "exceptions", slip, "escalate", reason="x").status_code == 403
    slip = ok(step(api, "quality_manager", "exceptions", slip, "escalate", reason="本部门无法判定"))
    tasks = tasks_of(rt, "exception_slip", slip["id"])
    assert tasks["coordinate_design_finding"].state == "done"
    assert tasks["decide_escalated"].role == "general_manager"
    slip = ok(
        step(
            api,
            "general_manager",
            "exceptions",
            slip,
            "decide",
            cause="图纸版本错误",
            decision="技术部出更改通知，返工",
            remedy="rework",
            liability="internal",
            cost="860.00",
        )
    )
    assert (slip["state"], slip["liability"], slip["cost"]["amount"]) == (
        "decided",
        "internal",
        "860.00",
    )


def test_an_exception_slip_is_decided_by_its_owner_and_closed(
    rt: Runtime, world: World, api: Api
) -> None:
    made = api.as_(
        "warehouse",
        "POST",
        "/api/v1/exceptions",
        json={"kind": "data_error", "description": "库存数据与实物不符", "source_number": "SC-1"},
        headers={"Idempotency-Key": "ex-1"},
    )
    slip = ok(made, 201)
    again = api.as_(
        "warehouse",
        "POST",
        "/api/v1/exceptions",
        json={"kind": "data_error", "description": "库存数据与实物不符", "source_number": "SC-1"},
        headers={"Idempotency-Key": "ex-1"},
    )
    assert again.json()["number"] == slip["number"]
    assert slip["owner_roles"] == ["order_manager"] and slip["routes"] == ["default"]
    bad = api.as_(
        "warehouse", "POST", "/api/v1/exceptions", json={"kind": "Data Error!", "description": ""}
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"kind", "description"}
    # Not the owner's role and not a head: refused.
    assert (
        step(
            api,
            "warehouse",
            "exceptions",
            slip,
            "decide",
            cause="c",
            decision="d",
            liability="internal",
        ).status_code
        == 403
    )
    wrong = step(
        api,
        "order_manager",
        "exceptions",
        slip,
        "decide",
        cause="c",
        decision="d",
        liability="nobody",
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "liability"
    slip = ok(
        step(
            api,
            "order_manager",
            "exceptions",
            slip,
            "decide",
            cause="录入错误",
            decision="重新盘点",
            liability="internal",
        )
    )
    assert tasks_of(rt, "exception_slip", slip["id"])["close_exception"].state == "open"
    slip = ok(step(api, "order_manager", "exceptions", slip, "close", closure="已盘点更正"))
    assert slip["state"] == "closed" and slip["closed_at"]
    counts = ok(api.as_("order_manager", "GET", "/api/v1/exceptions/counts"))
    assert counts["kinds"] == [
        {
            "kind": "data_error",
            "raised": 1,
            "open": 0,
            "decided": 0,
            "closed": 1,
            "cancelled": 0,
            "cost": {"amount": "0.00", "currency": "CNY"},
            "by_liability": {"internal": 1},
        }
    ]
    assert counts["classes"]["other"] == 1
    stats = ok(api.as_("quality_manager", "GET", "/api/v1/inspections/stats"))
    assert [s["stage"] for s in stats["stages"]] == ["incoming", "in_process", "final"]
    with rt.db.reading() as s:
        assert verify_chains(s)[1] == []


def test_a_supplier_late_slip_needs_one_of_the_remedies(
    rt: Runtime, world: World, api: Api
) -> None:
    from orderflow.core import ports
    from orderflow.core.events import SYSTEM

    with rt.db.transaction() as s:
        number = ports.raise_exception(
            s,
            rt,
            ports.ExceptionReport(
                company_id=world.company_id,
                kind="supplier_late",
                description="S1 晚 4 天",
                source_document_type="",
                source_document_id=0,
                source_number="PO-X",
            ),
            SYSTEM,
        )
    slip = ok(api.as_("procurement_manager", "GET", "/api/v1/exceptions?kind=supplier_late")).get(
        "items"
    )[0]
    assert slip["number"] == number
    slip = ok(api.as_("procurement_manager", "GET", f"/api/v1/exceptions/{slip['id']}"))
    none = step(
        api,
        "procurement_manager",
        "exceptions",
        slip,
        "decide",
        cause="c",
        decision="d",
        liability="supplier",
    )
    assert none.status_code == 422 and "borrow" in none.json()["errors"][0]["message"]
    slip = ok(
        step(
            api,
            "procurement_manager",
            "exceptions",
            slip,
            "decide",
            cause="原料短缺",
            decision="向姊妹公司借用 40",
            remedy="borrow",
            liability="supplier",
        )
    )
    assert slip["remedy"] == "borrow"


def test_a_stage_samples_at_its_own_inspection_level(rt: Runtime, world: World) -> None:
    """The policy's level for the final stage (III) draws a bigger sample than level II,
    and a reinspection keeps the level the lot was first sampled at."""
    quality = rt.policy.quality.model_copy(update={"stage_levels": {"final": "III"}})
    strict = replace(rt, policy=rt.policy.model_copy(update={"quality": quality}))
    with api_for(strict) as api:
        final = new_inspection(api, stage="final", product_code="P1", quantity="300")
        usual = new_inspection(api, stage="in_process", product_code="P1", quantity="300")
        assert (final["inspection_level"], final["sample_size"], final["accept_number"]) == (
            "III",
            80,
            5,
        )
        assert (usual["inspection_level"], usual["sample_size"], usual["accept_number"]) == (
            "II",
            50,
            3,
        )
        failed = ok(
            step(
                api,
                "quality",
                "inspections",
                final,
                "record",
                defective=6,  # Re 6 at level III's plan (n 80, Ac 5)
                findings=[{"category": "internal", "defect": "workmanship"}],
            )
        )
        assert failed["state"] == "failed"
    # The policy changed back: the lot's reinspection still samples at level III.
    with api_for(rt) as api:
        again = ok(step(api, "quality", "inspections", failed, "reinspect", note="返工后"))
        assert (again["inspection_level"], again["sample_size"]) == ("III", 80)
        form = {"username": "quality", "password": PASSWORD}
        form["csrf_token"] = csrf(api.client.get("/login").text)
        assert api.client.post("/login", data=form, follow_redirects=False).status_code == 303
        page = api.client.get(f"/quality/inspections/{again['id']}").text
        assert "检验水平 III" in page or "level III" in page
