"""The date we can promise (C4, C6, G2): planning's answer when it is connected, otherwise
an estimate from stock and the products' standard lead times on the business calendar.
Either way the answer says which it was, so reviewers know how much to trust it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from orderflow.core import ports
from orderflow.inventory import service as stock
from orderflow.review.classify import LineFacts, limiting_line, ready_date
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder

PLANNING, ESTIMATE = "planning", "estimate"


@dataclass(frozen=True)
class Promise:
    earliest: date
    source: str
    #: What limits the date, for people ("KG-200: 20 working days lead time").
    limited_by: str
    feasible: bool


def line_facts(session: Session, order: SalesOrder) -> tuple[LineFacts, ...]:
    free = stock.available(
        session, company_id=order.company_id, product_ids={ln.product_id for ln in order.lines}
    )
    left = dict(free)
    facts = []
    for ln in order.lines:
        need = ln.quantity - ln.shipped_quantity - ln.reserved_quantity
        have = left.get(ln.product_id, Decimal(0))
        facts.append(
            LineFacts(
                product_code=ln.product.code,
                quantity=need,
                lead_time_days=ln.product.lead_time_days,
                active=ln.product.active,
                available=have,
            )
        )
        left[ln.product_id] = max(have - max(need, Decimal(0)), Decimal(0))
    return tuple(facts)


def promise_for(session: Session, rt: Runtime, order: SalesOrder) -> Promise:
    if ports.promise_date.connected:
        answer = ports.promise_date(
            session,
            rt,
            ports.PromiseQuery(
                company_id=order.company_id,
                lines=tuple(ports.PromiseLine(ln.product_id, ln.quantity) for ln in order.lines),
                requested_date=order.requested_date,
                priority=order.priority,
                sales_order_id=order.id,
            ),
        )
        return Promise(answer.earliest_date, PLANNING, answer.limited_by, answer.feasible)
    facts = line_facts(session, order)
    earliest = ready_date(facts, rt.today(), rt.policy.business_calendar)
    limit = limiting_line(facts)
    note = (
        f"{limit.product_code}: {limit.lead_time_days} working days lead time"
        if limit
        else "in stock"
    )
    return Promise(earliest, ESTIMATE, note, earliest <= order.requested_date)
