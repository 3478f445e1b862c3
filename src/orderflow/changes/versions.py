"""Every version of an order (G2): snapshots, and applying a change notice's patch.

A snapshot is plain JSON (header fields and lines by number), so versions can be diffed
by ``changes.flow.diff`` without the database. Version 1 is the order as it stood before
its first change; if anything else changed the order since the last version (a split, a
substitution, an accepted quote), that state is kept as a version of its own first.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product, list_price
from orderflow.changes.flow import HEADER_FIELDS, ChangePatch
from orderflow.changes.models import OrderVersion
from orderflow.core.errors import FieldErrors
from orderflow.core.events import Actor, jsonable
from orderflow.inventory import service as stock
from orderflow.parties.models import Customer
from orderflow.sales.flow import DRAFT, line_amount, order_total
from orderflow.sales.models import SalesOrder, SalesOrderLine


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def snapshot(order: SalesOrder) -> dict[str, Any]:
    header = {key: getattr(order, key) for key in HEADER_FIELDS}
    header.update(
        promised_date=order.promised_date,
        total=_num(order.total_amount),
        regularity=order.regularity,
    )
    lines = {
        str(ln.line_no): {
            "product_code": ln.product.code,
            "quantity": _num(ln.quantity),
            "unit_price": _num(ln.unit_price),
            "amount": _num(ln.amount),
        }
        for ln in order.lines
    }
    return jsonable({"header": header, "lines": lines})


def versions(session: Session, order_id: int) -> list[OrderVersion]:
    return list(
        session.scalars(
            select(OrderVersion)
            .where(OrderVersion.order_id == order_id)
            .order_by(OrderVersion.version_no)
        )
    )


def record_version(
    session: Session,
    order: SalesOrder,
    *,
    reason: str,
    actor: Actor,
    now: datetime,
    change_id: int | None = None,
) -> int:
    """Keep the order as it stands now; returns its version number (the same number again
    when nothing changed since the last version)."""
    session.flush()
    current = snapshot(order)
    last = session.scalar(
        select(OrderVersion)
        .where(OrderVersion.order_id == order.id)
        .order_by(OrderVersion.version_no.desc())
        .limit(1)
    )
    if last is not None and last.snapshot == current:
        return last.version_no
    number = (
        session.scalar(
            select(func.max(OrderVersion.version_no)).where(OrderVersion.order_id == order.id)
        )
        or 0
    ) + 1
    session.add(
        OrderVersion(
            order_id=order.id,
            version_no=number,
            snapshot=current,
            reason=reason if number > 1 or change_id is None else "original",
            change_id=change_id if number > 1 else None,
            created_at=now,
            created_by_name=actor.name,
        )
    )
    session.flush()
    return number


def apply_patch(
    session: Session, order: SalesOrder, patch: ChangePatch, *, now: datetime
) -> list[str]:
    """Change the order as the patch says; lines whose quantity or product changed on a
    confirmed order give back their reservation and reserve again. Returns what changed."""
    problems = FieldErrors()
    changed: list[str] = []
    for key in HEADER_FIELDS:
        value = getattr(patch, key)
        if value is not None and value != getattr(order, key):
            setattr(order, key, value)
            changed.append(key)
    by_no = {ln.line_no: ln for ln in order.lines}
    codes = {ln.product_code for ln in patch.lines if ln.product_code}
    products = {
        p.code: p
        for p in session.scalars(
            select(Product).where(Product.company_id == order.company_id, Product.code.in_(codes))
        )
    }
    price_list = (
        session.scalar(select(Customer.price_list).where(Customer.id == order.customer_id)) or "STD"
    )
    to_reserve: list[SalesOrderLine] = []
    for i, item in enumerate(patch.lines):
        where = f"patch.lines[{i}]"
        product = products.get(item.product_code or "") if item.product_code else None
        if item.product_code and (product is None or not product.sellable):
            problems.add(f"{where}.product_code", "No such product for sale", "unknown_product")
            continue
        if item.line_no is None:
            assert product is not None and item.quantity is not None
            price = item.unit_price
            if price is None:
                price = list_price(product.prices, price_list, item.quantity)
            if price is None:
                problems.add(f"{where}.unit_price", "No list price; give one", "no_price")
                continue
            added = SalesOrderLine(
                line_no=max(by_no, default=0) + 1,
                product=product,
                product_id=product.id,
                description=product.name,
                quantity=item.quantity,
                unit_price=price,
                amount=line_amount(item.quantity, price),
            )
            order.lines.append(added)
            by_no[added.line_no] = added
            to_reserve.append(added)
            changed.append(f"lines[{added.line_no}] added")
            continue
        line = by_no.get(item.line_no)
        if line is None:
            problems.add(f"{where}.line_no", "No such line on this order", "unknown_line")
            continue
        if item.remove:
            if line.shipped_quantity > 0:
                problems.add(f"{where}.remove", "Part of this line has shipped", "shipped")
                continue
            stock.release(session, line_ids=[line.id])
            order.lines.remove(line)
            changed.append(f"lines[{line.line_no}] removed")
            continue
        if product is not None and product.id != line.product_id:
            if line.shipped_quantity > 0:
                problems.add(f"{where}.product_code", "Part of this line has shipped", "shipped")
                continue
            line.product, line.product_id, line.description = product, product.id, product.name
            to_reserve.append(line)
            changed.append(f"lines[{line.line_no}].product_code")
        if item.quantity is not None and item.quantity != line.quantity:
            if item.quantity < line.shipped_quantity:
                problems.add(
                    f"{where}.quantity",
                    f"{line.shipped_quantity} have shipped already",
                    "below_shipped",
                )
                continue
            line.quantity = item.quantity
            to_reserve.append(line)
            changed.append(f"lines[{line.line_no}].quantity")
        if item.unit_price is not None and item.unit_price != line.unit_price:
            line.unit_price = item.unit_price
            changed.append(f"lines[{line.line_no}].unit_price")
        line.amount = line_amount(line.quantity, line.unit_price)
    problems.raise_if_any()
    order.total_amount = order_total(ln.amount for ln in order.lines)
    if order.state != DRAFT and to_reserve:
        session.flush()
        stock.release(session, line_ids=[ln.id for ln in to_reserve])
        for ln in to_reserve:
            ln.reserved_quantity = Decimal(0)
        wants = [stock.Want(ln.id, ln.product_id, ln.unreserved) for ln in to_reserve]
        reserved, _ = stock.reserve(
            session, company_id=order.company_id, wants=[w for w in wants if w.quantity > 0], at=now
        )
        for ln in to_reserve:
            ln.reserved_quantity += reserved.get(ln.id, Decimal(0))
    return changed
