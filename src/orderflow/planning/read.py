"""What the planning pages and the API show from the current plan: the board (a Gantt of
work centres with late orders marked), late orders with what holds them, and materials
(requirements and suggestions). Each caller sees their own company's part of the group
plan."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.org.models import Company
from orderflow.parties.models import Customer
from orderflow.planning.models import (
    MaterialRequirement,
    PlanLoad,
    PlannedJob,
    PlannedOperation,
    PlanSuggestion,
)
from orderflow.planning.schemas import (
    AllocationRead,
    BarRead,
    BoardRead,
    BoardRowRead,
    LateOrderRead,
    MaterialsRead,
    RequirementRead,
    SuggestionRead,
)
from orderflow.planning.service import current_run, run_read
from orderflow.production.models import ProductionOrder, WorkCentre
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder

PRIORITY_NAMES = {0: "urgent", 1: "special", 2: "normal"}


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def late_orders(
    session: Session, run_id: int, company_id: int, limit: int = 100
) -> list[LateOrderRead]:
    """Orders of the company that the plan finishes after their due date less the buffer."""
    rows = session.execute(
        select(
            PlannedJob.sales_order_id,
            func.max(PlannedJob.late_days),
            func.max(PlannedJob.finish),
            func.max(PlannedJob.production_order_id),
        )
        .where(
            PlannedJob.run_id == run_id,
            PlannedJob.company_id == company_id,
            PlannedJob.level == 0,
            PlannedJob.late_days > 0,
        )
        .group_by(PlannedJob.sales_order_id)
        .order_by(func.max(PlannedJob.late_days).desc(), PlannedJob.sales_order_id)
        .limit(limit)
    ).all()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    orders = {
        o.id: (o, name)
        for o, name in session.execute(
            select(SalesOrder, Customer.name)
            .join(Customer, Customer.id == SalesOrder.customer_id)
            .where(SalesOrder.id.in_(ids))
        )
    }
    why: dict[int, str] = {}
    for order_id, limited, late in session.execute(
        select(PlannedJob.sales_order_id, PlannedJob.limited_by, PlannedJob.late_days)
        .where(
            PlannedJob.run_id == run_id, PlannedJob.sales_order_id.in_(ids), PlannedJob.level == 0
        )
        .order_by(PlannedJob.late_days)
    ):
        if late:
            why[order_id] = limited
    out = []
    for order_id, late, finish, released in rows:
        order, customer = orders[order_id]
        out.append(
            LateOrderRead(
                sales_order_id=order_id,
                sales_order_number=order.number,
                customer_name=customer,
                priority=order.priority,
                due_date=order.promised_date or order.requested_date,
                finish=finish,
                late_days=late,
                limited_by=why.get(order_id, ""),
                released=released is not None,
            )
        )
    return out


def board(rt: Runtime, me: Principal, *, start: date | None = None, days: int = 14) -> BoardRead:
    """The planning board: one row per unit of each work centre, a bar per operation in
    the window; bars of late orders marked."""
    require(me, "planning.read")
    days = max(1, min(days, 92))
    zone = rt.policy.zone
    with rt.db.reading() as s:
        run = current_run(s, me.company_id)
        first = start or rt.today()
        window_start = datetime.combine(first, time(0), zone)
        window_end = window_start + timedelta(days=days)
        span = (window_end - window_start).total_seconds() / 60
        labels = [first + timedelta(days=i) for i in range(days)]
        centres = s.scalars(
            select(WorkCentre)
            .where(WorkCentre.company_id == me.company_id, WorkCentre.active)
            .order_by(WorkCentre.code)
        ).all()
        if run is None:
            return BoardRead(run=None, start=first, days=days, day_labels=labels, rows=[], late=[])
        ops = s.execute(
            select(
                PlannedOperation, PlannedJob.product_id, SalesOrder.number, ProductionOrder.number
            )
            .join(
                PlannedJob,
                and_(
                    PlannedJob.run_id == PlannedOperation.run_id,
                    PlannedJob.job_key == PlannedOperation.job_key,
                ),
            )
            .join(SalesOrder, SalesOrder.id == PlannedOperation.sales_order_id)
            .outerjoin(ProductionOrder, ProductionOrder.id == PlannedOperation.production_order_id)
            .where(
                PlannedOperation.run_id == run.id,
                PlannedOperation.work_centre_id.in_([c.id for c in centres]),
                PlannedOperation.start < window_end,
                PlannedOperation.finish > window_start,
            )
            .order_by(PlannedOperation.start)
        ).all()
        codes = dict(
            s.execute(
                select(Product.id, Product.code).where(Product.id.in_({row[1] for row in ops}))
            ).all()
        )
        loads = {
            wc: (cap or 0, load or 0)
            for wc, cap, load in s.execute(
                select(
                    PlanLoad.work_centre_id,
                    func.sum(PlanLoad.capacity_minutes),
                    func.sum(PlanLoad.load_minutes),
                )
                .where(
                    PlanLoad.run_id == run.id,
                    PlanLoad.day >= first,
                    PlanLoad.day < first + timedelta(days=days),
                )
                .group_by(PlanLoad.work_centre_id)
            )
        }
        bars: dict[tuple[int | None, int], list[BarRead]] = {}
        for op, product_id, so_number, mo_number in ops:
            begin = max(op.start, window_start)
            end = min(op.finish, window_end)
            bars.setdefault((op.work_centre_id, op.unit), []).append(
                BarRead(
                    job_key=op.job_key,
                    sales_order_id=op.sales_order_id,
                    sales_order_number=so_number,
                    production_order_id=op.production_order_id,
                    production_order_number=mo_number,
                    product_code=codes.get(product_id, ""),
                    seq=op.seq,
                    start=op.start,
                    finish=op.finish,
                    minutes=op.minutes,
                    late=op.late,
                    left=round((begin - window_start).total_seconds() / 60 / span * 100, 3),
                    width=round(max((end - begin).total_seconds() / 60 / span * 100, 0.2), 3),
                )
            )
        rows = []
        for c in centres:
            cap, load = loads.get(c.id, (0, 0))
            for unit in range(max(1, c.units)):
                rows.append(
                    BoardRowRead(
                        work_centre_id=c.id,
                        work_centre_code=c.code,
                        work_centre_name=c.name,
                        unit=unit,
                        load=round(load / cap, 3) if cap else 0.0,
                        bars=bars.get((c.id, unit), []),
                    )
                )
        return BoardRead(
            run=run_read(s, run),
            start=first,
            days=days,
            day_labels=labels,
            rows=rows,
            late=late_orders(s, run.id, me.company_id),
        )


def materials(
    rt: Runtime, me: Principal, *, order: str | None = None, limit: int = 300
) -> MaterialsRead:
    """Requirements of the company's orders (exploded, netted) and the suggestions."""
    require(me, "planning.read")
    with rt.db.reading() as s:
        run = current_run(s, me.company_id)
        connected = ports.request_purchases.connected, ports.request_transfers.connected
        if run is None:
            return MaterialsRead(
                run=None,
                requirements=[],
                suggestions=[],
                can_release_purchases=connected[0],
                can_release_transfers=connected[1],
            )
        query = (
            select(MaterialRequirement, SalesOrder.number, Product)
            .join(SalesOrder, SalesOrder.id == MaterialRequirement.sales_order_id)
            .join(Product, Product.id == MaterialRequirement.product_id)
            .where(
                MaterialRequirement.run_id == run.id,
                MaterialRequirement.company_id == me.company_id,
            )
        )
        if order:
            query = query.where(SalesOrder.number.ilike(f"%{order.strip()}%"))
        rows = s.execute(
            query.order_by(MaterialRequirement.need_date, MaterialRequirement.id).limit(limit)
        ).all()
        companies = dict(s.execute(select(Company.id, Company.code)).all())
        requirements = [
            RequirementRead(
                sales_order_id=req.sales_order_id,
                sales_order_number=number,
                job_key=req.job_key,
                level=req.level,
                product_code=p.code,
                product_name=p.name,
                unit=p.unit,
                quantity=_qty(req.quantity),
                need_date=req.need_date,
                ready_date=req.ready_date,
                allocations=[
                    AllocationRead(
                        source=a["source"],
                        quantity=a["quantity"],
                        ready=date.fromisoformat(a["ready"]) if a.get("ready") else None,
                        company_code=companies.get(a.get("company_id") or 0),
                        reference=a.get("reference") or "",
                    )
                    for a in req.allocations
                ],
            )
            for req, number, p in rows
        ]
        suggestions = [
            SuggestionRead(
                id=sg.id,
                kind=sg.kind,
                company_code=companies.get(sg.company_id, ""),
                from_company_code=companies.get(sg.from_company_id) if sg.from_company_id else None,
                product_code=p.code,
                product_name=p.name,
                unit=p.unit,
                quantity=_qty(sg.quantity),
                needed_by=sg.needed_by,
                sales_order_number=number,
                released_as=sg.released_as,
            )
            for sg, p, number in s.execute(
                select(PlanSuggestion, Product, SalesOrder.number)
                .join(Product, Product.id == PlanSuggestion.product_id)
                .outerjoin(SalesOrder, SalesOrder.id == PlanSuggestion.sales_order_id)
                .where(PlanSuggestion.run_id == run.id, PlanSuggestion.company_id == me.company_id)
                .order_by(PlanSuggestion.kind.desc(), PlanSuggestion.needed_by, PlanSuggestion.id)
                .limit(limit)
            )
        ]
        return MaterialsRead(
            run=run_read(s, run),
            requirements=requirements,
            suggestions=suggestions,
            can_release_purchases=connected[0],
            can_release_transfers=connected[1],
        )
