"""Who handles an order (B8): rules by product type and region, then the lightest workload.

``pick_handler`` is the pure rule; ``assign`` loads the facts (candidates and their open
orders) and ``reassign`` is the order step that records a change of handler with a reason
and moves the clerk's open tasks on the order to the new handler.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.core.errors import FieldError, ValidationFailed
from orderflow.core.tasks import OPEN, Task
from orderflow.core.workflow import StepContext
from orderflow.policy.loader import AssignmentPolicy
from orderflow.sales.flow import DRAFT, OPEN_STATES, ReassignFields
from orderflow.sales.models import SalesOrder

#: Orders that still need their handler: not yet shipped in full.
WORKLOAD_STATES = (DRAFT, *OPEN_STATES[:2])


@dataclass(frozen=True)
class Candidate:
    user_id: int
    username: str
    open_orders: int


def pick_handler(
    policy: AssignmentPolicy,
    *,
    product_codes: Sequence[str],
    region: str | None,
    candidates: Mapping[str, Candidate],
) -> tuple[Candidate | None, str]:
    """The handler and why: the first rule whose products and region match names the
    people; among them (or among everyone in the role) the fewest open orders wins, then
    the lowest user id so the choice is stable."""
    pool, why = list(candidates.values()), "workload"
    for i, rule in enumerate(policy.rules):
        products_match = not rule.products or any(
            fnmatchcase(code, pattern) for code in product_codes for pattern in rule.products
        )
        region_match = not rule.regions or (region is not None and region in rule.regions)
        if products_match and region_match:
            named = [candidates[u] for u in rule.handlers if u in candidates]
            if named:
                pool, why = named, f"rule {i + 1}"
                break
    if not pool:
        return None, "no candidate"
    best = min(pool, key=lambda c: (c.open_orders, c.user_id))
    return best, why


def candidates(session: Session, company_id: int, role: str) -> dict[str, Candidate]:
    users = [
        u
        for u in session.scalars(select(User).where(User.company_id == company_id, User.is_active))
        if role in u.roles
    ]
    loads = dict(
        session.execute(
            select(SalesOrder.handler_id, func.count())
            .where(
                SalesOrder.company_id == company_id,
                SalesOrder.state.in_(WORKLOAD_STATES),
                SalesOrder.handler_id.in_([u.id for u in users]),
            )
            .group_by(SalesOrder.handler_id)
        ).all()
    )
    return {u.username: Candidate(u.id, u.username, loads.get(u.id, 0)) for u in users}


def assign(
    session: Session, policy: AssignmentPolicy, order: SalesOrder, region: str | None
) -> tuple[int | None, str]:
    codes = [line.product.code for line in order.lines]
    pool = candidates(session, order.company_id, policy.role)
    # Rules may name people outside the role (an export desk): load them too.
    named = {u for rule in policy.rules for u in rule.handlers} - set(pool)
    if named:
        for user in session.scalars(
            select(User).where(
                User.company_id == order.company_id, User.username.in_(named), User.is_active
            )
        ):
            pool[user.username] = Candidate(user.id, user.username, 0)
    chosen, why = pick_handler(policy, product_codes=codes, region=region, candidates=pool)
    return (chosen.user_id if chosen else None), why


def reassign(ctx: StepContext) -> None:
    order, fields = cast(SalesOrder, ctx.doc), cast(ReassignFields, ctx.fields)
    before = order.handler_id
    if fields.handler_id is None:
        region = order.customer.region if order.customer else None
        handler, why = assign(ctx.session, ctx.policy.assignment, order, region)
    else:
        user = ctx.session.get(User, fields.handler_id)
        if user is None or user.company_id != order.company_id or not user.is_active:
            raise ValidationFailed.of(
                [FieldError("handler_id", "No such active user in your company", "unknown_user")]
            )
        handler, why = user.id, "chosen"
    if handler is None:
        raise ValidationFailed.of(
            [FieldError("handler_id", "Nobody can take this order; name a user", "no_candidate")]
        )
    order.handler_id = handler
    # The clerk's open tasks on the order go with it.
    ctx.session.execute(
        update(Task)
        .where(
            Task.document_type == order.document_type,
            Task.document_id == order.id,
            Task.state == OPEN,
            Task.role == ctx.policy.assignment.role,
        )
        .values(assignee_id=handler)
    )
    ctx.payload.update(from_handler=before, to_handler=handler, why=why)
    ctx.next_state = order.state
