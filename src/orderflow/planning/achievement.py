"""Production plans and their achievement (E6, §计划 4.3): publish the monthly, weekly and
rolling 3-day daily plans from the current plan, and measure what was finished against
them (daily 98 %, weekly 95 %, monthly 85 % by default).

A plan line is a released production order the plan finishes in the period, with the
quantity still to make; *finished* is the good quantity reported at its last operation
from the plan's issue (or the period's start, if earlier) to the period's end, so work
done ahead of its day counts for the plan it was planned in. A daily plan already under way (today's) is not replaced by a
republish: it is what today is measured against.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, ValidationFailed
from orderflow.planning.models import PlannedJob, ProductionPlan, ProductionPlanLine
from orderflow.planning.plans import PlanKind, achievement, period_of, rolling_days
from orderflow.planning.schemas import PlanLineRead, PlansRead, ProductionPlanRead
from orderflow.planning.service import current_run
from orderflow.planning.snapshot import Calendar
from orderflow.production.flow import CANCELLED, COMPLETED
from orderflow.production.models import ProductionOperation, ProductionOrder, ProgressReport
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder

ZERO = Decimal(0)


def targets(rt: Runtime) -> dict[str, Decimal]:
    th = rt.policy.thresholds
    return {
        PlanKind.DAILY: th.plan_achievement_daily,
        PlanKind.WEEKLY: th.plan_achievement_weekly,
        PlanKind.MONTHLY: th.plan_achievement_monthly,
    }


def _bounds(rt: Runtime, first: date, last: date) -> tuple[datetime, datetime]:
    zone = rt.policy.zone
    return datetime.combine(first, time(0), zone), datetime.combine(
        last + timedelta(days=1), time(0), zone
    )


def publish(rt: Runtime, me: Principal, kinds: Iterable[str]) -> PlansRead:
    """Publish the plans of ``kinds`` for the current periods from the current plan."""
    require(me, "planning.run")
    kinds = list(kinds)
    bad = [k for k in kinds if k not in set(PlanKind)]
    if bad or not kinds:
        raise ValidationFailed.of(
            [FieldError("kinds", "Use monthly, weekly and/or daily", "invalid")]
        )
    today = rt.today()
    now = rt.now()
    with rt.db.transaction() as s:
        run = current_run(s, me.company_id)
        if run is None:
            raise Conflict("No plan yet: run the plan first")
        periods: list[tuple[str, date, date]] = []
        for kind in kinds:
            if kind == PlanKind.DAILY:
                calendar = Calendar(rt.policy.business_calendar, today, days=30)
                periods += [(kind, d, d) for d in rolling_days(today, calendar, 3)]
            else:
                periods.append((kind, *period_of(kind, today)))
        for kind, first, last in periods:
            current = s.scalar(
                select(ProductionPlan).where(
                    ProductionPlan.company_id == me.company_id,
                    ProductionPlan.kind == kind,
                    ProductionPlan.period_start == first,
                    ProductionPlan.superseded.is_(False),
                )
            )
            if current is not None and kind == PlanKind.DAILY and first <= today:
                continue  # today's daily plan is under way: measure against it as issued
            if current is not None:
                current.superseded = True
            _publish_one(s, rt, me, run.id, kind, first, last, now)
    return plans(rt, me)


def _publish_one(
    s: Session,
    rt: Runtime,
    me: Principal,
    run_id: int,
    kind: str,
    first: date,
    last: date,
    now: datetime,
) -> None:
    start, end = _bounds(rt, first, last)
    plan = ProductionPlan(
        company_id=me.company_id,
        kind=kind,
        period_start=first,
        period_end=last,
        run_id=run_id,
        published_at=now,
        published_by_id=me.id,
        superseded=False,
    )
    s.add(plan)
    s.flush()
    jobs = s.execute(
        select(PlannedJob.production_order_id, ProductionOrder.product_id, ProductionOrder.quantity)
        .join(ProductionOrder, ProductionOrder.id == PlannedJob.production_order_id)
        .where(
            PlannedJob.run_id == run_id,
            PlannedJob.company_id == me.company_id,
            PlannedJob.finish >= start,
            PlannedJob.finish < end,
            ProductionOrder.state.not_in([COMPLETED, CANCELLED]),
        )
    ).all()
    done = _finished(s, [j[0] for j in jobs if j[0] is not None], None, start)
    for mo_id, product_id, quantity in jobs:
        if mo_id is None:
            continue
        left = quantity - done.get(mo_id, ZERO)
        if left > 0:
            s.add(
                ProductionPlanLine(
                    plan_id=plan.id, production_order_id=mo_id, product_id=product_id, quantity=left
                )
            )


def _finished(
    s: Session, order_ids: list[int], since: datetime | None, until: datetime
) -> dict[int, Decimal]:
    """Good quantity reported at each order's last operation in [since, until)."""
    if not order_ids:
        return {}
    last_seq = (
        select(
            ProductionOperation.production_order_id, func.max(ProductionOperation.seq).label("seq")
        )
        .where(ProductionOperation.production_order_id.in_(order_ids))
        .group_by(ProductionOperation.production_order_id)
        .subquery()
    )
    query = (
        select(ProgressReport.production_order_id, func.sum(ProgressReport.good))
        .join(ProductionOperation, ProductionOperation.id == ProgressReport.operation_id)
        .join(
            last_seq,
            (last_seq.c.production_order_id == ProductionOperation.production_order_id)
            & (last_seq.c.seq == ProductionOperation.seq),
        )
        .where(ProgressReport.reported_at < until)
        .group_by(ProgressReport.production_order_id)
    )
    if since is not None:
        query = query.where(ProgressReport.reported_at >= since)
    return {mo: Decimal(q or 0) for mo, q in s.execute(query)}


def plans(rt: Runtime, me: Principal, *, around: date | None = None) -> PlansRead:
    """The plans in force around a day (default today): this month, this week, and the
    daily plans of the past week and the next three working days, with achievement."""
    require(me, "planning.read")
    day = around or rt.today()
    goal = targets(rt)
    with rt.db.reading() as s:
        rows = s.scalars(
            select(ProductionPlan)
            .where(
                ProductionPlan.company_id == me.company_id,
                ProductionPlan.superseded.is_(False),
                ProductionPlan.period_end >= day - timedelta(days=7),
                ProductionPlan.period_start <= day + timedelta(days=7),
            )
            .order_by(ProductionPlan.kind.desc(), ProductionPlan.period_start)
        ).all()
        out = [_plan_read(s, rt, plan, goal[plan.kind]) for plan in rows]
    return PlansRead(plans=out, targets={k: float(v) for k, v in goal.items()})


def _plan_read(
    s: Session, rt: Runtime, plan: ProductionPlan, target: Decimal
) -> ProductionPlanRead:
    lines = s.execute(
        select(ProductionPlanLine, ProductionOrder.number, SalesOrder.number, Product.code)
        .join(ProductionOrder, ProductionOrder.id == ProductionPlanLine.production_order_id)
        .join(SalesOrder, SalesOrder.id == ProductionOrder.sales_order_id)
        .join(Product, Product.id == ProductionPlanLine.product_id)
        .where(ProductionPlanLine.plan_id == plan.id)
        .order_by(ProductionPlanLine.id)
    ).all()
    start, end = _bounds(rt, plan.period_start, plan.period_end)
    # Work finished after the plan was issued counts, even ahead of its day.
    since = min(start, plan.published_at)
    finished = _finished(s, [line.production_order_id for line, *_ in lines], since, end)
    planned = {line.production_order_id: line.quantity for line, *_ in lines}
    ratio = achievement(planned, finished)
    total_planned = sum(planned.values(), ZERO)
    total_finished = sum((min(finished.get(k, ZERO), q) for k, q in planned.items()), ZERO)
    return ProductionPlanRead(
        id=plan.id,
        kind=plan.kind,
        period_start=plan.period_start,
        period_end=plan.period_end,
        published_at=plan.published_at,
        lines=[
            PlanLineRead(
                production_order_id=line.production_order_id,
                production_order_number=mo_number,
                sales_order_number=so_number,
                product_code=code,
                planned=f"{line.quantity.normalize():f}",
                finished=f"{finished.get(line.production_order_id, ZERO).normalize():f}",
            )
            for line, mo_number, so_number, code in lines
        ],
        planned=f"{total_planned.normalize():f}",
        finished=f"{total_finished.normalize():f}",
        achievement=float(ratio) if ratio is not None else None,
        target=float(target),
        met=None if ratio is None else ratio >= target,
    )
