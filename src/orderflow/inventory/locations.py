"""Locations of a warehouse (库位), what lies in each, moves between them, and the ledger."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, FieldErrors, NotFound, ValidationFailed
from orderflow.inventory import ledger
from orderflow.inventory.models import Location, LocationStock, Reservation, StockMove, Warehouse
from orderflow.inventory.schemas import (
    LedgerCheck,
    LocationCreate,
    LocationRead,
    LocationStockRead,
    MoveRead,
    Relocation,
    ReservationRead,
)
from orderflow.runtime import Principal, Runtime


def _q(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _warehouse(s: Session, principal: Principal, code: str) -> Warehouse:
    found = s.scalar(
        select(Warehouse).where(
            Warehouse.company_id == principal.company_id, Warehouse.code == code
        )
    )
    if found is None:
        raise NotFound(f"No warehouse {code}")
    return found


def _read(loc: Location) -> LocationRead:
    return LocationRead(id=loc.id, code=loc.code, name=loc.name, kind=loc.kind, active=loc.active)


def list_locations(rt: Runtime, principal: Principal, warehouse_code: str) -> list[LocationRead]:
    require(principal, "warehouses.read")
    with rt.db.transaction() as s:  # the standard locations are made on first look
        warehouse = _warehouse(s, principal, warehouse_code)
        return [
            _read(loc)
            for loc in sorted(ledger.locations_of(s, warehouse.id).values(), key=lambda x: x.code)
        ]


def create_location(
    rt: Runtime, principal: Principal, warehouse_code: str, data: LocationCreate
) -> LocationRead:
    require(principal, "locations.write")
    with rt.db.transaction() as s:
        warehouse = _warehouse(s, principal, warehouse_code)
        if data.code in ledger.locations_of(s, warehouse.id):
            raise Conflict(
                f"Location {data.code} exists",
                errors=[FieldError("code", "Already used", "duplicate")],
            )
        loc = Location(warehouse_id=warehouse.id, code=data.code, name=data.name, kind=data.kind)
        s.add(loc)
        s.flush()
        return _read(loc)


def location_stock(
    rt: Runtime, principal: Principal, warehouse_code: str, *, product_code: str | None = None
) -> list[LocationStockRead]:
    """What lies in each location of the warehouse (non-zero balances)."""
    require(principal, "warehouses.read")
    with rt.db.reading() as s:
        warehouse = _warehouse(s, principal, warehouse_code)
        query = (
            select(Location, Product, LocationStock.quantity)
            .join(LocationStock, LocationStock.location_id == Location.id)
            .join(Product, Product.id == LocationStock.product_id)
            .where(Location.warehouse_id == warehouse.id, LocationStock.quantity != 0)
            .order_by(Location.code, Product.code)
        )
        if product_code:
            query = query.where(Product.code == product_code)
        return [
            LocationStockRead(
                location_code=loc.code,
                location_kind=loc.kind,
                product_code=p.code,
                product_name=p.name,
                unit=p.unit,
                quantity=_q(qty),
            )
            for loc, p, qty in s.execute(query)
        ]


def relocate(rt: Runtime, principal: Principal, data: Relocation) -> list[LocationStockRead]:
    """Shelve stock elsewhere in the warehouse; on-hand changes only if a location's kind
    differs (never below what is reserved)."""
    require(principal, "locations.write")
    with rt.db.transaction() as s:
        problems = FieldErrors()
        warehouse = _warehouse(s, principal, data.warehouse_code)
        locations = ledger.locations_of(s, warehouse.id)
        product = s.scalar(
            select(Product).where(
                Product.company_id == principal.company_id, Product.code == data.product_code
            )
        )
        for name in ("from_location", "to_location"):
            if getattr(data, name) not in locations:
                problems.add(name, "No such location", "unknown_location")
        if product is None:
            problems.add("product_code", "No such product", "unknown_product")
        if data.from_location == data.to_location:
            problems.add("to_location", "The same location", "same_location")
        problems.raise_if_any()
        assert product is not None
        moved = ledger.relocate(
            s,
            warehouse_id=warehouse.id,
            product_id=product.id,
            quantity=data.quantity,
            from_location_id=locations[data.from_location].id,
            to_location_id=locations[data.to_location].id,
            reason=data.reason,
            reference="relocation",
            at=rt.now(),
            actor_id=principal.id,
        )
        if moved is None:
            raise ValidationFailed.of(
                [
                    FieldError(
                        "quantity",
                        "Not that much in the location (or it is held for orders)",
                        "insufficient_stock",
                    )
                ]
            )
    return location_stock(rt, principal, data.warehouse_code, product_code=data.product_code)


def list_moves(
    rt: Runtime,
    principal: Principal,
    *,
    warehouse_code: str | None = None,
    product_code: str | None = None,
    reference: str | None = None,
    limit: int = 100,
) -> list[MoveRead]:
    """The stock ledger, newest first."""
    require(principal, "warehouses.read")
    query = (
        select(StockMove, Warehouse.code, Location.code, Product.code, User.display_name)
        .join(Warehouse, Warehouse.id == StockMove.warehouse_id)
        .join(Location, Location.id == StockMove.location_id)
        .join(Product, Product.id == StockMove.product_id)
        .outerjoin(User, User.id == StockMove.actor_id)
        .where(Warehouse.company_id == principal.company_id)
        .order_by(StockMove.id.desc())
        .limit(max(1, min(limit, 500)))
    )
    if warehouse_code:
        query = query.where(Warehouse.code == warehouse_code)
    if product_code:
        query = query.where(Product.code == product_code)
    if reference:
        query = query.where(StockMove.reference == reference)
    with rt.db.reading() as s:
        return [
            MoveRead(
                id=m.id,
                at=m.at,
                warehouse_code=w,
                location_code=loc,
                product_code=p,
                quantity=_q(m.quantity),
                reason=m.reason,
                reference=m.reference,
                actor=actor,
            )
            for m, w, loc, p, actor in s.execute(query)
        ]


def check_ledger(rt: Runtime, principal: Principal) -> LedgerCheck:
    """Whether every balance is the sum of its moves (an operator's check, like the audit)."""
    require(principal, "users.read")
    with rt.db.reading() as s:
        problems = ledger.check(s)
    return LedgerCheck(ok=not problems, problems=problems)


def list_reservations(
    rt: Runtime, principal: Principal, *, product_code: str | None = None, limit: int = 200
) -> list[ReservationRead]:
    """What sales orders and agreed transfers to sister companies hold, per line and
    warehouse, newest first (``order_number`` is the order's or the transfer's number)."""
    from orderflow.sales.models import SalesOrder, SalesOrderLine
    from orderflow.warehouse.models import TransferLine, TransferOrder

    require(principal, "warehouses.read")
    query = (
        select(
            Reservation,
            func.coalesce(SalesOrder.number, TransferOrder.number),
            func.coalesce(SalesOrderLine.line_no, TransferLine.line_no),
            Warehouse.code,
            Product.code,
        )
        .outerjoin(SalesOrderLine, SalesOrderLine.id == Reservation.order_line_id)
        .outerjoin(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .outerjoin(TransferLine, TransferLine.id == Reservation.transfer_line_id)
        .outerjoin(TransferOrder, TransferOrder.id == TransferLine.transfer_id)
        .join(Warehouse, Warehouse.id == Reservation.warehouse_id)
        .join(Product, Product.id == Reservation.product_id)
        .where(Warehouse.company_id == principal.company_id)
        .order_by(Reservation.id.desc())
        .limit(max(1, min(limit, 500)))
    )
    if product_code:
        query = query.where(Product.code == product_code)
    with rt.db.reading() as s:
        return [
            ReservationRead(
                order_number=number,
                line_no=line_no,
                warehouse_code=warehouse,
                product_code=product,
                quantity=_q(res.quantity),
                created_at=res.created_at,
            )
            for res, number, line_no, warehouse, product in s.execute(query)
        ]
