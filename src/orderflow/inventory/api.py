"""/api/v1/warehouses and /api/v1/stock."""

from __future__ import annotations

from fastapi import APIRouter, Query, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.inventory import locations
from orderflow.inventory import warehouses as service
from orderflow.inventory.schemas import (
    LedgerCheck,
    LocationCreate,
    LocationRead,
    LocationStockRead,
    MoveRead,
    Relocation,
    ReservationRead,
    StockAdjustment,
    StockRead,
    WarehouseCreate,
    WarehouseRead,
)

router = APIRouter(tags=["stock"])


@router.get("/warehouses", response_model=Page[WarehouseRead])
def list_warehouses(rt: RuntimeDep, me: PrincipalDep) -> Page[WarehouseRead]:
    return Page(items=service.list_warehouses(rt, me), next=None)


@router.post("/warehouses", response_model=WarehouseRead, status_code=status.HTTP_201_CREATED)
def create_warehouse(body: WarehouseCreate, rt: RuntimeDep, me: PrincipalDep) -> WarehouseRead:
    return service.create_warehouse(rt, me, body)


@router.get("/stock", response_model=Page[StockRead])
def list_stock(
    rt: RuntimeDep,
    me: PrincipalDep,
    warehouse_code: str | None = None,
    product_code: str | None = None,
) -> Page[StockRead]:
    return Page(
        items=service.list_stock(rt, me, warehouse_code=warehouse_code, product_code=product_code),
        next=None,
    )


@router.post("/stock/adjustments", response_model=StockRead, status_code=status.HTTP_201_CREATED)
def adjust_stock(body: StockAdjustment, rt: RuntimeDep, me: PrincipalDep) -> StockRead:
    """Change on-hand with a reason; written to the stock ledger."""
    return service.adjust_stock(rt, me, body)


@router.get("/warehouses/{code}/locations", response_model=Page[LocationRead])
def list_locations(code: str, rt: RuntimeDep, me: PrincipalDep) -> Page[LocationRead]:
    """The warehouse's locations: MAIN (storage), QC (awaiting inspection), REJ (rejects)
    and any shelves added."""
    return Page(items=locations.list_locations(rt, me, code), next=None)


@router.post(
    "/warehouses/{code}/locations",
    response_model=LocationRead,
    status_code=status.HTTP_201_CREATED,
)
def create_location(
    code: str, body: LocationCreate, rt: RuntimeDep, me: PrincipalDep
) -> LocationRead:
    return locations.create_location(rt, me, code, body)


@router.get("/warehouses/{code}/location-stock", response_model=Page[LocationStockRead])
def location_stock(
    code: str, rt: RuntimeDep, me: PrincipalDep, product_code: str | None = None
) -> Page[LocationStockRead]:
    return Page(items=locations.location_stock(rt, me, code, product_code=product_code), next=None)


@router.post(
    "/stock/relocations",
    response_model=Page[LocationStockRead],
    status_code=status.HTTP_201_CREATED,
)
def relocate(body: Relocation, rt: RuntimeDep, me: PrincipalDep) -> Page[LocationStockRead]:
    """Move stock between two locations of a warehouse; written to the ledger."""
    return Page(items=locations.relocate(rt, me, body), next=None)


@router.get("/stock/moves", response_model=Page[MoveRead])
def list_moves(
    rt: RuntimeDep,
    me: PrincipalDep,
    warehouse_code: str | None = None,
    product_code: str | None = None,
    reference: str | None = None,
    limit: int = Query(100, ge=1, le=500),
) -> Page[MoveRead]:
    """The stock ledger (every move, newest first)."""
    return Page(
        items=locations.list_moves(
            rt,
            me,
            warehouse_code=warehouse_code,
            product_code=product_code,
            reference=reference,
            limit=limit,
        ),
        next=None,
    )


@router.get("/stock/ledger-check", response_model=LedgerCheck)
def ledger_check(rt: RuntimeDep, me: PrincipalDep) -> LedgerCheck:
    """Every balance against the sum of its moves (administrators)."""
    return locations.check_ledger(rt, me)


@router.get("/stock/reservations", response_model=Page[ReservationRead])
def list_reservations(
    rt: RuntimeDep, me: PrincipalDep, product_code: str | None = None
) -> Page[ReservationRead]:
    """What confirmed orders hold, per order line and warehouse."""
    return Page(items=locations.list_reservations(rt, me, product_code=product_code), next=None)
