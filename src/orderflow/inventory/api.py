"""/api/v1/warehouses and /api/v1/stock."""

from __future__ import annotations

from fastapi import APIRouter, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.inventory import warehouses as service
from orderflow.inventory.schemas import StockAdjustment, StockRead, WarehouseCreate, WarehouseRead

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
