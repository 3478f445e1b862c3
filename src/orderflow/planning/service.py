"""Planning use cases: make a plan (E7, E8, E12), store it, hand its suggestions to
procurement, and keep the production documents' planned dates in step with it.

A run reads a snapshot in one read transaction, computes outside any transaction (pure
engine), and writes the result in one transaction: the run is whole or absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import Conflict
from orderflow.core.kit import actor_of
from orderflow.core.tasks import move_due
from orderflow.db import table_of
from orderflow.planning import snapshot
from orderflow.planning.axis import moment_of
from orderflow.planning.engine import PlanResult, run_plan
from orderflow.planning.models import (
    MaterialRequirement,
    PlanLeftover,
    PlanLoad,
    PlannedJob,
    PlannedOperation,
    PlanRun,
    PlanSuggestion,
)
from orderflow.planning.schemas import PlanRunRead, ReleasedSuggestions
from orderflow.production.models import (
    ProductionInstruction,
    ProductionOperation,
    ProductionOrder,
    WorkCentre,
)
from orderflow.runtime import Principal, Runtime

TRANSFER, PURCHASE = "transfer", "purchase"


# --- reading runs -------------------------------------------------------------------------


def current_run(session: Session, company_id: int) -> PlanRun | None:
    """The newest plan of the company's group."""
    group_key, _ = snapshot.group_of(session, company_id)
    return session.scalar(
        select(PlanRun).where(PlanRun.group_key == group_key).order_by(PlanRun.id.desc()).limit(1)
    )


def run_read(session: Session, run: PlanRun) -> PlanRunRead:
    stats: Mapping[str, Any] = run.stats
    who = session.scalar(select(User.display_name).where(User.id == run.planned_by_id)) or ""
    return PlanRunRead(
        id=run.id,
        planned_at=run.planned_at,
        planned_by=who,
        origin=run.origin,
        method=run.method,
        solver_status=run.solver_status,
        orders=int(stats.get("orders", 0)),
        jobs=int(stats.get("jobs", 0)),
        operations=int(stats.get("operations", 0)),
        late_orders=int(stats.get("late_orders", 0)),
        blocked_jobs=int(stats.get("blocked_jobs", 0)),
        seconds={k: float(v) for k, v in dict(stats.get("seconds", {})).items()},
        warnings=list(run.warnings or []),
    )


def latest_run(rt: Runtime, me: Principal) -> PlanRunRead | None:
    require(me, "planning.read")
    with rt.db.reading() as s:
        run = current_run(s, me.company_id)
        return run_read(s, run) if run else None


# --- making a plan ------------------------------------------------------------------------


class _Codes:
    """Turns the engine's ids in "why" texts into codes people know (RAW, PRESS)."""

    def __init__(self, snap: snapshot.Snapshot, centres: Mapping[int, str]) -> None:
        self.products = snap.products.codes
        self.centres = centres

    def limit(self, text: str) -> str:
        if not text:
            return ""
        kind, _, rest = text.partition(":")
        if kind == "blocked":
            inner = self.limit(rest)
            if inner.startswith("missing:"):
                return inner
            return "waits:" + rest.removeprefix("waits for ")
        if kind == "material":
            pid, _, missing = rest.partition(":")
            code = self.products.get(int(pid), pid)
            return f"missing:{code}" if missing else f"material:{code}"
        if kind == "capacity":
            return f"capacity:{self.centres.get(int(rest), rest)}"
        return text


def run_planning(rt: Runtime, me: Principal) -> PlanRunRead:
    """Plan the whole group: explode, net, schedule; store the result as the current plan."""
    require(me, "planning.run")
    now = rt.now()
    with rt.db.reading() as s:
        snap = snapshot.load(s, company_id=me.company_id, policy=rt.policy, now=now)
        centres = {
            c.id: c.code
            for c in s.scalars(select(WorkCentre).where(WorkCentre.company_id.in_(snap.companies)))
        }
    result = run_plan(snap.data)
    # Warn about years the plan reaches that the holiday data does not cover yet.
    last = snap.data.today + timedelta(days=max([day for _, day in result.load] + [0]))
    snap.warnings = rt.policy.business_calendar.coverage_warnings(
        range(snap.data.today.year, last.year + 1)
    )
    with rt.db.transaction() as s:
        run = store(s, me, snap, result, centres, now=now)
        update_documents(s, snap, result, _Codes(snap, centres))
        return run_read(s, run)


def store(
    s: Session,
    me: Principal,
    snap: snapshot.Snapshot,
    result: PlanResult,
    centres: Mapping[int, str],
    *,
    now: datetime,
) -> PlanRun:
    data, products = snap.data, snap.products
    origin, zone = data.today, data.zone
    codes = _Codes(snap, centres)

    def at(minute: int | None) -> datetime | None:
        return None if minute is None else moment_of(minute, origin, zone)

    def local(company_id: int, product_id: int) -> int:
        return products.to_local(company_id, product_id) or product_id

    s.execute(update(PlanRun).where(PlanRun.group_key == snap.group_key).values(current=False))
    run = PlanRun(
        company_id=me.company_id,
        group_key=snap.group_key,
        companies=snap.companies,
        current=True,
        origin=origin,
        planned_at=now,
        planned_by_id=me.id,
        method=str(result.stats["method"]),
        solver_status=str(result.stats["solver"])[:120],
        stats=dict(result.stats),
        warnings=list(snap.warnings),
    )
    s.add(run)
    s.flush()
    lateness = result.order_lateness()
    jobs = []
    order_of: dict[str, int] = {}
    for plan in result.jobs:
        job = plan.job
        order_of[job.key] = job.order_id
        jobs.append(
            {
                "run_id": run.id,
                "job_key": job.key,
                "company_id": job.company_id,
                "sales_order_id": job.order_id,
                "production_order_id": snap.job_ids.get(job.key),
                "product_id": local(job.company_id, job.product_id),
                "quantity": job.quantity,
                "level": job.level,
                "parent_key": job.parent,
                "priority": job.priority,
                "start": at(plan.start),
                "finish": at(plan.finish),
                "target": plan.target,
                "late_days": plan.late_days,
                "limited_by": codes.limit(plan.limited_by)[:120],
                "material_ready": plan.material_ready,
            }
        )
    _insert(s, PlannedJob, jobs)
    _insert(
        s,
        PlannedOperation,
        (
            {
                "run_id": run.id,
                "job_key": p.job,
                "sales_order_id": order_of[p.job],
                "production_order_id": snap.job_ids.get(p.job),
                "seq": p.seq,
                "work_centre_id": p.work_centre_id,
                "unit": max(p.unit, 0),
                "start": at(p.start),
                "finish": at(p.end),
                "minutes": p.minutes,
                "late": lateness.get(order_of[p.job], 0) > 0,
            }
            for p in result.schedule.all_placements()
        ),
    )
    netting = result.netting
    _insert(
        s,
        MaterialRequirement,
        (
            {
                "run_id": run.id,
                "req_key": req.key,
                "job_key": req.job,
                "company_id": req.company_id,
                "sales_order_id": req.order_id,
                "product_id": local(req.company_id, req.product_id),
                "level": req.level,
                "quantity": req.quantity,
                "need_date": need,
                "ready_date": netting.ready.get(req.key),
                "allocations": [
                    {
                        "source": a.source,
                        "quantity": str(a.quantity),
                        "ready": a.ready.isoformat() if a.ready else None,
                        "company_id": a.company_id,
                        "reference": a.reference,
                    }
                    for a in netting.allocations.get(req.key, [])
                ],
            }
            for req, need in result.requirements
        ),
    )
    suggestions = [
        {
            "run_id": run.id,
            "kind": TRANSFER,
            "company_id": t.to_company_id,
            "from_company_id": t.from_company_id,
            "product_id": local(t.to_company_id, t.product_id),
            "quantity": t.quantity,
            "needed_by": t.needed_by,
            "sales_order_id": t.sales_order_id,
            "released_as": None,
            "released_at": None,
        }
        for t in netting.transfers
    ] + [
        {
            "run_id": run.id,
            "kind": PURCHASE,
            "company_id": p.company_id,
            "from_company_id": None,
            "product_id": local(p.company_id, p.product_id),
            "quantity": p.quantity,
            "needed_by": p.needed_by,
            "sales_order_id": p.sales_order_id,
            "released_as": None,
            "released_at": None,
        }
        for p in netting.purchases
    ]
    _insert(s, PlanSuggestion, suggestions)
    keys = set(result.capacity) | set(result.load)
    _insert(
        s,
        PlanLoad,
        [
            {
                "run_id": run.id,
                "work_centre_id": wc,
                "day": date.fromordinal(origin.toordinal() + day),
                "capacity_minutes": result.capacity.get((wc, day), 0),
                "load_minutes": result.load.get((wc, day), 0),
            }
            for wc, day in sorted(keys)
        ],
    )
    leftovers = [
        {
            "run_id": run.id,
            "company_id": company,
            "product_id": local(company, product),
            "quantity": qty,
            "available_on": None,
            "source": "stock",
            "reference": "",
            "sales_order_id": None,
        }
        for (company, product), qty in netting.stock_left.items()
        if products.to_local(company, product)
    ] + [
        {
            "run_id": run.id,
            "company_id": supply.company_id,
            "product_id": local(supply.company_id, supply.product_id),
            "quantity": qty,
            "available_on": supply.available_on,
            "source": supply.source[:20],
            "reference": supply.reference[:60],
            "sales_order_id": supply.sales_order_id,
        }
        for supply, qty in netting.supply_left
    ]
    _insert(s, PlanLeftover, leftovers)
    _prune(s, snap.group_key, keep=KEEP_RUNS)
    return run


#: Runs whose details (jobs, operations, requirements…) are kept; older runs keep only
#: their header (when, by whom, how it came out), so the tables do not grow without end.
KEEP_RUNS = 3


def _prune(s: Session, group_key: str, *, keep: int) -> None:
    old = (
        select(PlanRun.id)
        .where(PlanRun.group_key == group_key)
        .order_by(PlanRun.id.desc())
        .offset(keep)
    )
    ids = list(s.scalars(old))
    if not ids:
        return
    for model in (PlannedOperation, PlannedJob, MaterialRequirement, PlanLoad, PlanLeftover):
        s.execute(delete(model).where(model.run_id.in_(ids)))
    s.execute(
        delete(PlanSuggestion).where(
            PlanSuggestion.run_id.in_(ids), PlanSuggestion.released_as.is_(None)
        )
    )


def _insert(s: Session, model: Any, rows: Iterable[dict[str, Any]]) -> None:
    # Core inserts in batches from a generator: a 10,000-order plan writes a few hundred
    # thousand rows, and never holds them all in memory at once.
    it = iter(rows)
    while batch := list(islice(it, 5000)):
        s.execute(insert(table_of(model)), batch)


def update_documents(
    s: Session, snap: snapshot.Snapshot, result: PlanResult, codes: _Codes
) -> None:
    """Released production orders, their operations and instructions take the new plan's
    dates; the production order's finish task moves with its planned finish."""
    origin, zone = snap.data.today, snap.data.zone
    if not snap.job_ids:
        return
    mo_rows, op_rows = [], []
    by_instruction: dict[int, list[tuple[datetime | None, datetime | None, int, str, int]]] = {}
    level_of = {
        mo_id: (instruction_id, level)
        for mo_id, instruction_id, level in s.execute(
            select(ProductionOrder.id, ProductionOrder.instruction_id, ProductionOrder.level).where(
                ProductionOrder.id.in_(list(snap.job_ids.values()))
            )
        )
    }
    for plan in result.jobs:
        mo_id = snap.job_ids.get(plan.job.key)
        if mo_id is None:
            continue
        start = moment_of(plan.start, origin, zone) if plan.start is not None else None
        finish = moment_of(plan.finish, origin, zone) if plan.finish is not None else None
        limited = codes.limit(plan.limited_by)[:120]
        mo_rows.append(
            {
                "b_id": mo_id,
                "b_start": start,
                "b_finish": finish,
                "b_late": plan.late_days,
                "b_limit": limited,
            }
        )
        instruction_id, level = level_of[mo_id]
        by_instruction.setdefault(instruction_id, []).append(
            (start, finish, plan.late_days, limited, level)
        )
        for p in result.schedule.placements.get(plan.job.key, []):
            op_rows.append(
                {
                    "b_order": mo_id,
                    "b_seq": p.seq,
                    "b_start": moment_of(p.start, origin, zone),
                    "b_finish": moment_of(p.end, origin, zone),
                    "b_unit": p.unit if p.unit >= 0 else None,
                }
            )
        if finish is not None:
            move_due(
                s,
                document_type="production_order",
                document_id=mo_id,
                kinds=["finish_production_order"],
                due=finish,
            )
    mo = table_of(ProductionOrder)
    s.execute(
        update(mo)
        .where(mo.c.id == bindparam("b_id"))
        .values(
            planned_start=bindparam("b_start"),
            planned_finish=bindparam("b_finish"),
            late_days=bindparam("b_late"),
            limited_by=bindparam("b_limit"),
        ),
        mo_rows,
    )
    if op_rows:
        op = table_of(ProductionOperation)
        s.execute(
            update(op)
            .where(op.c.production_order_id == bindparam("b_order"), op.c.seq == bindparam("b_seq"))
            .values(
                planned_start=bindparam("b_start"),
                planned_finish=bindparam("b_finish"),
                planned_unit=bindparam("b_unit"),
            ),
            op_rows,
        )
    pi_rows = []
    for instruction_id, entries in by_instruction.items():
        starts = [e[0] for e in entries if e[0] is not None]
        finishes = [e[1] for e in entries if e[1] is not None]
        tops = [e for e in entries if e[4] == 0] or entries
        worst = max(tops, key=lambda e: e[2])
        pi_rows.append(
            {
                "b_id": instruction_id,
                "b_start": min(starts) if starts else None,
                "b_finish": max(finishes) if finishes else None,
                "b_late": worst[2],
                "b_limit": worst[3] if worst[2] else "",
            }
        )
    pi = table_of(ProductionInstruction)
    s.execute(
        update(pi)
        .where(pi.c.id == bindparam("b_id"))
        .values(
            planned_start=bindparam("b_start"),
            planned_finish=bindparam("b_finish"),
            late_days=bindparam("b_late"),
            limited_by=bindparam("b_limit"),
        ),
        pi_rows,
    )


# --- suggestions to procurement -----------------------------------------------------------


def release_suggestions(rt: Runtime, me: Principal) -> ReleasedSuggestions:
    """Hand the current plan's transfers (first) and purchases to procurement (E7 → H1).
    Without the procurement area installed the suggestions stay on the materials page."""
    require(me, "planning.release_suggestions")
    if not (ports.request_transfers.connected and ports.request_purchases.connected):
        raise Conflict(
            "Releasing suggestions needs the procurement area (transfer and purchase requests);"
            " it is not installed here",
            code_hint="procurement_not_installed",
        )
    with rt.db.transaction() as s:
        run = current_run(s, me.company_id)
        if run is None:
            raise Conflict("No plan yet: run the plan first")
        rows = s.scalars(
            select(PlanSuggestion)
            .where(PlanSuggestion.run_id == run.id, PlanSuggestion.released_as.is_(None))
            .order_by(PlanSuggestion.kind.desc(), PlanSuggestion.id)
        ).all()
        transfers = [r for r in rows if r.kind == TRANSFER]
        purchases = [r for r in rows if r.kind == PURCHASE]
        actor = actor_of(me)
        moved = (
            ports.request_transfers(
                s,
                rt,
                [
                    ports.TransferNeed(
                        r.from_company_id or r.company_id,
                        r.company_id,
                        r.product_id,
                        r.quantity,
                        r.needed_by,
                        r.sales_order_id,
                        f"plan {run.id}",
                    )
                    for r in transfers
                ],
                actor,
            )
            if transfers
            else []
        )
        bought = (
            ports.request_purchases(
                s,
                rt,
                [
                    ports.PurchaseNeed(
                        r.company_id,
                        r.product_id,
                        r.quantity,
                        r.needed_by,
                        r.sales_order_id,
                        f"plan {run.id}",
                    )
                    for r in purchases
                ],
                actor,
            )
            if purchases
            else []
        )
        now = rt.now()
        for rows_, numbers in ((transfers, moved), (purchases, bought)):
            for row, number in zip(rows_, _spread(numbers, len(rows_)), strict=True):
                row.released_as, row.released_at = number, now
        return ReleasedSuggestions(transfers=list(moved), purchases=list(bought))


def _spread(numbers: list[str], n: int) -> list[str]:
    """The numbers procurement gave back, one per suggestion (a requisition may gather
    several lines: its number then stands for each)."""
    if len(numbers) == n:
        return numbers
    return [", ".join(numbers)[:60]] * n
