"""What production steps do beyond their state change (E1–E5, E9, E13, F1, F5).

Effects run inside the step's transaction after every check passed; one that finds the
step impossible raises and the whole step rolls back. Facts for other documents (the
sales order learns its production was released, completed, or its date moved) are
recorded on them in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from orderflow.core.errors import (
    FieldError,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)
from orderflow.core.tasks import move_due
from orderflow.core.workflow import StepContext, apply_transition, record_fact
from orderflow.i18n import t
from orderflow.notify.service import queue_staff
from orderflow.planning.axis import periods_from
from orderflow.planning.models import MaterialRequirement, PlanRun
from orderflow.planning.snapshot import Calendar, group_of
from orderflow.policy.loader import Policy
from orderflow.production.flow import (
    CANCELLED,
    COMPLETED,
    MILESTONE_ROLES,
    AnswerFields,
    BreakDownFields,
    FollowUpFields,
    MeetingFields,
    MilestoneDoneFields,
    ObjectFields,
    PlanTimes,
    ReadinessFields,
    ReasonFields,
    ReprioritiseFields,
    check_confirmed_date,
    latest_confirmable,
    propose_milestones,
)
from orderflow.production.models import (
    CoordinationMeeting,
    Milestone,
    OutsourcingRequest,
    PlanObjection,
    ProductionInstruction,
    ProductionOperation,
    ProductionOrder,
)
from orderflow.sales.models import SalesOrder


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


def order_fact(ctx: StepContext, order: SalesOrder, name: str, payload: dict[str, object]) -> None:
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
        order_fact(
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


# --- outsourcing --------------------------------------------------------------------------


def approve_outsourcing(ctx: StepContext) -> None:
    """E9: once the group GM approves, the operation is done outside: the plan gives it
    working days instead of a work centre's time."""
    request = cast(OutsourcingRequest, ctx.doc)
    op = ctx.session.get(ProductionOperation, request.operation_id)
    assert op is not None
    op.outsourced_days = request.days
    ctx.payload.update(seq=op.seq, days=request.days, supplier=request.supplier)
