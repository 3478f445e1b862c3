"""What issuing and cancelling a stock-up notice does to its order (B9)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.core.errors import Conflict
from orderflow.core.events import Event
from orderflow.core.workflow import StepContext
from orderflow.notify.service import queue_staff
from orderflow.sales.models import SalesOrder
from orderflow.stockup.flow import cancel_outcome
from orderflow.stockup.models import StockUpNotice

#: Who is told when a notice is issued or cancelled: the planner issues the production
#: instruction, the production manager runs the shop floor.
PRODUCTION_ROLES = ("planner", "production_manager")


def tell_production(
    session: Session, notice: StockUpNotice, *, kind: str, subject: str, body: str, at: datetime
) -> None:
    """An in-app message to the planner and the production manager."""
    for role in PRODUCTION_ROLES:
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


def _made_effective_by(ctx: StepContext, order: SalesOrder, notice: StockUpNotice) -> bool:
    """Whether the order's ``order_effective`` fact names this notice."""
    payloads: Any = ctx.session.scalars(
        select(Event.payload).where(
            Event.document_type == "sales_order",
            Event.document_id == order.id,
            Event.name == "order_effective",
        )
    ).all()
    return any((p or {}).get("reference") == notice.number for p in payloads)


def _released(ctx: StepContext, order: SalesOrder) -> bool:
    return (
        ctx.session.scalar(
            select(Event.id)
            .where(
                Event.document_type == "sales_order",
                Event.document_id == order.id,
                Event.name == "production_released",
            )
            .limit(1)
        )
        is not None
    )


def cancel(ctx: StepContext) -> None:
    notice = cast(StockUpNotice, ctx.doc)
    order = ctx.session.get(SalesOrder, notice.order_id)
    assert order is not None
    from orderflow.contracts.models import Contract

    contract_effective = (
        ctx.session.scalar(
            select(Contract.id)
            .where(Contract.order_id == order.id, Contract.state == "effective")
            .limit(1)
        )
        is not None
    )
    outcome = cancel_outcome(
        effective_by=order.effective_by,
        made_effective_by_this=_made_effective_by(ctx, order, notice),
        contract_effective=contract_effective,
    )
    from orderflow.sales.service import ORDERS

    if outcome.withdraw_effectiveness:
        if _released(ctx, order):
            raise Conflict(
                f"Production of {order.number} was released on {notice.number}; "
                "stop it through a change notice instead"
            )
        order.effective_at, order.effective_by = None, None
        ORDERS.fact_in(
            ctx.session,
            order,
            "effectiveness_withdrawn",
            actor=ctx.actor,
            now=ctx.now,
            policy=ctx.policy,
            payload={"stock_up": notice.number},
            reason=cast(str, getattr(ctx.fields, "reason", None)),
        )
    elif outcome.effective_by_contract:
        order.effective_by = "contract"
    ctx.payload.update(order_effective=order.effective_at is not None)
    tell_production(
        ctx.session,
        notice,
        kind="stock_up_cancelled",
        subject=f"备货通知单 {notice.number} 已取消 / Stock-up notice {notice.number} cancelled "
        f"({order.number})",
        body=getattr(ctx.fields, "reason", ""),
        at=ctx.now,
    )
