"""Drawing a contract (D3): everything checked and filled from the template before anything
is written, so the drawing page shows exactly what "draw" will save.

A main contract is drawn once the order's review passed, one live per order. A
supplementary agreement (补充协议, G2) belongs to a structural change of an order that has a
signed contract: it supplements that contract, proposes the change's price difference as
its price, and one live one per change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product, list_price
from orderflow.contracts.flow import SIGNED_STATES, WITHDRAWN, deposit_for
from orderflow.contracts.models import Contract
from orderflow.contracts.template import fill
from orderflow.core.errors import Conflict, FieldErrors
from orderflow.parties.models import Customer
from orderflow.review import classify as c
from orderflow.runtime import Runtime
from orderflow.sales.flow import CANCELLED, COMPLETED
from orderflow.sales.models import SalesOrder


@dataclass
class Draft:
    order: SalesOrder
    customer: Customer
    kind: str
    amount: Decimal
    deposit: Decimal
    delivery_date: date
    terms: dict[str, dict[str, str]]
    quote_id: int | None = None
    change: Any = None
    parent: Contract | None = None


def main_contract(session: Session, order_id: int, *, signed: bool = False) -> Contract | None:
    """The order's live main contract (``signed``: only once the customer signed it)."""
    query = select(Contract).where(Contract.order_id == order_id, Contract.kind == "main")
    query = query.where(
        Contract.state.in_(SIGNED_STATES) if signed else Contract.state != WITHDRAWN
    )
    return session.scalar(query.order_by(Contract.id.desc()).limit(1))


def supplementary_of(session: Session, change_id: int) -> list[Contract]:
    return list(
        session.scalars(
            select(Contract)
            .where(Contract.change_id == change_id, Contract.kind == "supplementary")
            .order_by(Contract.id)
        )
    )


def price_difference(
    session: Session, order: SalesOrder, customer: Customer, patch: Any
) -> Decimal:
    """What the change adds to the order's price (0 when it adds nothing)."""
    from orderflow.changes.flow import ChangePatch, patched_total

    patch = ChangePatch.model_validate(patch)
    codes = {ln.product_code for ln in patch.lines if ln.product_code}
    products = {
        p.code: p
        for p in session.scalars(
            select(Product).where(Product.company_id == order.company_id, Product.code.in_(codes))
        )
    }

    def price_of(code: str, quantity: Decimal) -> Decimal | None:
        product = products.get(code)
        return list_price(product.prices, customer.price_list, quantity) if product else None

    after = patched_total(
        {ln.line_no: (ln.quantity, ln.unit_price) for ln in order.lines}, patch, price_of
    )
    return (
        max(after - order.total_amount, Decimal("0.00")) if after is not None else Decimal("0.00")
    )


def prepare(
    session: Session,
    rt: Runtime,
    order: SalesOrder,
    *,
    kind: str,
    change_id: int | None,
    amount: Decimal | None,
    delivery_date: date | None,
) -> Draft:
    """Check that this contract may be drawn now and fill its clauses; writes nothing."""
    if order.state in (CANCELLED, COMPLETED):
        raise Conflict(f"{order.number} is {order.state}")
    customer = session.get(Customer, order.customer_id)
    assert customer is not None
    change = parent = None
    if kind == "main":
        if order.review_state in (c.REQUIRED, c.IN_REVIEW, c.DECLINED):
            raise Conflict(f"{order.number} must pass its review before a contract is drawn")
        live = main_contract(session, order.id)
        if live is not None:
            raise Conflict(f"{order.number} already has contract {live.number}")
        amount = order.total_amount
    else:
        change, parent = _supplementing(session, order, change_id)
        if amount is None:
            amount = price_difference(session, order, customer, change.patch)
    deposit = deposit_for(amount, rt.policy.contracts.deposit_share)
    delivery = delivery_date or order.promised_date or order.requested_date
    if change is not None and change.patch.get("requested_date"):
        delivery = delivery_date or date.fromisoformat(change.patch["requested_date"])
    technical = (change.patch.get("technical_requirements") if change else None) or (
        order.technical_requirements or "按双方确认的技术协议 / per the agreed technical agreement"
    )
    values = {
        "order": order.number,
        "amount": amount,
        "currency": order.currency,
        "delivery_date": delivery.isoformat(),
        "address": (change.patch.get("delivery_address") if change else None)
        or order.delivery_address,
        "technical": technical,
        "quality": order.quality_requirements
        or customer.quality_standard
        or "国家及行业标准 / national and industry standards",
        "packing": customer.shipping_standard or "标准出口/内销包装 / standard packing",
        "deposit": deposit,
        "terms": order.payment_terms_days,
        "parent": parent.number if parent else "",
        "change": change.number if change else "",
        "change_description": change.description if change else "",
    }
    from orderflow.quotes.models import Quote

    quote_id = session.scalar(
        select(Quote.id)
        .where(Quote.order_id == order.id, Quote.state == "accepted")
        .order_by(Quote.id.desc())
        .limit(1)
    )
    return Draft(
        order=order,
        customer=customer,
        kind=kind,
        amount=amount,
        deposit=deposit,
        delivery_date=delivery,
        terms=fill(values, kind),
        quote_id=quote_id,
        change=change,
        parent=parent,
    )


def _supplementing(
    session: Session, order: SalesOrder, change_id: int | None
) -> tuple[Any, Contract]:
    from orderflow.changes.flow import STRUCTURAL
    from orderflow.changes.models import ChangeNotice
    from orderflow.changes.service import FINAL

    change = session.get(ChangeNotice, change_id) if change_id is not None else None
    if change is None or change.order_id != order.id:
        problems = FieldErrors()
        problems.add("change_id", "No such change notice on this order", "unknown_change")
        problems.raise_if_any()
    assert change is not None
    if change.impact != STRUCTURAL or change.state in FINAL:
        raise Conflict(
            f"{change.number} is not an open structural change; only those take a "
            "supplementary contract"
        )
    parent = main_contract(session, order.id, signed=True)
    if parent is None:
        raise Conflict(
            f"{order.number} has no signed contract to supplement; its contract will be drawn "
            "from the changed order"
        )
    live = [s for s in supplementary_of(session, change.id) if s.state != WITHDRAWN]
    if live:
        raise Conflict(f"{change.number} already has supplementary contract {live[0].number}")
    return change, parent
