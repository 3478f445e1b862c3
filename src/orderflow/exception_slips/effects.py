"""What each exception-slip step does beyond its state change."""

from __future__ import annotations

from typing import cast

from sqlalchemy import select

from orderflow.auth.models import User
from orderflow.core.errors import FieldError, PermissionDenied, ValidationFailed
from orderflow.core.workflow import StepContext
from orderflow.exception_slips.flow import (
    AssignFields,
    CloseFields,
    DecideFields,
    may_decide,
    remedy_problem,
)
from orderflow.exception_slips.models import ExceptionSlip


def _slip(ctx: StepContext) -> ExceptionSlip:
    return cast(ExceptionSlip, ctx.doc)


def _owner_only(ctx: StepContext, slip: ExceptionSlip) -> None:
    mine = slip.owner_id is not None and slip.owner_id == ctx.actor.id
    if not mine and not may_decide(ctx.roles, slip.owner_roles):
        raise PermissionDenied(
            f"{slip.number} is for {', '.join(slip.owner_roles)} to handle (or a head)"
        )


def assign(ctx: StepContext) -> None:
    slip, fields = _slip(ctx), cast(AssignFields, ctx.fields)
    user = ctx.session.scalar(
        select(User).where(
            User.username == fields.owner,
            User.company_id == slip.company_id,
            User.is_active,
        )
    )
    if user is None:
        raise ValidationFailed.of([FieldError("owner", "No such active user", "unknown_user")])
    slip.owner_id = user.id
    ctx.payload["owner"] = user.display_name


def decide(ctx: StepContext) -> None:
    slip, fields = _slip(ctx), cast(DecideFields, ctx.fields)
    _owner_only(ctx, slip)
    errors = []
    problem = remedy_problem(ctx.policy, slip.kind, fields.remedy)
    if problem:
        errors.append(FieldError("remedy", problem, "unknown_remedy"))
    if fields.liability not in ctx.policy.exceptions.liabilities:
        errors.append(
            FieldError(
                "liability",
                f"One of {', '.join(ctx.policy.exceptions.liabilities)}",
                "unknown_liability",
            )
        )
    if errors:
        raise ValidationFailed.of(errors)
    slip.cause, slip.decision = fields.cause, fields.decision
    slip.remedy, slip.liability, slip.cost = fields.remedy, fields.liability, fields.cost
    slip.decided_at = ctx.now
    if slip.owner_id is None:
        slip.owner_id = ctx.actor.id


def close(ctx: StepContext) -> None:
    slip = _slip(ctx)
    _owner_only(ctx, slip)
    slip.closure = cast(CloseFields, ctx.fields).closure
    slip.closed_at = ctx.now


def reopen(ctx: StepContext) -> None:
    slip = _slip(ctx)
    slip.decided_at = None
