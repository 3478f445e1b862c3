"""Coordination around production: outsourcing approved by the group GM (E9), customer
material driving the schedule (E12), sampling rounds and first-pass rate (E10), the tech
pack checked against the approved sample with an exception slip on a mismatch (E11), the
packing notice (F5), and plans with their achievement (E6)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from orderflow.core import ports
from orderflow.notify.models import Notification
from orderflow.planning.models import PlannedJob, PlannedOperation, PlanRun
from orderflow.production.models import BomLine
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_planning_api import approved_budget, confirmed_order, step
from tests.production_factories import Plant, make_plant


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt, stock={"P2": 50})


@pytest.fixture
def plant(rt: Runtime, world: World) -> Plant:
    return make_plant(rt, world, raw_stock=500)


@pytest.fixture
def api(rt: Runtime, world: World, plant: Plant) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def released(
    rt: Runtime, world: World, api: Api, **extra: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    order = confirmed_order(rt, world, api, **extra)
    approved_budget(api, order)
    pi = api.as_(
        "planner", "POST", "/api/v1/production-instructions", json={"sales_order_id": order["id"]}
    )
    assert pi.status_code == 201, pi.text
    return order, pi.json()


def test_outsourcing_needs_the_group_gm_and_then_takes_days_not_capacity(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    _, pi = released(rt, world, api)
    mo_id = pi["orders"][0]["id"]
    request = api.as_(
        "production_manager",
        "POST",
        "/api/v1/outsourcing-requests",
        json={
            "production_order_id": mo_id,
            "seq": 10,
            "supplier": "兄弟冲压厂",
            "days": 3,
            "reason": "冲压线满负荷",
        },
    )
    assert request.status_code == 201, request.text
    doc = request.json()
    # Only the group GM approves (E9): not the company's GM.
    assert (
        step(api, "general_manager", "/api/v1/outsourcing-requests", doc, "approve").status_code
        == 403
    )
    tasks = api.as_("group_general_manager", "GET", "/api/v1/tasks?assignee=me&state=open").json()[
        "items"
    ]
    assert [t["kind"] for t in tasks] == ["approve_outsourcing"]
    doc = step(api, "group_general_manager", "/api/v1/outsourcing-requests", doc, "approve").json()
    assert doc["state"] == "approved"
    for _ in range(4):  # older runs keep their header only
        assert api.as_("planner", "POST", "/api/v1/planning/runs").status_code == 201
    with rt.db.reading() as s:
        runs = s.scalars(select(PlannedJob.run_id).distinct()).all()
        assert len(runs) == 3 and len(s.scalars(select(PlanRun.id)).all()) == 4
        ops = {
            op.seq: op
            for op in s.scalars(
                select(PlannedOperation).where(PlannedOperation.production_order_id == mo_id)
            )
        }
    assert ops[10].work_centre_id is None and ops[10].minutes == 0  # outside, 3 working days
    assert (ops[10].finish - ops[10].start) >= timedelta(days=2)


def test_customer_material_without_a_date_blocks_and_its_promised_date_drives_the_start(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    with rt.db.transaction() as s:  # P1 also needs one customer-supplied label (客供)
        s.add(
            BomLine(
                company_id=world.company_id,
                product_id=world.products["P1"],
                line_no=3,
                component_id=plant.products["LABEL"],
                quantity=Decimal(1),
                overage=Decimal(0),
            )
        )
    order, _ = released(rt, world, api)
    api.as_("planner", "POST", "/api/v1/planning/runs")
    with rt.db.reading() as s:
        top = s.scalar(
            select(PlannedJob).where(
                PlannedJob.sales_order_id == order["id"], PlannedJob.level == 0
            )
        )
        assert top is not None and top.start is None and top.limited_by == "missing:LABEL"
    mats = api.as_("planner", "GET", "/api/v1/planning/materials").json()
    assert not [s for s in mats["suggestions"] if s["product_code"] == "LABEL"]  # never bought
    board = api.as_("planner", "GET", "/api/v1/planning/board").json()
    assert board["late"] == [] and board["run"]["blocked_jobs"] == 1

    arrives = rt.today() + timedelta(days=6)
    promised = ports.Supply(
        world.company_id,
        plant.products["LABEL"],
        Decimal(5),
        arrives,
        "customer_supplied",
        "客供-9",
        order["id"],
    )
    with ports.open_supply.use(lambda session, **_: [promised]):
        api.as_("planner", "POST", "/api/v1/planning/runs")
    with rt.db.reading() as s:
        top = s.scalar(
            select(PlannedJob)
            .where(PlannedJob.sales_order_id == order["id"], PlannedJob.level == 0)
            .order_by(PlannedJob.id.desc())
        )
        assert top is not None and top.material_ready == arrives and top.start is not None
        assert top.start.astimezone(rt.policy.zone).date() >= arrives


def test_sampling_rounds_first_pass_rate_and_tech_pack_mismatch(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    due = (rt.now() + timedelta(days=5)).isoformat()
    urls = "/api/v1/sample-requests"
    first = api.as_("sales_clerk", "POST", urls, json={"title": "夏季衬衫", "due_at": due}).json()
    second = api.as_("sales_clerk", "POST", urls, json={"title": "工装裤", "due_at": due}).json()
    for doc, rounds in ((first, 1), (second, 2)):
        doc = step(api, "technical", urls, doc, "start").json()
        for n in range(rounds):
            doc = step(
                api, "technical", urls, doc, "submit", {"standard_minutes": "裁剪 3; 缝制 12"}
            ).json()
            if n + 1 < rounds:
                doc = step(api, "sales_clerk", urls, doc, "reject", {"reason": "颜色偏差"}).json()
                assert doc["state"] == "making" and doc["round"] == n + 2
        doc = step(api, "sales_clerk", urls, doc, "approve").json()
        assert doc["state"] == "approved" and doc["first_pass"] is (rounds == 1)
    listing = api.as_("sales_clerk", "GET", urls).json()
    assert listing["approved"] == 2 and listing["first_pass_rate"] == 0.5

    order = confirmed_order(rt, world, api)
    packs = "/api/v1/tech-packs"
    pack = api.as_(
        "technical",
        "POST",
        packs,
        json={
            "sales_order_id": order["id"],
            "sample_request_id": first["id"],
            "fabric_width": "150cm",
            "pattern": "条纹",
        },
    ).json()
    # A tech pack on the order holds production until it matches the sample (E11).
    approved_budget(api, order)
    held = api.as_(
        "planner", "POST", "/api/v1/production-instructions", json={"sales_order_id": order["id"]}
    )
    assert held.status_code == 409 and held.json()["reason"] == "tech_pack_not_checked"
    # The warehouse's fabric is 145 cm: a mismatch raises an exception slip (quality's port).
    raised: list[ports.ExceptionReport] = []

    def slip(session: Any, rt_: Any, report: ports.ExceptionReport, actor: Any) -> str:
        raised.append(report)
        return "EX-2026-000001"

    with ports.raise_exception.use(slip):
        pack = step(
            api,
            "technical",
            packs,
            pack,
            "check",
            {
                "width_matches": False,
                "pattern_matches": True,
                "process_matches": True,
                "note": "实际门幅 145cm",
            },
        ).json()
    assert pack["state"] == "mismatch" and pack["exception_number"] == "EX-2026-000001"
    assert raised[0].kind == "tech_pack_mismatch" and raised[0].sales_order_id == order["id"]
    # Sales and purchasing both confirm the new requirement; then it is checked again.
    pack = step(api, "sales_clerk", packs, pack, "confirm_change", {"fabric_width": "145cm"}).json()
    assert pack["state"] == "mismatch"
    pack = step(api, "procurement", packs, pack, "confirm_change").json()
    assert pack["state"] == "draft" and pack["fabric_width"] == "145cm"
    pack = step(
        api,
        "technical",
        packs,
        pack,
        "check",
        {"width_matches": True, "pattern_matches": True, "process_matches": True},
    ).json()
    assert pack["state"] == "checked"
    assert (
        api.as_(
            "planner",
            "POST",
            "/api/v1/production-instructions",
            json={"sales_order_id": order["id"]},
        ).status_code
        == 201
    )


def test_a_mismatch_without_the_quality_area_tells_sales_and_purchasing(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    sample = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/sample-requests",
        json={"title": "样衣", "due_at": (rt.now() + timedelta(days=2)).isoformat()},
    ).json()
    for user, name in (("technical", "start"), ("technical", "submit"), ("sales_clerk", "approve")):
        sample = step(api, user, "/api/v1/sample-requests", sample, name).json()
    order = confirmed_order(rt, world, api)
    pack = api.as_(
        "technical",
        "POST",
        "/api/v1/tech-packs",
        json={"sales_order_id": order["id"], "sample_request_id": sample["id"]},
    ).json()
    with ports.raise_exception.use(None):  # type: ignore[arg-type]  # quality not installed
        pack = step(
            api,
            "technical",
            "/api/v1/tech-packs",
            pack,
            "check",
            {"width_matches": True, "pattern_matches": False, "process_matches": True},
        ).json()
    assert pack["state"] == "mismatch" and pack["exception_number"] is None
    with rt.db.reading() as s:
        roles = set(
            s.scalars(
                select(Notification.recipient_role).where(Notification.kind == "tech_pack_mismatch")
            )
        )
    assert roles == {"sales_clerk", "procurement"}


def test_packing_notice_and_plans_with_achievement(
    rt: Runtime, world: World, plant: Plant, api: Api
) -> None:
    _, pi = released(rt, world, api, days=8)
    # The solver is allowed on this small plan; the result obeys the same rules either way.
    solver_rt = replace(
        rt,
        policy=rt.policy.model_copy(
            update={
                "planning": rt.policy.planning.model_copy(
                    update={"solver": "cp_sat", "solver_time_limit_seconds": 2.0}
                )
            }
        ),
    )
    from orderflow.planning.service import run_planning

    run = run_planning(solver_rt, world["planner"])
    assert run.method in ("heuristic", "cp-sat") and run.solver_status
    url = "/api/v1/production-instructions"
    pi = api.as_("production_manager", "GET", f"{url}/{pi['id']}").json()
    pi = step(api, "production_manager", url, pi, "break_down").json()
    pi = step(api, "production_manager", url, pi, "notify_packing").json()
    with rt.db.reading() as s:
        note = s.scalar(select(Notification).where(Notification.kind == "packing_notice"))
        assert (
            note is not None
            and note.recipient_role == "warehouse"
            and pi["sales_order_number"] in note.subject
        )

    published = api.as_(
        "planner", "POST", "/api/v1/planning/plans", json={"kinds": ["daily", "weekly", "monthly"]}
    )
    assert published.status_code == 201, published.text
    plans = published.json()
    kinds = sorted({p["kind"] for p in plans["plans"]})
    assert kinds == ["daily", "monthly", "weekly"] and plans["targets"] == {
        "daily": 0.98,
        "weekly": 0.95,
        "monthly": 0.85,
    }
    assert len([p for p in plans["plans"] if p["kind"] == "daily"]) == 3  # rolling 3 days
    monthly = next(p for p in plans["plans"] if p["kind"] == "monthly")
    lines = {line["product_code"]: line for line in monthly["lines"]}
    assert (
        lines["P1"]["planned"] == "5" and monthly["achievement"] == 0.0 and monthly["met"] is False
    )
    # Work is reported: the last operation passes 5 good → the month's plan is met for P1.
    mo = api.as_(
        "production", "GET", f"/api/v1/production-orders/{lines['P1']['production_order_id']}"
    ).json()
    mo = step(
        api, "production", "/api/v1/production-orders", mo, "report", {"seq": 10, "good": "5"}
    ).json()
    step(api, "production", "/api/v1/production-orders", mo, "report", {"seq": 20, "good": "5"})
    monthly = next(
        p
        for p in api.as_("planner", "GET", "/api/v1/planning/plans").json()["plans"]
        if p["kind"] == "monthly"
    )
    assert (
        next(line for line in monthly["lines"] if line["product_code"] == "P1")["finished"] == "5"
    )
    assert monthly["achievement"] == pytest.approx(5 / float(monthly["planned"]))
    # Publishing again keeps today's daily plan as issued (it is what today is measured on).
    again = api.as_("planner", "POST", "/api/v1/planning/plans", json={"kinds": ["daily"]}).json()
    today_plans = [
        p
        for p in again["plans"]
        if p["kind"] == "daily" and p["period_start"] == rt.today().isoformat()
    ]
    assert len(today_plans) == 1
