"""Read models of production: what the API answers and the pages show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from orderflow.api.schemas import Money
from orderflow.auth.models import User
from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.workflow import Lifecycle
from orderflow.parties.models import Customer
from orderflow.production.flow import CANCELLED, COMPLETED
from orderflow.production.models import (
    CoordinationMeeting,
    OutsourcingRequest,
    PlanObjection,
    ProductionInstruction,
    ProductionOperation,
    ProductionOrder,
    ProgressReport,
    WorkCentre,
)
from orderflow.production.schemas import (
    InstructionRead,
    InstructionSummary,
    MeetingRead,
    MilestoneRead,
    ObjectionRead,
    OperationRead,
    OrderSummaryRead,
    OutsourcingRead,
    ProductionOrderRead,
    ProductionOrderSummary,
    ReportRead,
)
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def minutes_of(op: ProductionOperation, quantity: Decimal) -> int:
    total = Decimal(op.setup_minutes) + op.run_minutes * quantity
    return int(total.to_integral_value(rounding=ROUND_CEILING))


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(wanted))).all()
    )


def instruction_read(
    session: Session, pi: ProductionInstruction, me: Principal, lifecycle: Lifecycle
) -> InstructionRead:
    session.flush()
    customer = session.scalar(
        select(Customer.name)
        .join(SalesOrder, SalesOrder.customer_id == Customer.id)
        .where(SalesOrder.id == pi.sales_order_id)
    )
    meetings = session.scalars(
        select(CoordinationMeeting)
        .where(CoordinationMeeting.instruction_id == pi.id)
        .order_by(CoordinationMeeting.id)
    ).all()
    objections = session.scalars(
        select(PlanObjection)
        .where(PlanObjection.instruction_id == pi.id)
        .order_by(PlanObjection.id)
    ).all()
    names = _names(session, {o.raised_by_id for o in objections})
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_({mo.product_id for mo in pi.orders}))
        )
    }
    return InstructionRead(
        id=pi.id,
        number=pi.number,
        state=pi.state,
        version=pi.version,
        sales_order_id=pi.sales_order_id,
        sales_order_number=pi.sales_order_number,
        customer_name=customer or "",
        complete_set=pi.complete_set,
        non_regular=pi.non_regular,
        priority=pi.priority,
        due_date=pi.due_date,
        confirmed_date=pi.confirmed_date,
        latest_confirmable=pi.latest_date,
        planned_start=pi.planned_start,
        planned_finish=pi.planned_finish,
        late_days=pi.late_days,
        limited_by=pi.limited_by,
        breakdown_due_at=pi.breakdown_due_at,
        note=pi.note,
        milestones=[
            MilestoneRead(kind=m.kind, role=m.role, due_at=m.due_at, done_at=m.done_at, note=m.note)
            for m in pi.milestones
        ],
        meetings=[
            MeetingRead(
                held_on=m.held_on,
                attendees=m.attendees,
                decisions=m.decisions,
                recorded_at=m.recorded_at,
            )
            for m in meetings
        ],
        objections=[
            ObjectionRead(
                id=o.id,
                milestone=o.milestone,
                proposed_at=o.proposed_at,
                reason=o.reason,
                raised_by=names.get(o.raised_by_id or 0, ""),
                raised_at=o.raised_at,
                accepted=o.accepted,
                answer=o.answer,
            )
            for o in objections
        ],
        orders=[
            OrderSummaryRead(
                id=mo.id,
                number=mo.number,
                state=mo.state,
                product_code=products[mo.product_id].code,
                product_name=products[mo.product_id].name,
                quantity=_qty(mo.quantity),
                level=mo.level,
                planned_start=mo.planned_start,
                planned_finish=mo.planned_finish,
                late_days=mo.late_days,
                limited_by=mo.limited_by,
            )
            for mo in pi.orders
        ],
        allowed_transitions=lifecycle.allowed(pi, me.roles),
    )


@dataclass(frozen=True)
class _OpView:
    op: ProductionOperation
    came_in: Decimal


def _open_quantities(quantity: Decimal, ops: Sequence[ProductionOperation]) -> list[_OpView]:
    out, came_in = [], quantity
    for op in sorted(ops, key=lambda o: o.seq):
        out.append(_OpView(op, came_in - op.good_quantity - op.scrap_quantity))
        came_in = op.good_quantity
    return out


def order_read(
    session: Session, mo: ProductionOrder, me: Principal, lifecycle: Lifecycle
) -> ProductionOrderRead:
    session.flush()
    product = session.get(Product, mo.product_id)
    assert product is not None
    pi_number = session.scalar(
        select(ProductionInstruction.number).where(ProductionInstruction.id == mo.instruction_id)
    )
    so_number = session.scalar(select(SalesOrder.number).where(SalesOrder.id == mo.sales_order_id))
    centres = dict(
        session.execute(
            select(WorkCentre.id, WorkCentre.code).where(
                WorkCentre.id.in_({op.work_centre_id for op in mo.operations})
            )
        ).all()
    )
    reports = session.execute(
        select(ProgressReport, ProductionOperation.seq)
        .join(ProductionOperation, ProductionOperation.id == ProgressReport.operation_id)
        .where(ProgressReport.production_order_id == mo.id)
        .order_by(ProgressReport.id)
    ).all()
    names = _names(session, {r.reported_by_id for r, _ in reports})
    return ProductionOrderRead(
        id=mo.id,
        number=mo.number,
        state=mo.state,
        version=mo.version,
        instruction_id=mo.instruction_id,
        instruction_number=pi_number or "",
        sales_order_id=mo.sales_order_id,
        sales_order_number=so_number or "",
        parent_id=mo.parent_id,
        product_id=product.id,
        product_code=product.code,
        product_name=product.name,
        unit=product.unit,
        quantity=_qty(mo.quantity),
        level=mo.level,
        priority=mo.priority,
        due_date=mo.due_date,
        planned_start=mo.planned_start,
        planned_finish=mo.planned_finish,
        late_days=mo.late_days,
        limited_by=mo.limited_by,
        output_quantity=_qty(mo.output_quantity),
        operations=[
            OperationRead(
                id=v.op.id,
                seq=v.op.seq,
                name=v.op.name,
                work_centre_id=v.op.work_centre_id,
                work_centre_code=centres.get(v.op.work_centre_id, ""),
                minutes=minutes_of(v.op, mo.quantity),
                outsourced_days=v.op.outsourced_days,
                planned_start=v.op.planned_start,
                planned_finish=v.op.planned_finish,
                good_quantity=_qty(v.op.good_quantity),
                scrap_quantity=_qty(v.op.scrap_quantity),
                open_quantity=_qty(max(v.came_in, Decimal(0))),
            )
            for v in _open_quantities(mo.quantity, mo.operations)
        ],
        reports=[
            ReportRead(
                seq=seq,
                good=_qty(r.good),
                scrap=_qty(r.scrap),
                note=r.note,
                reported_by=names.get(r.reported_by_id or 0, ""),
                reported_at=r.reported_at,
            )
            for r, seq in reports
        ],
        final_inspection=mo.final_inspection,
        awaiting_inspection=_qty(mo.awaiting_inspection),
        accepted_quantity=_qty(mo.accepted_quantity),
        rejected_quantity=_qty(mo.rejected_quantity),
        scrapped_quantity=_qty(mo.scrapped_quantity),
        materials_issued_at=mo.materials_issued_at,
        allowed_transitions=[
            name
            for name in lifecycle.allowed(mo, me.roles)
            # "inspected" is reported by the final inspection, never taken by hand;
            # settling rejects is offered only while some are held.
            if name != "inspected" and (name != "settle_rejects" or mo.rejected_quantity > 0)
        ],
    )


def outsourcing_read(
    session: Session, request: OutsourcingRequest, me: Principal, lifecycle: Lifecycle
) -> OutsourcingRead:
    session.flush()
    op = session.get(ProductionOperation, request.operation_id)
    mo_number = session.scalar(
        select(ProductionOrder.number).where(ProductionOrder.id == request.production_order_id)
    )
    assert op is not None
    return OutsourcingRead(
        id=request.id,
        number=request.number,
        state=request.state,
        version=request.version,
        production_order_id=request.production_order_id,
        production_order_number=mo_number or "",
        seq=op.seq,
        operation_name=op.name,
        supplier=request.supplier,
        days=request.days,
        cost=Money.of(request.cost),
        reason=request.reason,
        allowed_transitions=lifecycle.allowed(request, me.roles),
    )


# --- lists ----------------------------------------------------------------------------------


def list_instructions(
    rt: Runtime, me: Principal, *, state: str | None = None, late: bool = False, limit: int = 100
) -> list[InstructionSummary]:
    require(me, "production.read")
    query = (
        select(ProductionInstruction, Customer.name)
        .join(SalesOrder, SalesOrder.id == ProductionInstruction.sales_order_id)
        .join(Customer, Customer.id == SalesOrder.customer_id)
        .where(ProductionInstruction.company_id == me.company_id)
    )
    if state:
        query = query.where(ProductionInstruction.state == state)
    if late:
        query = query.where(ProductionInstruction.late_days > 0)
    with rt.db.reading() as s:
        return [
            InstructionSummary(
                id=pi.id,
                number=pi.number,
                state=pi.state,
                sales_order_number=pi.sales_order_number,
                customer_name=name,
                priority=pi.priority,
                due_date=pi.due_date,
                confirmed_date=pi.confirmed_date,
                planned_finish=pi.planned_finish,
                late_days=pi.late_days,
            )
            for pi, name in s.execute(
                query.order_by(ProductionInstruction.id.desc()).limit(min(limit, 500))
            )
        ]


def list_orders(
    rt: Runtime, me: Principal, *, state: str | None = None, q: str | None = None, limit: int = 200
) -> list[ProductionOrderSummary]:
    require(me, "production.read")
    query = (
        select(ProductionOrder, Product.code, SalesOrder.number)
        .join(Product, Product.id == ProductionOrder.product_id)
        .join(SalesOrder, SalesOrder.id == ProductionOrder.sales_order_id)
        .where(ProductionOrder.company_id == me.company_id)
    )
    if state:
        query = query.where(ProductionOrder.state == state)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(
            or_(
                ProductionOrder.number.ilike(like),
                SalesOrder.number.ilike(like),
                Product.code.ilike(like),
            )
        )
    with rt.db.reading() as s:
        return [
            ProductionOrderSummary(
                id=mo.id,
                number=mo.number,
                state=mo.state,
                sales_order_number=so,
                product_code=code,
                quantity=_qty(mo.quantity),
                level=mo.level,
                due_date=mo.due_date,
                planned_finish=mo.planned_finish,
                late_days=mo.late_days,
            )
            for mo, code, so in s.execute(
                query.order_by(ProductionOrder.id.desc()).limit(min(limit, 1000))
            )
        ]


@dataclass(frozen=True)
class FloorOperation:
    """One operation to work on, for the shop-floor page."""

    order_id: int
    order_number: str
    sales_order_number: str
    product_code: str
    product_name: str
    unit: str
    seq: int
    name: str
    work_centre_code: str
    planned_start: datetime | None
    planned_finish: datetime | None
    quantity: str
    good: str
    scrap: str
    open: str
    late: bool


def shop_floor(
    rt: Runtime,
    me: Principal,
    *,
    work_centre: str | None = None,
    day: date | None = None,
    days: int = 7,
) -> list[FloorOperation]:
    """Operations with work still open that the plan starts within ``days`` from ``day``
    (default today), or has not placed yet, per work centre, soonest first."""
    require(me, "production.read")
    day = day or rt.today()
    until = datetime.combine(day + timedelta(days=days), time(0), rt.policy.zone)
    query = (
        select(ProductionOperation, ProductionOrder, WorkCentre.code, Product, SalesOrder.number)
        .join(ProductionOrder, ProductionOrder.id == ProductionOperation.production_order_id)
        .join(WorkCentre, WorkCentre.id == ProductionOperation.work_centre_id)
        .join(Product, Product.id == ProductionOrder.product_id)
        .join(SalesOrder, SalesOrder.id == ProductionOrder.sales_order_id)
        .where(
            ProductionOrder.company_id == me.company_id,
            ProductionOrder.state.not_in([COMPLETED, CANCELLED]),
            or_(
                ProductionOperation.planned_start.is_(None),
                ProductionOperation.planned_start < until,
            ),
        )
        .order_by(
            WorkCentre.code,
            ProductionOperation.planned_start,
            ProductionOrder.id,
            ProductionOperation.seq,
        )
    )
    if work_centre:
        query = query.where(WorkCentre.code == work_centre)
    with rt.db.reading() as s:
        rows = s.execute(query).all()
        ops_by_order: dict[int, list[ProductionOperation]] = {}
        for op in s.scalars(
            select(ProductionOperation).where(
                ProductionOperation.production_order_id.in_({mo.id for _, mo, *_ in rows})
            )
        ):
            ops_by_order.setdefault(op.production_order_id, []).append(op)
    out = []
    for op, mo, centre, product, so_number in rows:
        views = {v.op.id: v for v in _open_quantities(mo.quantity, ops_by_order.get(mo.id, []))}
        left = views[op.id].came_in if op.id in views else Decimal(0)
        if left <= 0 or op.outsourced_days:
            continue
        out.append(
            FloorOperation(
                order_id=mo.id,
                order_number=mo.number,
                sales_order_number=so_number,
                product_code=product.code,
                product_name=product.name,
                unit=product.unit,
                seq=op.seq,
                name=op.name,
                work_centre_code=centre,
                planned_start=op.planned_start,
                planned_finish=op.planned_finish,
                quantity=_qty(mo.quantity),
                good=_qty(op.good_quantity),
                scrap=_qty(op.scrap_quantity),
                open=_qty(left),
                late=mo.late_days > 0,
            )
        )
    return out
