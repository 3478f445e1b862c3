"""Stock across the group's companies (集团, A5): the same material (by product code) held
free at a sister company can be transferred (调拨) before anything is bought."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from orderflow.catalog.models import Product
from orderflow.inventory.models import StockLevel, Warehouse
from orderflow.org.models import Company


@dataclass(frozen=True)
class GroupStock:
    company_id: int
    company_code: str
    product_id: int
    free: Decimal


def sister_companies(session: Session, company_id: int) -> list[Company]:
    """The other companies of this company's group (none if it is in no group)."""
    group = session.scalar(select(Company.group_code).where(Company.id == company_id))
    if not group:
        return []
    return list(
        session.scalars(
            select(Company)
            .where(Company.group_code == group, Company.id != company_id)
            .order_by(Company.code)
        )
    )


def group_free(
    session: Session, *, company_id: int, product_ids: Iterable[int]
) -> dict[int, list[GroupStock]]:
    """For each of this company's products: free stock of the same code at sister companies,
    most first. ``product_id`` in each row is the sister company's own product."""
    sisters = {c.id: c.code for c in sister_companies(session, company_id)}
    product_ids = list(product_ids)
    if not sisters or not product_ids:
        return {}
    mine = aliased(Product)
    theirs = aliased(Product)
    rows = session.execute(
        select(
            mine.id.label("mine"),
            theirs.company_id,
            theirs.id.label("theirs"),
            func.sum(StockLevel.on_hand - StockLevel.reserved).label("free"),
        )
        .join(theirs, theirs.code == mine.code)
        .join(StockLevel, StockLevel.product_id == theirs.id)
        .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
        .where(
            mine.id.in_(product_ids),
            theirs.company_id.in_(list(sisters)),
            Warehouse.company_id == theirs.company_id,
        )
        .group_by(mine.id, theirs.company_id, theirs.id)
    ).all()
    out: dict[int, list[GroupStock]] = defaultdict(list)
    for row in rows:
        free = Decimal(str(row.free or 0))
        if free > 0:
            out[row.mine].append(
                GroupStock(row.company_id, sisters[row.company_id], row.theirs, free)
            )
    for stocks in out.values():
        stocks.sort(key=lambda g: g.free, reverse=True)
    return dict(out)


def counterpart(session: Session, product_id: int, company_id: int) -> Product | None:
    """The same material (by code) in another company of the group."""
    code = session.scalar(select(Product.code).where(Product.id == product_id))
    if code is None:
        return None
    return session.scalar(
        select(Product).where(Product.company_id == company_id, Product.code == code)
    )
