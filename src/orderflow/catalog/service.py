"""Product use cases: list, read, create, update — company-scoped."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import Money
from orderflow.catalog.models import PriceListEntry, Product
from orderflow.catalog.schemas import (
    PriceIn,
    PriceRead,
    ProductCreate,
    ProductFields,
    ProductRead,
    ProductUpdate,
)
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, FieldErrors, NotFound
from orderflow.runtime import Principal, Runtime


def product_read(p: Product) -> ProductRead:
    return ProductRead(
        id=p.id,
        code=p.code,
        name=p.name,
        model_spec=p.model_spec,
        unit=p.unit,
        kind=p.kind,
        active=p.active,
        lead_time_days=p.lead_time_days,
        prices=[
            PriceRead(
                price_list=e.price_list,
                min_quantity=f"{e.min_quantity.normalize():f}",
                unit_price=Money.of(e.unit_price, e.currency),
            )
            for e in p.prices
        ],
    )


def _query(principal: Principal) -> Any:
    return (
        select(Product)
        .where(Product.company_id == principal.company_id)
        .options(selectinload(Product.prices))
    )


def list_products(
    rt: Runtime,
    principal: Principal,
    *,
    q: str | None = None,
    kind: str | None = None,
    active: bool | None = None,
    limit: int = 200,
) -> list[ProductRead]:
    require(principal, "products.read")
    query = _query(principal)
    if q:
        like = f"%{q.strip()}%"
        query = query.where(
            or_(Product.code.ilike(like), Product.name.ilike(like), Product.model_spec.ilike(like))
        )
    if kind:
        query = query.where(Product.kind == kind)
    if active is not None:
        query = query.where(Product.active == active)
    with rt.db.reading() as s:
        return [
            product_read(p) for p in s.scalars(query.order_by(Product.code).limit(min(limit, 1000)))
        ]


def _load(s: Session, principal: Principal, product_id: int) -> Product:
    product = s.scalar(_query(principal).where(Product.id == product_id))
    if product is None:
        raise NotFound(f"No product {product_id}")
    return product


def get_product(rt: Runtime, principal: Principal, product_id: int) -> ProductRead:
    require(principal, "products.read")
    with rt.db.reading() as s:
        return product_read(_load(s, principal, product_id))


def _apply(product: Product, data: ProductFields) -> None:
    problems = FieldErrors()
    for name, value in data.model_dump(exclude_unset=True, exclude={"prices", "code"}).items():
        if value is None and name in ("name", "unit", "kind", "active", "lead_time_days"):
            problems.add(name, "May not be empty", "missing")
        else:
            setattr(product, name, value)
    if data.prices is not None:
        keys = [(p.price_list, p.min_quantity) for p in data.prices]
        if len(keys) != len(set(keys)):
            problems.add("prices", "Two prices for the same list and quantity", "duplicate_price")
        else:
            product.prices = _entries(product.prices, data.prices)
    problems.raise_if_any()


def _entries(current: list[PriceListEntry], wanted: list[PriceIn]) -> list[PriceListEntry]:
    """The new price list, keeping each row whose (list, minimum quantity) stays.

    Changed in place rather than replaced: the unit of work inserts before it deletes, so a
    new row with an old row's key would break the unique key on every plain re-save.
    """
    kept = {(e.price_list, e.min_quantity): e for e in current}
    out = []
    for price in wanted:
        entry = kept.get((price.price_list, price.min_quantity)) or PriceListEntry(
            price_list=price.price_list, min_quantity=price.min_quantity
        )
        entry.unit_price = price.unit_price
        entry.currency = price.currency
        out.append(entry)
    return out


def add_product(s: Session, rt: Runtime, principal: Principal, data: ProductCreate) -> Product:
    if s.scalar(
        select(Product.id).where(
            Product.company_id == principal.company_id, Product.code == data.code
        )
    ):
        raise Conflict(
            f"Product code {data.code} is taken",
            errors=[FieldError("code", "Already used", "duplicate")],
        )
    product = Product(
        company_id=principal.company_id,
        code=data.code,
        name=data.name,
        model_spec="",
        unit="pcs",
        kind="finished",
        active=True,
        lead_time_days=0,
        created_at=rt.now(),
    )
    _apply(product, data)
    s.add(product)
    s.flush()
    return product


def change_product(s: Session, product: Product, data: ProductUpdate) -> Product:
    _apply(product, data)
    s.flush()
    return product


def create_product(rt: Runtime, principal: Principal, data: ProductCreate) -> ProductRead:
    require(principal, "products.write")
    with rt.db.transaction() as s:
        return product_read(add_product(s, rt, principal, data))


def update_product(
    rt: Runtime, principal: Principal, product_id: int, data: ProductUpdate
) -> ProductRead:
    require(principal, "products.write")
    with rt.db.transaction() as s:
        return product_read(change_product(s, _load(s, principal, product_id), data))
