"""What each review step does beyond its state change (C3-C6)."""

from __future__ import annotations

from typing import cast

from orderflow.core.errors import FieldError, TransitionNotAllowed, ValidationFailed
from orderflow.core.workflow import StepContext
from orderflow.review import classify as c
from orderflow.review.flow import (
    APPROVED,
    DATE_TOPICS,
    NEGOTIATING,
    OBJECTED,
    OPEN,
    AcceptFields,
    ExtensionFields,
    MeetingFields,
    ObjectFields,
    OpinionFacts,
    ReasonFields,
    SignOffFields,
    all_agreed,
    approval_blockers,
    latest_feasible,
    open_date_objections,
    pick_role,
)
from orderflow.review.models import OrderReview, ReviewOpinion
from orderflow.sales.effects import tell_customer
from orderflow.sales.models import SalesOrder


def _review(ctx: StepContext) -> OrderReview:
    return cast(OrderReview, ctx.doc)


def _order(ctx: StepContext) -> SalesOrder:
    order = ctx.session.get(SalesOrder, _review(ctx).order_id)
    assert order is not None
    return order


def _facts(review: OrderReview) -> list[OpinionFacts]:
    return [
        OpinionFacts(o.role, o.state, o.topic, o.feasible_date, o.resolved) for o in review.opinions
    ]


def _opinion(ctx: StepContext, asked: str | None) -> ReviewOpinion:
    review = _review(ctx)
    role = pick_role(review.routing, ctx.roles, asked)
    return next(o for o in review.opinions if o.role == role)


def _order_fact(ctx: StepContext, order: SalesOrder, name: str, **payload: object) -> None:
    from orderflow.sales.service import ORDERS

    ORDERS.fact_in(
        ctx.session,
        order,
        name,
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={"review": ctx.doc.number, **payload},
    )


def _complete_signal(ctx: StepContext) -> None:
    if all_agreed(_facts(_review(ctx))):
        ctx.signals.add("review_complete")


def sign_off(ctx: StepContext) -> None:
    fields = cast(SignOffFields, ctx.fields)
    opinion = _opinion(ctx, fields.role)
    opinion.state, opinion.topic, opinion.resolved = APPROVED, None, False
    opinion.checked = list(fields.checked or ctx.policy.review.topics)
    opinion.comment = fields.comment
    opinion.decided_by_id, opinion.decided_by_name, opinion.decided_at = (
        ctx.actor.id,
        ctx.actor.name,
        ctx.now,
    )
    ctx.payload.update(role=opinion.role, checked=opinion.checked)
    ctx.signals.add(f"signed:{opinion.role}")
    ctx.session.flush()
    review = _review(ctx)
    if review.state == OPEN:
        _complete_signal(ctx)
    ctx.next_state = review.state


def object_(ctx: StepContext) -> None:
    fields = cast(ObjectFields, ctx.fields)
    if fields.topic in DATE_TOPICS and fields.feasible_date is None:
        raise ValidationFailed.of(
            [
                FieldError(
                    "feasible_date",
                    "Say which date your department can meet, for the negotiation",
                    "missing",
                )
            ]
        )
    opinion = _opinion(ctx, fields.role)
    opinion.state, opinion.topic, opinion.resolved = OBJECTED, fields.topic, False
    opinion.comment, opinion.feasible_date = fields.reason, fields.feasible_date
    opinion.decided_by_id, opinion.decided_by_name, opinion.decided_at = (
        ctx.actor.id,
        ctx.actor.name,
        ctx.now,
    )
    ctx.payload.update(
        role=opinion.role,
        topic=fields.topic,
        feasible_date=fields.feasible_date.isoformat() if fields.feasible_date else None,
    )
    ctx.signals.add(f"signed:{opinion.role}")
    ctx.next_state = NEGOTIATING if fields.topic in DATE_TOPICS else _review(ctx).state


def record_meeting(ctx: StepContext) -> None:
    review, fields = _review(ctx), cast(MeetingFields, ctx.fields)
    review.meeting_attendees = fields.attendees
    review.meeting_minutes = fields.minutes
    review.meeting_decisions = fields.decisions
    review.meeting_held_on = fields.held_on or ctx.now.astimezone(ctx.policy.zone).date()
    ctx.payload.update(attendees=fields.attendees, held_on=review.meeting_held_on.isoformat())
    ctx.signals.add("record_meeting")
    if review.state == OPEN:
        _complete_signal(ctx)
    ctx.next_state = review.state


def request_extension(ctx: StepContext) -> None:
    review, fields = _review(ctx), cast(ExtensionFields, ctx.fields)
    floor = latest_feasible(_facts(review))
    if floor is not None and fields.proposed_date < floor:
        raise ValidationFailed.of(
            [
                FieldError(
                    "proposed_date",
                    f"The departments can meet {floor.isoformat()} at the earliest",
                    "infeasible_date",
                )
            ]
        )
    order = _order(ctx)
    tell_customer(
        ctx,
        order,
        "negotiation_request",
        requested_date=order.requested_date.isoformat(),
        proposed_date=fields.proposed_date.isoformat(),
        message=fields.message or "-",
    )
    ctx.payload.update(proposed_date=fields.proposed_date.isoformat())


def customer_accepts(ctx: StepContext) -> None:
    review, fields = _review(ctx), cast(AcceptFields, ctx.fields)
    floor = latest_feasible(_facts(review))
    if floor is not None and fields.agreed_date < floor:
        raise ValidationFailed.of(
            [
                FieldError(
                    "agreed_date",
                    f"The departments can meet {floor.isoformat()} at the earliest",
                    "infeasible_date",
                )
            ]
        )
    for opinion in review.opinions:
        if opinion.state == OBJECTED and opinion.topic in DATE_TOPICS:
            opinion.resolved = True
    review.agreed_date = fields.agreed_date
    order = _order(ctx)
    before = order.requested_date
    order.requested_date = fields.agreed_date
    _order_fact(
        ctx,
        order,
        "date_agreed",
        requested_date=before.isoformat(),
        agreed_date=fields.agreed_date.isoformat(),
    )
    ctx.payload.update(agreed_date=fields.agreed_date.isoformat())
    ctx.session.flush()
    facts = _facts(review)
    ctx.next_state = NEGOTIATING if open_date_objections(facts) else OPEN
    if ctx.next_state == OPEN and all_agreed(facts):
        ctx.signals.add("review_complete")


def approve(ctx: StepContext) -> None:
    review = _review(ctx)
    blockers = approval_blockers(
        _facts(review),
        meeting_needed=review.meeting_needed,
        meeting_held=review.meeting_held_on is not None,
    )
    if blockers:
        raise TransitionNotAllowed(
            f"{review.number} cannot be approved yet: " + "; ".join(blockers), blockers=blockers
        )
    review.decided_by_id, review.decided_at = ctx.actor.id, ctx.now
    order = _order(ctx)
    if review.kind != "date_change":
        order.review_state = c.PASSED
    _order_fact(ctx, order, "review_passed", kind=review.kind)
    if review.change_id is not None:
        from orderflow.changes.effects import review_passed

        review_passed(ctx, review.change_id)


def approve_decline(ctx: StepContext) -> None:
    review, fields = _review(ctx), cast(ReasonFields, ctx.fields)
    review.decided_by_id, review.decided_at = ctx.actor.id, ctx.now
    order = _order(ctx)
    if review.change_id is not None:
        from orderflow.changes.effects import review_declined

        review_declined(ctx, review.change_id, fields.reason)
        return
    from orderflow.sales.service import ORDERS

    order.review_state = c.DECLINED
    ORDERS.step_in(
        ctx.session,
        order,
        "cancel",
        actor=ctx.actor,
        roles=ctx.roles,
        now=ctx.now,
        policy=ctx.policy,
        fields={"reason": f"{review.number}: {fields.reason}"},
        runtime=ctx.runtime,
    )


def withdraw(ctx: StepContext) -> None:
    review = _review(ctx)
    order = _order(ctx)
    if review.kind != "date_change" and order.review_state == c.IN_REVIEW:
        order.review_state = c.REQUIRED
    _order_fact(ctx, order, "review_withdrawn")


def override_classification(ctx: StepContext) -> None:
    """The order's ``classify`` step (C1): a person sets regularity and category."""
    from orderflow.sales.flow import ClassifyFields

    order, fields = cast(SalesOrder, ctx.doc), cast(ClassifyFields, ctx.fields)
    ctx.payload.update(
        before={"regularity": order.regularity, "category": order.category},
        after={"regularity": fields.regularity, "category": fields.category},
    )
    order.regularity, order.category = fields.regularity, fields.category
    order.classification_overridden = True
    if order.review_state not in (c.IN_REVIEW, c.PASSED, c.DECLINED):
        order.review_state = c.review_state_for(
            regularity=order.regularity,
            project=bool(order.project_name),
            rush=order.rush,
            meeting=order.total_amount > ctx.policy.thresholds.review_meeting_amount,
            regular_orders=ctx.policy.review.regular_orders,
        )
    if order.category == c.SPECIAL and order.priority == "normal":
        order.priority = "special"
