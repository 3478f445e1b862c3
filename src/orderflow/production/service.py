"""Production use cases: release production for a sales order (E1, E2), read and step
instructions and production orders, report progress from the shop floor (E13), ask the
group GM to approve outsourcing (E9). Each is one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from orderflow.core.access import require
from orderflow.core.documents import DocumentMixin
from orderflow.core.errors import Conflict, FieldError, ValidationFailed
from orderflow.core.idempotency import once
from orderflow.core.kit import DocumentKind, actor_of, run_step
from orderflow.costing.models import CostBudget
from orderflow.planning.bom import Source, component_quantity
from orderflow.planning.snapshot import load_items, load_products
from orderflow.production import effects, order_effects
from orderflow.production.effects import WorkingTime
from orderflow.production.flow import (
    CANCELLED,
    COMPLETED,
    instruction_lifecycle,
    latest_confirmable,
    order_lifecycle,
    outsourcing_lifecycle,
)
from orderflow.production.models import (
    OutsourcingRequest,
    ProductionInstruction,
    ProductionOperation,
    ProductionOrder,
    ProgressReport,
    RoutingStep,
)
from orderflow.production.read import instruction_read, order_read, outsourcing_read
from orderflow.production.schemas import (
    InstructionRead,
    OutsourcingCreate,
    OutsourcingRead,
    ProductionOrderRead,
    ReleaseIn,
)
from orderflow.runtime import Principal, Runtime
from orderflow.sales.flow import CONFIRMED, PARTIALLY_SHIPPED
from orderflow.sales.models import SalesOrder
from orderflow.samples.models import TechPack


def _at(name: str) -> Callable[[DocumentMixin, datetime], datetime]:
    """A due-time resolver reading a time the document carries (set with the policy)."""

    def resolve(doc: DocumentMixin, now: datetime) -> datetime:
        return getattr(doc, name, None) or now

    return resolve


def _milestone(kind: str) -> Callable[[DocumentMixin, datetime], datetime]:
    def resolve(doc: DocumentMixin, now: datetime) -> datetime:
        found = doc.milestone(kind)  # type: ignore[attr-defined]
        return found.due_at if found else now

    return resolve


INSTRUCTION_LIFECYCLE = instruction_lifecycle(
    resolvers={
        "@breakdown_due": _at("breakdown_due_at"),
        "@packing_notice": _at("packing_notice_at"),
        "@follow_up": _at("follow_up_at"),
        "@readiness_check": _at("readiness_at"),
        **{
            f"@milestone_{kind}": _milestone(kind)
            for kind in (
                "design",
                "subcontracting",
                "purchasing",
                "assembly_start",
                "assembly_finish",
                "packing",
            )
        },
    }
)
ORDER_LIFECYCLE = order_lifecycle(resolvers={"@planned_finish": _at("planned_finish")})
OUTSOURCING_LIFECYCLE = outsourcing_lifecycle()

INSTRUCTIONS: DocumentKind[ProductionInstruction] = DocumentKind(
    model=ProductionInstruction,
    lifecycle=INSTRUCTION_LIFECYCLE,
    read_permission="production.read",
    effects={
        "break_down": effects.break_down,
        "record_meeting": effects.record_meeting,
        "object": effects.object_,
        "answer_objection": effects.answer_objection,
        "reprioritise": effects.reprioritise,
        "milestone_done": effects.milestone_done,
        "notify_packing": effects.notify_packing,
        "follow_up": effects.follow_up,
        "check_readiness": effects.check_readiness,
        "close": effects.close,
        "cancel": effects.cancel_instruction,
    },
    load_options=(
        selectinload(ProductionInstruction.milestones),
        selectinload(ProductionInstruction.orders).selectinload(ProductionOrder.operations),
    ),
)
ORDERS: DocumentKind[ProductionOrder] = DocumentKind(
    model=ProductionOrder,
    lifecycle=ORDER_LIFECYCLE,
    read_permission="production.read",
    effects={
        "report": order_effects.report,
        "complete": order_effects.complete,
        "issue_materials": order_effects.issue_materials,
        "inspected": order_effects.inspected,
        "settle_rejects": order_effects.settle_rejects,
    },
    load_options=(selectinload(ProductionOrder.operations),),
)
OUTSOURCING: DocumentKind[OutsourcingRequest] = DocumentKind(
    model=OutsourcingRequest,
    lifecycle=OUTSOURCING_LIFECYCLE,
    read_permission="production.read",
    effects={"approve": effects.approve_outsourcing},
)


def read_instruction(session: Session, pi: ProductionInstruction, me: Principal) -> InstructionRead:
    return instruction_read(session, pi, me, INSTRUCTION_LIFECYCLE)


def read_order(session: Session, mo: ProductionOrder, me: Principal) -> ProductionOrderRead:
    return order_read(session, mo, me, ORDER_LIFECYCLE)


def read_outsourcing(
    session: Session, request: OutsourcingRequest, me: Principal
) -> OutsourcingRead:
    return outsourcing_read(session, request, me, OUTSOURCING_LIFECYCLE)


# --- release (E1, E2) ---------------------------------------------------------------------


def release(
    rt: Runtime, me: Principal, data: ReleaseIn, *, idempotency_key: str | None = None
) -> InstructionRead:
    """Release production for a confirmed sales order: the production instruction, a
    production order per line to make and per sub-assembly, their operations from the
    routings, the breakdown task due in 24 h (sets) / 4 h; the order learns the fact."""
    require(me, "production.release")
    from orderflow.sales.service import ORDERS as SALES

    def create(s: Session) -> InstructionRead:
        order = SALES.load(s, me, data.sales_order_id)
        _check_releasable(s, rt, order)
        pi = _new_instruction(s, rt, me, order, data)
        made = _new_orders(s, rt, order, pi)
        actor = actor_of(me)
        INSTRUCTIONS.start(
            s, rt, pi, actor=actor, payload={"sales_order": order.number, "orders": len(made)}
        )
        if pi.non_regular:
            INSTRUCTIONS.fact(s, rt, pi, "needs_coordination", actor=actor)
        for mo, parent in made:  # parents first: a sub-assembly points at its started parent
            mo.instruction_id = pi.id
            mo.parent_id = parent.id if parent is not None else None
            ORDERS.start(
                s,
                rt,
                mo,
                actor=actor,
                payload={"product_id": mo.product_id, "quantity": str(mo.quantity)},
            )
        SALES.fact(
            s,
            rt,
            order,
            "production_released",
            actor=actor,
            payload={"instruction": pi.number, "production_orders": [mo.number for mo, _ in made]},
        )
        s.flush()
        s.expire(pi, ["orders", "milestones"])
        return read_instruction(s, pi, me)

    return once(
        rt,
        me,
        scope="production.release",
        body=data,
        key=idempotency_key,
        create=create,
        model=InstructionRead,
    )


def _check_releasable(s: Session, rt: Runtime, order: SalesOrder) -> None:
    if order.state not in (CONFIRMED, PARTIALLY_SHIPPED):
        raise Conflict(
            f"{order.number} is {order.state}; production is released for confirmed orders"
        )
    planning = rt.policy.planning
    if planning.release_needs_effective_order and order.effective_at is None:
        raise Conflict(
            f"{order.number} is not effective yet: production is released once the customer"
            " signed and the deposit is verified, or on a stock-up notice (D4, B9)",
            reason="order_not_effective",
        )
    active = s.scalar(
        select(ProductionInstruction.number).where(
            ProductionInstruction.sales_order_id == order.id,
            ProductionInstruction.state != CANCELLED,
        )
    )
    if active:
        raise Conflict(f"{order.number} already has production instruction {active}")
    if planning.release_needs_cost_budget and not s.scalar(
        select(func.count())
        .select_from(CostBudget)
        .where(CostBudget.sales_order_id == order.id, CostBudget.state == "approved")
    ):
        raise Conflict(
            f"{order.number} has no cost budget approved by the GM (D2); production waits for it",
            reason="cost_budget_not_approved",
        )
    if planning.release_needs_checked_tech_pack:
        states = set(s.scalars(select(TechPack.state).where(TechPack.sales_order_id == order.id)))
        if states and "checked" not in states:
            raise Conflict(
                f"{order.number}'s tech pack is not checked against the approved sample (E11)",
                reason="tech_pack_not_checked",
            )


def _new_instruction(
    s: Session, rt: Runtime, me: Principal, order: SalesOrder, data: ReleaseIn
) -> ProductionInstruction:
    deadline = rt.policy.deadline("breakdown_sets" if data.complete_set else "breakdown_other")
    due = order.promised_date or order.requested_date
    wt = WorkingTime(rt.policy, rt.today())
    return ProductionInstruction(
        company_id=order.company_id,
        number="",
        sales_order_id=order.id,
        sales_order_number=order.number,
        complete_set=data.complete_set,
        non_regular=data.non_regular,
        priority=order.priority,
        due_date=due,
        latest_date=latest_confirmable(due, rt.policy.thresholds.production_buffer_days, wt.days),
        confirmed_date=None,
        breakdown_due_at=rt.policy.business_calendar.due(rt.now(), deadline),
        released_by_id=me.id,
        note=data.note,
    )


def _new_orders(
    s: Session, rt: Runtime, order: SalesOrder, pi: ProductionInstruction
) -> list[tuple[ProductionOrder, ProductionOrder | None]]:
    """A production order per line whose product is made, and per made component below
    it, with quantities through the BOM (unit consumption × (1 + overage)); parents first."""
    products, rows = load_products(s, [order.company_id], order.company_id)
    items = load_items(s, [order.company_id], products, rows, rt.policy)
    routing: dict[int, list[RoutingStep]] = {}
    for step in s.scalars(
        select(RoutingStep)
        .where(RoutingStep.company_id == order.company_id)
        .order_by(RoutingStep.seq)
    ):
        routing.setdefault(step.product_id, []).append(step)
    wt = WorkingTime(rt.policy, rt.today())
    # Until the next plan: due at the end of the last day that keeps the buffer.
    finish_by = wt.end_of(
        latest_confirmable(pi.due_date, rt.policy.thresholds.production_buffer_days, wt.days)
    )
    made: list[tuple[ProductionOrder, ProductionOrder | None]] = []

    def make(
        product_id: int,
        quantity: Decimal,
        key: str,
        level: int,
        parent: ProductionOrder | None,
        line_id: int | None,
    ) -> None:
        mo = ProductionOrder(
            company_id=order.company_id,
            number="",
            sales_order_id=order.id,
            sales_order_line_id=line_id,
            job_key=key,
            level=level,
            product_id=product_id,
            quantity=quantity,
            priority=order.priority,
            due_date=pi.due_date,
            planned_finish=finish_by,
            late_days=0,
            limited_by="",
            output_quantity=Decimal(0),
            operations=[
                ProductionOperation(
                    seq=step.seq,
                    name=step.name,
                    work_centre_id=step.work_centre_id,
                    setup_minutes=step.setup_minutes,
                    run_minutes=step.run_minutes,
                    outsourced_days=0,
                    good_quantity=Decimal(0),
                    scrap_quantity=Decimal(0),
                )
                for step in routing.get(product_id, [])
            ],
        )
        made.append((mo, parent))
        for n, component in enumerate(items[product_id].components, start=1):
            child = items[component.product_id]
            if child.source is Source.MAKE:
                make(
                    child.product_id,
                    component_quantity(quantity, component, child),
                    f"{key}.{n}",
                    level + 1,
                    mo,
                    None,
                )

    for line in order.lines:
        wanted = line.quantity - line.shipped_quantity - line.reserved_quantity
        if wanted > 0 and items[line.product_id].source is Source.MAKE:
            make(line.product_id, wanted, f"{order.number}/{line.line_no}", 0, None, line.id)
    return made


# --- reading ------------------------------------------------------------------------------


def get_instruction(rt: Runtime, me: Principal, pi_id: int) -> InstructionRead:
    from orderflow.core.kit import get_document

    return get_document(rt, me, INSTRUCTIONS, pi_id, read_instruction)


def get_order(rt: Runtime, me: Principal, mo_id: int) -> ProductionOrderRead:
    from orderflow.core.kit import get_document

    return get_document(rt, me, ORDERS, mo_id, read_order)


def instruction_for_order(rt: Runtime, me: Principal, sales_order_id: int) -> int | None:
    require(me, "production.read")
    with rt.db.reading() as s:
        return s.scalar(
            select(ProductionInstruction.id)
            .where(
                ProductionInstruction.sales_order_id == sales_order_id,
                ProductionInstruction.company_id == me.company_id,
            )
            .order_by(ProductionInstruction.id.desc())
            .limit(1)
        )


def step_instruction(
    rt: Runtime,
    me: Principal,
    pi_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> InstructionRead:
    return run_step(
        rt,
        me,
        INSTRUCTIONS,
        pi_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_instruction,
    )


def step_order(
    rt: Runtime,
    me: Principal,
    mo_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> ProductionOrderRead:
    return run_step(
        rt, me, ORDERS, mo_id, name, fields, expected_version=expected_version, read=read_order
    )


def report_progress(
    rt: Runtime, me: Principal, mo_id: int, fields: Mapping[str, Any]
) -> ProductionOrderRead:
    """A shop-floor report: no version check, so people at different operations of one
    order do not refuse each other (the step still runs one at a time per order)."""
    return step_order(rt, me, mo_id, "report", fields, expected_version=None)


# --- outsourcing (E9) ---------------------------------------------------------------------


def request_outsourcing(
    rt: Runtime, me: Principal, data: OutsourcingCreate, *, idempotency_key: str | None = None
) -> OutsourcingRead:
    require(me, "production.outsource")

    def create(s: Session) -> OutsourcingRead:
        mo = ORDERS.load(s, me, data.production_order_id)
        if mo.state in (COMPLETED, CANCELLED):
            raise Conflict(f"{mo.number} is {mo.state}")
        op = next((op for op in mo.operations if op.seq == data.seq), None)
        if op is None:
            raise ValidationFailed.of(
                [FieldError("seq", f"No operation {data.seq} on {mo.number}", "unknown_operation")]
            )
        if s.scalar(
            select(OutsourcingRequest.number).where(
                OutsourcingRequest.operation_id == op.id,
                OutsourcingRequest.state.in_(["requested", "approved"]),
            )
        ):
            raise Conflict(f"Operation {op.seq} of {mo.number} is already asked for or outsourced")
        request = OutsourcingRequest(
            company_id=mo.company_id,
            number="",
            production_order_id=mo.id,
            operation_id=op.id,
            supplier=data.supplier,
            days=data.days,
            cost=data.cost,
            reason=data.reason,
            requested_by_id=me.id,
        )
        OUTSOURCING.start(
            s,
            rt,
            request,
            actor=actor_of(me),
            payload={"production_order": mo.number, "seq": op.seq},
        )
        return read_outsourcing(s, request, me)

    return once(
        rt,
        me,
        scope="production.outsource",
        body=data,
        key=idempotency_key,
        create=create,
        model=OutsourcingRead,
    )


def step_outsourcing(
    rt: Runtime,
    me: Principal,
    request_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> OutsourcingRead:
    return run_step(
        rt,
        me,
        OUTSOURCING,
        request_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_outsourcing,
    )


def operator_of(session: Session, production_order_id: int, seq: int | None) -> int | None:
    """Who made the work of an operation (its latest progress report), or of the order's
    last operation when ``seq`` is None (a finished lot): J2 sends a reworkable defect to
    that operator."""
    query = (
        select(ProgressReport.reported_by_id)
        .join(ProductionOperation, ProductionOperation.id == ProgressReport.operation_id)
        .where(
            ProgressReport.production_order_id == production_order_id,
            ProgressReport.reported_by_id.is_not(None),
        )
    )
    if seq is not None:
        query = query.where(ProductionOperation.seq == seq)
    found: int | None = session.scalar(
        query.order_by(ProductionOperation.seq.desc(), ProgressReport.id.desc()).limit(1)
    )
    return found
