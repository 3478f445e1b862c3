"""What production steps do beyond their state change (E1–E5, E9, E13, F1, F5).

Effects run inside the step's transaction after every check passed; one that finds the
step impossible raises and the whole step rolls back. Facts for other documents (the
sales order learns its production was released, completed, or its date moved) are
recorded on them in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.errors import (
    Conflict,
    FieldError,
    FieldErrors,
    InsufficientStock,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)
from orderflow.core.tasks import move_due
from orderflow.core.workflow import StepContext, apply_transition, record_fact
from orderflow.i18n import t
from orderflow.inventory import service as stock
from orderflow.inventory.ledger import issue, locations_of, receive, relocate
from orderflow.inventory.models import Warehouse
from orderflow.inventory.warehouses import company_warehouse
from orderflow.notify.service import queue_staff
from orderflow.planning.axis import periods_from
from orderflow.planning.bom import round_up
from orderflow.planning.models import MaterialRequirement, PlanRun
from orderflow.planning.snapshot import Calendar, group_of
from orderflow.policy.loader import Policy
from orderflow.production.flow import (
    BROKEN_DOWN,
    CANCELLED,
    COMPLETED,
    CONCEDERS,
    MILESTONE_ROLES,
    AnswerFields,
    BreakDownFields,
    CompleteFields,
    FollowUpFields,
    InspectedFields,
    IssueMaterialsFields,
    MeetingFields,
    MilestoneDoneFields,
    ObjectFields,
    OpState,
    PlanTimes,
    ReadinessFields,
    ReasonFields,
    ReportFields,
    ReprioritiseFields,
    SettleRejectsFields,
    check_completion,
    check_confirmed_date,
    check_report,
    latest_confirmable,
    propose_milestones,
    put_away,
    settle_quantity,
)
from orderflow.production.models import (
    BomLine,
    CoordinationMeeting,
    Milestone,
    OutsourcingRequest,
    PlanObjection,
    ProductionInstruction,
    ProductionOperation,
    ProductionOrder,
    ProgressReport,
)
from orderflow.sales.models import SalesOrder, SalesOrderLine


def _pi(ctx: StepContext) -> ProductionInstruction:
    return cast(ProductionInstruction, ctx.doc)


class WorkingTime:
    """Working-day arithmetic for an instruction's dates, on the policy's calendar."""

    def __init__(self, policy: Policy, today: date) -> None:
        self.zone = policy.zone
        self.days = Calendar(policy.business_calendar, today - timedelta(days=30), days=500)
        periods = periods_from(policy.calendar.work_periods)
        self.first, self.last = periods[0][0], periods[-1][1]
        self.day_minutes = sum(b - a for a, b in periods)

    def end_of(self, day: date) -> datetime:
        return datetime.combine(day, time(self.last // 60, self.last % 60), self.zone)

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(self.first // 60, self.first % 60), self.zone)

    def days_before(self, moment: datetime, n: int) -> datetime:
        local = moment.astimezone(self.zone)
        day = local.date()
        while n > 0:
            day -= timedelta(days=1)
            if self.days(day):
                n -= 1
        return datetime.combine(day, local.timetz().replace(tzinfo=None), self.zone)


def _deadline_days(policy: Policy, name: str, default: int) -> int:
    """Whole working days of a policy deadline ("3wd"), or ``default`` when not set."""
    if name not in policy.deadlines:
        return default
    return policy.deadline(name).days or default


def _sales_order(session: Session, pi: ProductionInstruction) -> SalesOrder:
    order = session.get(SalesOrder, pi.sales_order_id)
    assert order is not None
    return order


def _tell_sales(ctx: StepContext, pi: ProductionInstruction, key: str, **params: object) -> None:
    """E5 / F4: a changed date goes back to sales (the order's handler, else the clerks)."""
    order = _sales_order(ctx.session, pi)
    queue_staff(
        ctx.session,
        company_id=pi.company_id,
        kind=key,
        role=None if order.handler_id else "sales_clerk",
        user_id=order.handler_id,
        subject=t(f"production.notice.{key}.subject", "zh-CN", number=order.number, **params),
        body=t(
            f"production.notice.{key}.body", "zh-CN", number=order.number, pi=pi.number, **params
        ),
        at=ctx.now,
        doc=order,
    )


def _order_fact(ctx: StepContext, order: SalesOrder, name: str, payload: dict[str, object]) -> None:
    from orderflow.sales.service import ORDERS

    record_fact(
        ctx.session,
        ORDERS.lifecycle,
        order,
        name,
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload=payload,
    )


# --- production instruction ---------------------------------------------------------------


def break_down(ctx: StepContext) -> None:
    """E1 + E2: confirm the date keeping the buffer, and break the order down into items
    with due times — from the plan where it has them, counted back from the date where not."""
    pi, fields = _pi(ctx), cast(BreakDownFields, ctx.fields)
    s = ctx.session
    if pi.non_regular and not s.scalar(
        select(func.count())
        .select_from(CoordinationMeeting)
        .where(CoordinationMeeting.instruction_id == pi.id)
    ):
        raise TransitionNotAllowed(
            f"{pi.number} is a non-regular order: record the coordination meeting first (E3)",
            transition="break_down",
        )
    today = ctx.now.astimezone(ctx.policy.zone).date()
    wt = WorkingTime(ctx.policy, today)
    latest = latest_confirmable(pi.due_date, ctx.policy.thresholds.production_buffer_days, wt.days)
    confirmed = fields.confirmed_date or latest
    check_confirmed_date(confirmed, latest, today)
    orders = list(pi.orders)
    tops = [mo for mo in orders if mo.level == 0]
    subs = [mo for mo in orders if mo.level > 0]
    finishes = [mo.planned_finish for mo in tops if mo.planned_finish]
    starts = [mo.planned_start for mo in tops if mo.planned_start]
    sub_finishes = [mo.planned_finish for mo in subs if mo.planned_finish]
    ready, buys = _materials(s, pi)
    proposal = propose_milestones(
        PlanTimes(
            start=min(starts) if starts else None,
            finish=max(finishes) if finishes else None,
            sub_finish=max(sub_finishes) if sub_finishes else None,
            materials_ready=wt.end_of(ready) if ready else None,
        ),
        confirmed_end=wt.end_of(confirmed),
        needs_design=pi.non_regular,
        has_subassemblies=bool(subs),
        buys_material=buys or not ready,
        day_before=lambda moment: wt.days_before(moment, 1),
    )
    for kind in fields.without:
        proposal.pop(kind, None)
    for override in fields.milestones:
        proposal[override.kind] = override.due_at
    roles = {
        rule.kind.removeprefix("milestone_"): rule.role
        for rule in ctx.policy.rules_for(pi.document_type)
    }
    pi.milestones = [
        Milestone(kind=kind, role=roles.get(kind, "production_manager"), due_at=due, note="")
        for kind, due in proposal.items()
    ]
    pi.confirmed_date = confirmed
    pi.broken_down_at = ctx.now
    if fields.note:
        pi.note = fields.note
    packing = proposal.get("packing") or wt.end_of(confirmed)
    ahead = _deadline_days(
        ctx.policy, "packing_notice_sets" if pi.complete_set else "packing_notice_other", 1
    )
    pi.packing_notice_at = max(ctx.now, wt.days_before(packing, ahead))
    pi.follow_up_at = max(
        ctx.now,
        wt.days_before(
            wt.start_of(confirmed), _deadline_days(ctx.policy, "follow_up_before_due", 2)
        ),
    )
    start = proposal.get("assembly_start") or wt.start_of(confirmed)
    pi.readiness_at = max(
        ctx.now, wt.days_before(start, _deadline_days(ctx.policy, "readiness_check_before_due", 1))
    )
    ctx.signals |= {f"milestone:{kind}" for kind in proposal}
    ctx.payload.update(
        confirmed_date=confirmed.isoformat(),
        milestones={kind: due.isoformat() for kind, due in proposal.items()},
    )


def _materials(s: Session, pi: ProductionInstruction) -> tuple[date | None, bool]:
    """When the current plan has this order's materials ready, and whether any are bought
    or transferred (the purchasing item of the breakdown)."""
    group_key, _ = group_of(s, pi.company_id)
    run_id = s.scalar(
        select(PlanRun.id)
        .where(PlanRun.group_key == group_key)
        .order_by(PlanRun.id.desc())
        .limit(1)
    )
    if run_id is None:
        return None, True
    ready: date | None = None
    buys = False
    for req in s.scalars(
        select(MaterialRequirement).where(
            MaterialRequirement.run_id == run_id,
            MaterialRequirement.sales_order_id == pi.sales_order_id,
        )
    ):
        if req.ready_date and (ready is None or req.ready_date > ready):
            ready = req.ready_date
        buys = buys or any(
            a["source"] in ("purchase", "transfer", "supply") for a in req.allocations
        )
    return ready, buys


def record_meeting(ctx: StepContext) -> None:
    pi, fields = _pi(ctx), cast(MeetingFields, ctx.fields)
    ctx.session.add(
        CoordinationMeeting(
            instruction_id=pi.id,
            held_on=fields.held_on,
            attendees=fields.attendees,
            decisions=fields.decisions,
            recorded_by_id=ctx.actor.id,
            recorded_at=ctx.now,
        )
    )
    ctx.next_state = pi.state


def object_(ctx: StepContext) -> None:
    """E4: a department objects to a planned time within 1 working day of the plan."""
    pi, fields = _pi(ctx), cast(ObjectFields, ctx.fields)
    assert pi.broken_down_at is not None
    window = ctx.policy.business_calendar.due(
        pi.broken_down_at, ctx.policy.deadline("planning_objection")
    )
    if ctx.now > window:
        raise TransitionNotAllowed(
            f"Objections to {pi.number} were due by {window.astimezone(ctx.policy.zone):%Y-%m-%d %H:%M} (E4)",
            transition="object",
        )
    if pi.milestone(fields.milestone) is None:
        raise ValidationFailed.of(
            [FieldError("milestone", "Not an item of this breakdown", "unknown_milestone")]
        )
    objection = PlanObjection(
        instruction_id=pi.id,
        milestone=fields.milestone,
        proposed_at=fields.proposed_at,
        reason=fields.reason,
        raised_by_id=ctx.actor.id,
        raised_at=ctx.now,
        accepted=None,
        answer="",
    )
    ctx.session.add(objection)
    ctx.session.flush()
    ctx.payload["objection"] = objection.id


def answer_objection(ctx: StepContext) -> None:
    pi, fields = _pi(ctx), cast(AnswerFields, ctx.fields)
    objection = ctx.session.get(PlanObjection, fields.objection_id)
    if objection is None or objection.instruction_id != pi.id or objection.accepted is not None:
        raise ValidationFailed.of(
            [FieldError("objection_id", "No open objection with this id", "unknown_objection")]
        )
    objection.accepted, objection.answer = fields.accept, fields.answer
    objection.answered_by_id, objection.answered_at = ctx.actor.id, ctx.now
    if fields.accept:
        new_due = fields.new_due_at or objection.proposed_at
        if new_due is None:
            raise ValidationFailed.of(
                [FieldError("new_due_at", "Give the item's new due time", "missing")]
            )
        milestone = pi.milestone(objection.milestone)
        assert milestone is not None
        milestone.due_at = new_due
        move_due(
            ctx.session,
            document_type=pi.document_type,
            document_id=pi.id,
            kinds=[f"milestone_{milestone.kind}"],
            due=new_due,
        )
        day = new_due.astimezone(ctx.policy.zone).date()
        if (
            milestone.kind in ("assembly_finish", "packing")
            and pi.confirmed_date
            and day > pi.confirmed_date
        ):
            _moved(ctx, pi, day)
    ctx.payload["objection"] = objection.id


def _moved(ctx: StepContext, pi: ProductionInstruction, confirmed: date) -> None:
    """The committed date moves: later than the buffer allows → the due date goes back to
    sales and the customer (E5, F4) as a fact on the order and a message to its handler."""
    old = pi.confirmed_date
    pi.confirmed_date = confirmed
    wt = WorkingTime(ctx.policy, confirmed)
    latest = latest_confirmable(pi.due_date, ctx.policy.thresholds.production_buffer_days, wt.days)
    ctx.payload["confirmed_date"] = confirmed.isoformat()
    if confirmed > latest:
        new_due = _after(wt, confirmed, ctx.policy.thresholds.production_buffer_days)
        order = _sales_order(ctx.session, pi)
        _order_fact(
            ctx,
            order,
            "production_due_changed",
            {
                "instruction": pi.number,
                "was": old.isoformat() if old else None,
                "new_due_date": new_due.isoformat(),
            },
        )
        _tell_sales(ctx, pi, "due_changed", new_date=new_due.isoformat())
        ctx.payload["new_due_date"] = new_due.isoformat()


def _after(wt: WorkingTime, day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        if wt.days(day):
            n -= 1
    return day


def reprioritise(ctx: StepContext) -> None:
    """E5: production and order management reprioritise; a later date goes back to sales."""
    pi, fields = _pi(ctx), cast(ReprioritiseFields, ctx.fields)
    pi.priority = fields.priority
    ctx.session.execute(
        update(ProductionOrder)
        .where(ProductionOrder.instruction_id == pi.id)
        .values(priority=fields.priority)
    )
    if fields.confirmed_date is not None and fields.confirmed_date != pi.confirmed_date:
        _moved(ctx, pi, fields.confirmed_date)
    ctx.payload["priority"] = fields.priority
    ctx.next_state = pi.state


def milestone_done(ctx: StepContext) -> None:
    pi, fields = _pi(ctx), cast(MilestoneDoneFields, ctx.fields)
    milestone = pi.milestone(fields.milestone)
    if milestone is None:
        raise ValidationFailed.of(
            [FieldError("milestone", "Not an item of this breakdown", "unknown_milestone")]
        )
    if not (ctx.roles & (MILESTONE_ROLES[milestone.kind] | {"admin"})):
        raise PermissionDenied(f"The {milestone.kind} item is not your department's to close")
    if milestone.done_at is not None:
        raise TransitionNotAllowed(f"{milestone.kind} is already done", transition="milestone_done")
    milestone.done_at, milestone.done_by_id, milestone.note = ctx.now, ctx.actor.id, fields.note
    ctx.signals.add(f"done:{milestone.kind}")
    ctx.payload["milestone"] = milestone.kind


def notify_packing(ctx: StepContext) -> None:
    """F5: the packing department is told 3 days (sets) / 1 day ahead."""
    pi = _pi(ctx)
    packing = pi.milestone("packing")
    when = (packing.due_at if packing else ctx.now).astimezone(ctx.policy.zone)
    queue_staff(
        ctx.session,
        company_id=pi.company_id,
        kind="packing_notice",
        role="warehouse",
        user_id=None,
        subject=t("production.notice.packing.subject", "zh-CN", number=pi.sales_order_number),
        body=t(
            "production.notice.packing.body",
            "zh-CN",
            number=pi.sales_order_number,
            pi=pi.number,
            when=f"{when:%Y-%m-%d %H:%M}",
        ),
        at=ctx.now,
        doc=pi,
    )


def follow_up(ctx: StepContext) -> None:
    """F1: order management checks progress 2–3 days before the date."""
    pi, fields = _pi(ctx), cast(FollowUpFields, ctx.fields)
    ctx.payload["on_track"] = fields.on_track
    if not fields.on_track:
        queue_staff(
            ctx.session,
            company_id=pi.company_id,
            kind="behind_plan",
            role="production_manager",
            user_id=None,
            subject=t("production.notice.behind.subject", "zh-CN", number=pi.sales_order_number),
            body=t(
                "production.notice.behind.body",
                "zh-CN",
                number=pi.sales_order_number,
                pi=pi.number,
                note=fields.note,
            ),
            at=ctx.now,
            doc=pi,
        )


def check_readiness(ctx: StepContext) -> None:
    """F1: production checks people, machines, materials, subcontracting, purchasing and
    design 1–2 days before the start; what is not ready goes to the planner."""
    pi, fields = _pi(ctx), cast(ReadinessFields, ctx.fields)
    missing = [
        name
        for name in ("people", "machines", "materials", "subcontracting", "purchasing", "design")
        if not getattr(fields, name)
    ]
    ctx.payload["not_ready"] = missing
    if missing:
        queue_staff(
            ctx.session,
            company_id=pi.company_id,
            kind="not_ready",
            role="planner",
            user_id=None,
            subject=t("production.notice.not_ready.subject", "zh-CN", number=pi.sales_order_number),
            body=t(
                "production.notice.not_ready.body",
                "zh-CN",
                number=pi.sales_order_number,
                pi=pi.number,
                what=", ".join(missing),
            ),
            at=ctx.now,
            doc=pi,
        )


def close(ctx: StepContext) -> None:
    pi = _pi(ctx)
    open_orders = [mo.number for mo in pi.orders if mo.state not in (COMPLETED, CANCELLED)]
    if open_orders:
        raise TransitionNotAllowed(
            f"{pi.number} still has open production orders: {', '.join(open_orders)}",
            transition="close",
        )
    # Finished goods still in QC or held in REJ are not settled: the order may lack them.
    unsettled = [
        mo.number for mo in pi.orders if mo.awaiting_inspection > 0 or mo.rejected_quantity > 0
    ]
    if unsettled:
        raise TransitionNotAllowed(
            f"{pi.number}: the output of {', '.join(unsettled)} still waits for its final "
            "inspection or holds rejected goods",
            transition="close",
        )


def cancel_instruction(ctx: StepContext) -> None:
    """Cancelling the instruction cancels its open production orders with the same reason."""
    from orderflow.production.service import ORDER_LIFECYCLE

    pi = _pi(ctx)
    reason = cast(ReasonFields, ctx.fields).reason
    for mo in pi.orders:
        if mo.state in (COMPLETED, CANCELLED):
            continue
        apply_transition(
            ctx.session,
            ORDER_LIFECYCLE,
            mo,
            "cancel",
            actor=ctx.actor,
            roles=ORDER_LIFECYCLE.transitions["cancel"].roles,
            fields={"reason": reason},
            now=ctx.now,
            policy=ctx.policy,
        )


# --- production order ---------------------------------------------------------------------


def _ops(mo: ProductionOrder) -> list[OpState]:
    return [OpState(op.seq, op.good_quantity, op.scrap_quantity) for op in mo.operations]


def report(ctx: StepContext) -> None:
    """E13: progress per operation, never more than reached it."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(ReportFields, ctx.fields)
    check_report(_ops(mo), mo.quantity, fields)
    op = next(op for op in mo.operations if op.seq == fields.seq)
    first = all(o.good_quantity + o.scrap_quantity == 0 for o in mo.operations)
    op.good_quantity += fields.good
    op.scrap_quantity += fields.scrap
    ctx.session.add(
        ProgressReport(
            production_order_id=mo.id,
            operation_id=op.id,
            good=fields.good,
            scrap=fields.scrap,
            note=fields.note,
            reported_by_id=ctx.actor.id,
            reported_at=ctx.now,
        )
    )
    ctx.payload.update(seq=op.seq, operation=op.name)
    if first and mo.level == 0:
        _assembly_started(ctx, mo)


def _assembly_started(ctx: StepContext, mo: ProductionOrder) -> None:
    """The first report on an order's own line marks the breakdown's assembly start done."""
    from orderflow.production.service import INSTRUCTION_LIFECYCLE

    pi = ctx.session.get(ProductionInstruction, mo.instruction_id)
    milestone = pi.milestone("assembly_start") if pi else None
    if pi is None or milestone is None or milestone.done_at is not None or pi.state != BROKEN_DOWN:
        return
    milestone.done_at, milestone.done_by_id, milestone.note = ctx.now, ctx.actor.id, mo.number
    record_fact(
        ctx.session,
        INSTRUCTION_LIFECYCLE,
        pi,
        "done:assembly_start",
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={"production_order": mo.number},
    )


def _warehouse(session: Session, company_id: int, code: str | None) -> Warehouse:
    """The company's warehouse named ``code``, else its first; refused on the field."""
    warehouse = company_warehouse(session, company_id, code)
    if warehouse is None:
        raise ValidationFailed.of(
            [FieldError("warehouse_code", "No such warehouse", "unknown_warehouse")]
        )
    return warehouse


def issue_materials(ctx: StepContext) -> None:
    """领料: the order's own materials — its product's bill of materials × the order
    quantity × (1 + overage), less the components its sub-orders make — leave the warehouse
    through the stock ledger, in product order; all of them or, refused, none."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(IssueMaterialsFields, ctx.fields)
    s = ctx.session
    warehouse = _warehouse(s, mo.company_id, fields.warehouse_code)
    made_below = set(
        s.scalars(select(ProductionOrder.product_id).where(ProductionOrder.parent_id == mo.id))
    )
    whole = set(ctx.policy.planning.whole_units)
    short = FieldErrors()
    issued: dict[str, str] = {}
    for line, component in s.execute(
        select(BomLine, Product)
        .join(Product, Product.id == BomLine.component_id)
        .where(BomLine.company_id == mo.company_id, BomLine.product_id == mo.product_id)
        .order_by(BomLine.component_id)
    ).all():
        if component.id in made_below:
            continue
        quantity = round_up(
            mo.quantity * line.quantity * (1 + line.overage), component.unit in whole
        )
        taken = issue(
            s,
            warehouse_id=warehouse.id,
            product_id=component.id,
            quantity=quantity,
            reason="production_issue",
            reference=mo.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        if taken is None:
            short.add(
                f"materials.{component.code}",
                f"Not {quantity.normalize():f} {component.unit} of {component.code} free in "
                f"{warehouse.code}",
                "insufficient_stock",
            )
        issued[component.code] = f"{quantity.normalize():f}"
    if short:
        raise InsufficientStock(f"{mo.number}: materials short", errors=short.items)
    mo.materials_issued_at = ctx.now
    ctx.payload.update(warehouse=warehouse.code, materials=issued)
    ctx.next_state = mo.state


def complete(ctx: StepContext) -> None:
    """E13: completion is reconciled with the reports. An order's own line goes into stock
    and the sales order learns its production is complete; with final inspection on
    completion (J1, I2) the goods wait in the QC area for it, else they are reserved now."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(CompleteFields, ctx.fields)
    check_completion(_ops(mo), fields.output_quantity)
    mo.output_quantity = fields.output_quantity
    ctx.payload["output"] = f"{fields.output_quantity.normalize():f}"
    if mo.level > 0:
        return  # a sub-assembly goes straight into its parent order (work in progress)
    s = ctx.session
    warehouse = _warehouse(s, mo.company_id, fields.warehouse_code)
    mo.output_warehouse_id = warehouse.id
    order = s.get(SalesOrder, mo.sales_order_id)
    inspect = order is not None and ctx.policy.quality.final_inspection_on_completion
    _receive(s, warehouse.id, mo, fields.output_quantity, ctx, location="QC" if inspect else "MAIN")
    if order is None:
        return
    completed: dict[str, object] = {
        "production_order": mo.number,
        "quantity": f"{fields.output_quantity.normalize():f}",
    }
    if inspect:
        mo.final_inspection = _request_final_inspection(ctx, mo)
        completed["final_inspection"] = ctx.payload["final_inspection"] = mo.final_inspection
    else:
        _reserve_for_line(ctx, mo, fields.output_quantity)
    _order_fact(ctx, order, "production_completed", completed)


def _request_final_inspection(ctx: StepContext, mo: ProductionOrder) -> str:
    """J1 + J4: quality inspects the lot against the customer's standards before shipping."""
    return cast(
        str,
        ports.request_inspection(
            ctx.session,
            ctx.runtime,
            ports.InspectionRequest(
                company_id=mo.company_id,
                stage="final",
                product_id=mo.product_id,
                quantity=mo.output_quantity,
                source_document_type=mo.document_type,
                source_document_id=mo.id,
                source_number=mo.number,
                sales_order_id=mo.sales_order_id,
                lot=mo.number,
            ),
            ctx.actor,
        ),
    )


def _reserve_for_line(ctx: StepContext, mo: ProductionOrder, quantity: Decimal) -> Decimal:
    """Hold finished goods in storage for the sales order line they were made for."""
    s = ctx.session
    line = s.get(SalesOrderLine, mo.sales_order_line_id) if mo.sales_order_line_id else None
    if line is None or line.unreserved <= 0:
        return Decimal(0)
    reserved, _ = stock.reserve(
        s,
        company_id=mo.company_id,
        wants=[stock.Want(line.id, line.product_id, min(line.unreserved, quantity))],
        at=ctx.now,
    )
    got = reserved.get(line.id, Decimal(0))
    line.reserved_quantity += got
    return got


def _receive(
    s: Session,
    warehouse_id: int,
    mo: ProductionOrder,
    quantity: Decimal,
    ctx: StepContext,
    *,
    location: str,
) -> None:
    """Finished goods into the warehouse (QC or its main location), through the ledger (I2)."""
    receive(
        s,
        warehouse_id=warehouse_id,
        product_id=mo.product_id,
        quantity=quantity,
        reason="production_output",
        at=ctx.now,
        reference=mo.number,
        actor_id=ctx.actor.id,
        location=location,
    )


def inspected(ctx: StepContext) -> None:
    """The final inspection's result (J1, I2): what passed goes into storage and is reserved
    for the order line; what failed is set aside in REJ for rework (its slip is quality's)."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(InspectedFields, ctx.fields)
    if mo.output_warehouse_id is None or mo.final_inspection != fields.inspection:
        raise TransitionNotAllowed(
            f"{mo.number}'s output does not wait for inspection {fields.inspection}",
            transition="inspected",
        )
    plan = put_away(
        waiting=mo.awaiting_inspection,
        held_rejected=mo.rejected_quantity,
        accepted=fields.accepted,
        rejected=fields.rejected,
    )
    locations = locations_of(ctx.session, mo.output_warehouse_id)
    for qty, source, target, reason in (
        (plan.qc_to_main, "QC", "MAIN", "inspection_accepted"),
        (plan.qc_to_rej, "QC", "REJ", "inspection_rejected"),
        (plan.rej_to_main, "REJ", "MAIN", "inspection_accepted"),
    ):
        if qty > 0 and (
            relocate(
                ctx.session,
                warehouse_id=mo.output_warehouse_id,
                product_id=mo.product_id,
                quantity=qty,
                from_location_id=locations[source].id,
                to_location_id=locations[target].id,
                reason=reason,
                reference=fields.inspection,
                at=ctx.now,
                actor_id=ctx.actor.id,
            )
            is None
        ):
            raise Conflict(f"The {source} area does not hold {qty.normalize():f} of {mo.number}")
    mo.accepted_quantity += fields.accepted
    mo.rejected_quantity += plan.qc_to_rej - plan.rej_to_main
    reserved = _reserve_for_line(ctx, mo, fields.accepted) if fields.accepted > 0 else Decimal(0)
    if fields.rejected > 0:
        ctx.signals.add("rejected")
    ctx.payload.update(
        inspection=fields.inspection,
        accepted=f"{fields.accepted.normalize():f}",
        rejected=f"{fields.rejected.normalize():f}",
        reserved=f"{reserved.normalize():f}",
    )


def settle_rejects(ctx: StepContext) -> None:
    """Finished goods held in REJ after failing final inspection are scrapped (报废) or, by
    the quality head's concession, accepted as they are (让步接收): into storage and reserved
    for the order like goods that passed. Reworked goods are inspected again instead."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(SettleRejectsFields, ctx.fields)
    quantity = settle_quantity(mo.rejected_quantity, fields.quantity)
    assert mo.output_warehouse_id is not None  # rejects are only held for a received output
    locations = locations_of(ctx.session, mo.output_warehouse_id)
    rej = locations["REJ"]
    if fields.action == "concession":
        if not ctx.roles & CONCEDERS:
            raise PermissionDenied("Accepting failed goods by concession is the quality head's")
        moved = relocate(
            ctx.session,
            warehouse_id=mo.output_warehouse_id,
            product_id=mo.product_id,
            quantity=quantity,
            from_location_id=rej.id,
            to_location_id=locations["MAIN"].id,
            reason="concession",
            reference=mo.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        mo.accepted_quantity += quantity
    else:
        moved = issue(
            ctx.session,
            warehouse_id=mo.output_warehouse_id,
            product_id=mo.product_id,
            quantity=quantity,
            location_id=rej.id,
            reason="scrap",
            reference=mo.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        mo.scrapped_quantity += quantity
    if moved is None:
        raise Conflict(f"The REJ area does not hold {quantity.normalize():f} of {mo.number}")
    mo.rejected_quantity -= quantity
    reserved = _reserve_for_line(ctx, mo, quantity) if fields.action == "concession" else Decimal(0)
    ctx.payload.update(
        action=fields.action,
        quantity=f"{quantity.normalize():f}",
        reserved=f"{reserved.normalize():f}",
        note=fields.note,
    )


# --- outsourcing --------------------------------------------------------------------------


def approve_outsourcing(ctx: StepContext) -> None:
    """E9: once the group GM approves, the operation is done outside: the plan gives it
    working days instead of a work centre's time."""
    request = cast(OutsourcingRequest, ctx.doc)
    op = ctx.session.get(ProductionOperation, request.operation_id)
    assert op is not None
    op.outsourced_days = request.days
    ctx.payload.update(seq=op.seq, days=request.days, supplier=request.supplier)
