"""What each change-notice step does (G1-G3), what a review's outcome does to it, and what
a design error notice's steps do (G4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy.orm import Session

from orderflow.changes.flow import (
    CLASSIFIED,
    DATE,
    DE_ACKNOWLEDGED,
    DE_ISSUED,
    IN_REVIEW,
    MINOR,
    STRUCTURAL,
    ApplyFields,
    ChangePatch,
    ClassifyFields,
    DesignAckFields,
    departments_of,
    pick_department,
)
from orderflow.changes.models import ChangeNotice, DesignErrorAck, DesignErrorNotice
from orderflow.changes.versions import apply_patch, record_version
from orderflow.core.errors import FieldError, TransitionNotAllowed, ValidationFailed
from orderflow.core.workflow import StepContext
from orderflow.notify.service import queue_staff
from orderflow.policy.loader import Policy
from orderflow.review import classify as c
from orderflow.sales.models import SalesOrder


def _change(ctx: StepContext) -> ChangeNotice:
    return cast(ChangeNotice, ctx.doc)


def _order(ctx: StepContext, change: ChangeNotice) -> SalesOrder:
    order = ctx.session.get(SalesOrder, change.order_id)
    assert order is not None
    return order


def classify(ctx: StepContext) -> None:
    change, fields = _change(ctx), cast(ClassifyFields, ctx.fields)
    if change.technical and change.approval_file_id is None:
        raise ValidationFailed.of(
            [
                FieldError(
                    "approval",
                    "A technical change needs the customer's written approval on file first",
                    "approval_missing",
                )
            ]
        )
    change.impact, change.answer = fields.impact, fields.answer
    change.answered_at, change.answered_by = ctx.now, ctx.actor.name
    order = _order(ctx, change)
    ctx.payload.update(impact=fields.impact)
    ctx.signals.add(f"classified:{fields.impact}")
    if fields.impact == MINOR:
        queue_staff(
            ctx.session,
            company_id=change.company_id,
            kind="change_minor",
            role="production_manager",
            user_id=None,
            subject=f"合同订单更改通知单 {change.number}（{order.number}）",
            body=f"{change.description}\n{fields.answer}",
            at=ctx.now,
            doc=change,
        )
        ctx.next_state = CLASSIFIED
        return
    from orderflow.review.service import open_review

    if ctx.runtime is None:
        raise RuntimeError("classify needs the runtime to open a review")
    review = open_review(
        ctx.session,
        ctx.runtime,
        order,
        actor=ctx.actor,
        kind="date_change" if fields.impact == DATE else "structural_change",
        change_id=change.id,
    )
    change.review_id = review.id
    ctx.payload["review"] = review.number
    ctx.next_state = IN_REVIEW


def apply(ctx: StepContext) -> None:
    change = _change(ctx)
    if change.impact in (DATE, STRUCTURAL) and not change.review_passed:
        raise TransitionNotAllowed(f"{change.number} waits for its review to pass")
    if change.impact == STRUCTURAL:
        _check_supplementary(ctx, change)
    order = _order(ctx, change)
    before = record_version(
        ctx.session, order, reason=f"before {change.number}", actor=ctx.actor, now=ctx.now
    )
    changed = apply_patch(ctx.session, order, ChangePatch.model_validate(change.patch), now=ctx.now)
    if change.impact == STRUCTURAL:
        order.regularity = c.NON_REGULAR
    after = record_version(
        ctx.session,
        order,
        reason=f"change {change.number}",
        actor=ctx.actor,
        now=ctx.now,
        change_id=change.id,
    )
    change.from_version, change.to_version = before, after
    from orderflow.sales.service import ORDERS

    ORDERS.fact_in(
        ctx.session,
        order,
        "order_changed",
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={
            "change": change.number,
            "impact": change.impact,
            "changed": changed,
            "versions": [before, after],
        },
    )
    queue_staff(
        ctx.session,
        company_id=change.company_id,
        kind="change_applied",
        role="production_manager",
        user_id=None,
        subject=f"{order.number} 已按 {change.number} 变更（版本 {after}）",
        body=", ".join(changed) + ("\n" + cast(ApplyFields, ctx.fields).note if ctx.fields else ""),
        at=ctx.now,
        doc=change,
    )
    ctx.payload.update(changed=changed, versions=[before, after])


@dataclass(frozen=True)
class Supplementary:
    """Where a change stands with its supplementary contract (G2)."""

    needed: bool
    signed: bool
    contracts: list[Any]


def supplementary_status(
    session: Session, change: ChangeNotice, *, policy: Policy | None
) -> Supplementary:
    """A structural change of an order whose contract the customer signed needs a
    supplementary contract signed before it is applied (when the policy says so); an order
    without a signed contract gets its contract drawn from the changed order instead."""
    from orderflow.contracts.draft import main_contract, supplementary_of
    from orderflow.contracts.flow import SIGNED_STATES

    contracts = supplementary_of(session, change.id)
    required = policy is None or policy.contracts.structural_change_needs_supplementary
    needed = (
        required
        and change.impact == STRUCTURAL
        and main_contract(session, change.order_id, signed=True) is not None
    )
    signed = any(ct.state in SIGNED_STATES for ct in contracts)
    return Supplementary(needed=needed, signed=signed, contracts=contracts)


def _check_supplementary(ctx: StepContext, change: ChangeNotice) -> None:
    status = supplementary_status(ctx.session, change, policy=ctx.policy)
    if status.needed and not status.signed:
        raise TransitionNotAllowed(
            f"{change.number} changes the structure of a contracted order: the supplementary "
            "contract must be signed first"
        )


def review_passed(ctx: StepContext, change_id: int) -> None:
    """The review opened for the change passed: the change may now be applied."""
    from orderflow.changes.service import CHANGES

    change = ctx.session.get(ChangeNotice, change_id)
    if change is None:
        return
    change.review_passed = True
    CHANGES.fact_in(
        ctx.session,
        change,
        "review_passed",
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={"review": ctx.doc.number},
    )


def review_declined(ctx: StepContext, change_id: int, reason: str) -> None:
    """The general manager approved declining: the change is rejected, the order stays."""
    from orderflow.changes.service import CHANGES

    change = ctx.session.get(ChangeNotice, change_id)
    if change is None:
        return
    order = _order(ctx, change)
    if order.review_state == c.IN_REVIEW:
        order.review_state = c.PASSED
    CHANGES.step_in(
        ctx.session,
        change,
        "reject",
        actor=ctx.actor,
        roles=ctx.roles,
        now=ctx.now,
        policy=ctx.policy,
        fields={"reason": f"{ctx.doc.number}: {reason}"},
        runtime=ctx.runtime,
    )


# --- design error notices (G4) -------------------------------------------------------------


def tell_departments(
    session: Session,
    notice: DesignErrorNotice,
    *,
    kind: str,
    subject: str,
    body: str,
    at: datetime,
    departments: Sequence[str] | None = None,
) -> None:
    """An in-app message to every role of each department told (the head has the task)."""
    from orderflow.auth.roles import DEPARTMENT_ROLES

    for department in departments if departments is not None else notice.departments:
        for role in sorted(DEPARTMENT_ROLES[department]):
            queue_staff(
                session,
                company_id=notice.company_id,
                kind=kind,
                role=role,
                user_id=None,
                subject=subject,
                body=body,
                at=at,
                doc=notice,
            )


def acknowledge_design_error(ctx: StepContext) -> None:
    """A department confirms it knows of the design error; the last one closes it."""
    from orderflow.auth.roles import DEPARTMENT_ROLES

    notice, fields = cast(DesignErrorNotice, ctx.doc), cast(DesignAckFields, ctx.fields)
    done = {ack.department for ack in notice.acks}
    pending = [d for d in notice.departments if d not in done]
    mine = departments_of(notice.departments, ctx.roles, DEPARTMENT_ROLES)
    department = pick_department(pending, mine, fields.department)
    notice.acks.append(
        DesignErrorAck(
            department=department,
            user_id=ctx.actor.id,
            name=ctx.actor.name,
            at=ctx.now,
            note=fields.note,
        )
    )
    ctx.signals.add(f"ack:{department}")
    ctx.payload.update(department=department)
    if len(pending) > 1:
        ctx.next_state = DE_ISSUED
        return
    ctx.next_state = DE_ACKNOWLEDGED
    order = ctx.session.get(SalesOrder, notice.order_id)
    assert order is not None
    from orderflow.sales.service import ORDERS

    ORDERS.fact_in(
        ctx.session,
        order,
        "design_error_acknowledged",
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={"design_error": notice.number},
    )


def withdraw_design_error(ctx: StepContext) -> None:
    """Issued in error: the departments still to confirm are told to disregard it."""
    notice = cast(DesignErrorNotice, ctx.doc)
    done = {ack.department for ack in notice.acks}
    tell_departments(
        ctx.session,
        notice,
        kind="design_error_withdrawn",
        subject=f"设计差错通知 {notice.number} 已撤回 / Design error notice {notice.number} "
        "withdrawn",
        body=str(getattr(ctx.fields, "reason", "")),
        at=ctx.now,
        departments=[d for d in notice.departments if d not in done],
    )
