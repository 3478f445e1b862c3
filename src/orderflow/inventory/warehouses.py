"""Warehouses, stock levels and adjustments (A5). On-hand always equals the sum of the
ledger's moves: every change goes through ``inventory.ledger`` in the caller's transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, FieldErrors, ValidationFailed
from orderflow.inventory import ledger
from orderflow.inventory.models import StockLevel, Warehouse
from orderflow.inventory.schemas import StockAdjustment, StockRead, WarehouseCreate, WarehouseRead
from orderflow.runtime import Principal, Runtime


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def company_warehouse(
    session: Session, company_id: int, code: str | None = None
) -> Warehouse | None:
    """The company's warehouse ``code``, or, with none named, its first by code: where a
    receipt, a transfer, a count or production goes when the caller does not say."""
    query = select(Warehouse).where(Warehouse.company_id == company_id)
    return session.scalar(
        query.where(Warehouse.code == code) if code else query.order_by(Warehouse.code)
    )


def list_warehouses(rt: Runtime, principal: Principal) -> list[WarehouseRead]:
    require(principal, "warehouses.read")
    with rt.db.reading() as s:
        rows = s.scalars(
            select(Warehouse)
            .where(Warehouse.company_id == principal.company_id)
            .order_by(Warehouse.code)
        )
        return [WarehouseRead(id=w.id, code=w.code, name=w.name, address=w.address) for w in rows]


def create_warehouse(rt: Runtime, principal: Principal, data: WarehouseCreate) -> WarehouseRead:
    require(principal, "warehouses.write")
    with rt.db.transaction() as s:
        if s.scalar(
            select(Warehouse.id).where(
                Warehouse.company_id == principal.company_id, Warehouse.code == data.code
            )
        ):
            raise Conflict(
                f"Warehouse {data.code} exists",
                errors=[FieldError("code", "Already used", "duplicate")],
            )
        w = Warehouse(company_id=principal.company_id, **data.model_dump())
        s.add(w)
        s.flush()
        return WarehouseRead(id=w.id, code=w.code, name=w.name, address=w.address)


def list_stock(
    rt: Runtime,
    principal: Principal,
    *,
    warehouse_code: str | None = None,
    product_code: str | None = None,
) -> list[StockRead]:
    require(principal, "warehouses.read")
    query = (
        select(StockLevel, Warehouse, Product)
        .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
        .join(Product, Product.id == StockLevel.product_id)
        .where(Warehouse.company_id == principal.company_id)
    )
    if warehouse_code:
        query = query.where(Warehouse.code == warehouse_code)
    if product_code:
        query = query.where(Product.code == product_code)
    with rt.db.reading() as s:
        held = ledger.held(s, company_id=principal.company_id)
        return [
            StockRead(
                warehouse_code=w.code,
                warehouse_name=w.name,
                product_id=p.id,
                product_code=p.code,
                product_name=p.name,
                unit=p.unit,
                on_hand=_qty(level.on_hand),
                reserved=_qty(level.reserved),
                available=_qty(level.available),
                awaiting_inspection=_qty(held.get((w.id, p.id), {}).get("inspection", Decimal(0))),
                rejected=_qty(held.get((w.id, p.id), {}).get("rejected", Decimal(0))),
            )
            for level, w, p in s.execute(query.order_by(Warehouse.code, Product.code))
        ]


def adjust(
    s: Session, rt: Runtime, principal: Principal, data: StockAdjustment, *, prefix: str = ""
) -> Decimal:
    """Change on-hand by ``quantity`` (never below what is reserved) and write the ledger row.

    Within the caller's transaction (shared by the API and the stock importer). Returns
    the new on-hand.
    """
    problems = FieldErrors()
    warehouse = s.scalar(
        select(Warehouse).where(
            Warehouse.company_id == principal.company_id, Warehouse.code == data.warehouse_code
        )
    )
    product = s.scalar(
        select(Product).where(
            Product.company_id == principal.company_id, Product.code == data.product_code
        )
    )
    if warehouse is None:
        problems.add(prefix + "warehouse_code", "No such warehouse", "unknown_warehouse")
    if product is None:
        problems.add(prefix + "product_code", "No such product", "unknown_product")
    if data.quantity == 0:
        problems.add(prefix + "quantity", "An adjustment changes the quantity", "zero")
    problems.raise_if_any()
    assert warehouse is not None and product is not None
    # Through the ledger: a negative adjustment may not take on-hand below what orders hold.
    move: dict[str, Any] = {
        "warehouse_id": warehouse.id,
        "product_id": product.id,
        "quantity": abs(data.quantity),
        "reason": data.reason,
        "reference": data.reference,
        "at": rt.now(),
        "actor_id": principal.id,
    }
    changed = ledger.receive(s, **move) if data.quantity > 0 else ledger.issue(s, **move)
    if changed is None:
        raise ValidationFailed.of(
            [
                FieldError(
                    prefix + "quantity",
                    "Would leave less on hand than is reserved",
                    "below_reserved",
                )
            ]
        )
    return Decimal(changed)


def adjust_stock(rt: Runtime, principal: Principal, data: StockAdjustment) -> StockRead:
    require(principal, "warehouses.write")
    with rt.db.transaction() as s:
        adjust(s, rt, principal, data)
    found = list_stock(
        rt, principal, warehouse_code=data.warehouse_code, product_code=data.product_code
    )
    return found[0]
