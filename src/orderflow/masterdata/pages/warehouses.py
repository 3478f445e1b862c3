"""Warehouse pages: the list with a create form, a warehouse with its stock, its ledger and
a stock adjustment form; and the stock of every warehouse at once."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from orderflow.auth.roles import PERMISSIONS
from orderflow.catalog.service import list_products
from orderflow.core.errors import validate
from orderflow.inventory import warehouses as inventory
from orderflow.inventory.schemas import StockAdjustment, WarehouseCreate
from orderflow.masterdata import service
from orderflow.masterdata.forms import Errors, list_with_create_form, post_form, text_values
from orderflow.runtime import Principal
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, runtime

router = APIRouter(include_in_schema=False)

#: Reasons offered for an adjustment (the ledger keeps the code; pages show its name).
REASONS = ("stock_count", "receipt", "damage", "return", "correction")


list_with_create_form(
    router,
    "/warehouses",
    template="masterdata_warehouses.html",
    items=("warehouses", inventory.list_warehouses),
    permission="warehouses.write",
    schema=WarehouseCreate,
    create=inventory.create_warehouse,
    done=lambda saved: f"/warehouses/{saved.id}",
)


def _detail(
    request: Request,
    me: Principal,
    warehouse_id: int,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    warehouse = service.get_warehouse(rt, me, warehouse_id)
    may_edit = me.can(PERMISSIONS["warehouses.write"])
    return render(
        request,
        "masterdata_warehouse.html",
        status_code=status_code,
        warehouse=warehouse,
        stock=inventory.list_stock(rt, me, warehouse_code=warehouse.code),
        moves=service.recent_moves(rt, me, warehouse_id),
        products=list_products(rt, me) if may_edit else [],
        reasons=REASONS,
        # A fresh key per form shown; a refused form keeps its key for the corrected post.
        values=values or {"reason": REASONS[0], "idempotency_key": str(uuid.uuid4())},
        errors=errors or {},
        may_edit=may_edit,
    )


@router.get("/warehouses/{warehouse_id}")
def warehouse_page(request: Request, warehouse_id: int, me: PagePrincipal) -> Response:
    return _detail(request, me, warehouse_id)


@router.post("/warehouses/{warehouse_id}/adjustments")
async def adjust_stock_page(request: Request, warehouse_id: int) -> Response:
    rt = runtime(request)

    def save(me: Principal, form: FormData) -> None:
        warehouse = service.get_warehouse(rt, me, warehouse_id)
        values = text_values(form)
        key = values.pop("idempotency_key", "") or str(uuid.uuid4())
        data = validate(StockAdjustment, {**values, "warehouse_code": warehouse.code})
        service.record_adjustment(rt, me, data, idempotency_key=key)

    return await post_form(
        request,
        permission="warehouses.write",
        save=save,
        again=lambda me, form, errors, status: _detail(
            request, me, warehouse_id, text_values(form), errors, status
        ),
        done=lambda saved: f"/warehouses/{warehouse_id}",
    )


@router.get("/stock")
def stock_page(request: Request, me: PagePrincipal, product_code: str = "") -> Response:
    rows = inventory.list_stock(runtime(request), me, product_code=product_code or None)
    return render(request, "masterdata_stock.html", rows=rows, product_code=product_code)
