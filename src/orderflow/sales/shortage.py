"""B6: when confirming an order finds a stock shortage, the customer is told at once which
lines are short and what the options are (wait, split, substitute), in their language —
before the clerk has chosen. The mail after the choice (``stock_shortage``, in
``effects.confirm``) still says what was decided.

The refused confirmation rolls back whole, so the message is queued in a transaction of its
own, after it: ``ORDERS`` names ``after_refused_confirm`` as its refusal hook for
``confirm`` (``core.kit.DocumentKind.refusals``), run by the API, the pages and the CLI alike. Nothing about the order changes (no event, no new version): a client that
retries the confirmation with its choice and the same If-Match goes through. The outbox is
the record; the same shortage refused again is not mailed twice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from orderflow.core.errors import InsufficientStock, OrderFlowError
from orderflow.i18n import t
from orderflow.notify.models import Notification
from orderflow.notify.service import queue_email
from orderflow.parties.models import Customer
from orderflow.runtime import Principal, Runtime

KIND = "stock_shortage_options"


def _qty(text: Any) -> str:
    return f"{Decimal(str(text)).normalize():f}"


def tell_customer(rt: Runtime, principal: Principal, order_id: int, exc: InsufficientStock) -> bool:
    """Queue the shortage mail with the options; answers whether the customer is told."""
    from orderflow.review.promise import promise_for
    from orderflow.sales.service import ORDERS

    shortages = exc.extra.get("shortages") or []
    with rt.db.transaction() as session:
        order = ORDERS.load(session, principal, order_id)
        if not order.contact_email or not shortages:
            return False
        customer = session.get(Customer, order.customer_id)
        locale = customer.locale if customer else "zh-CN"
        by_no = {ln.line_no: ln for ln in order.lines}
        lines = "; ".join(
            t(
                f"mail.{KIND}.line",
                locale,
                no=s["line_no"],
                product=f"{by_no[s['line_no']].product.code} {by_no[s['line_no']].product.name}",
                wanted=_qty(s["wanted"]),
                available=_qty(s["available"]),
            )
            for s in shortages
            if s["line_no"] in by_no
        )
        params: dict[str, Any] = {
            "lines": lines,
            "wait_date": promise_for(session, rt, order).earliest.isoformat(),
        }
        body = t(f"mail.{KIND}.body", locale, number=order.number, **params)
        told = session.scalar(
            select(Notification.id).where(
                Notification.kind == KIND,
                Notification.document_type == order.document_type,
                Notification.document_id == order.id,
                Notification.body == body,
            )
        )
        if told is None:
            queue_email(
                session,
                doc=order,
                kind=KIND,
                to=order.contact_email,
                locale=locale,
                at=rt.now(),
                **params,
            )
        return True


def after_refused_confirm(
    rt: Runtime, principal: Principal, order_id: int, refusal: OrderFlowError
) -> None:
    """``ORDERS``' refusal hook for ``confirm``: a shortage is told to the customer, and the
    refusal says so (``customer_told``)."""
    if isinstance(refusal, InsufficientStock):
        refusal.extra["customer_told"] = tell_customer(rt, principal, order_id, refusal)
