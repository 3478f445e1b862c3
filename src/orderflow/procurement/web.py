"""The purchasing desk (采购工作台): requisitions to buy, orders to approve and follow up,
suppliers and their lead times and on-time rates; one page per requisition and order."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import OrderFlowError, ValidationFailed, validate
from orderflow.inventory.models import Warehouse
from orderflow.procurement import service, suppliers
from orderflow.procurement.flow import PLACED, PO_STATES, PR_STATES
from orderflow.procurement.models import Supplier
from orderflow.procurement.schemas import (
    OrderCreate,
    RequisitionCreate,
    SupplierCreate,
    SupplierUpdate,
)
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder
from orderflow.web.documents import (
    DOCUMENT_PAGES,
    document_page,
    document_routes,
    nested_form_fields,
)
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)

DOCUMENT_PAGES["purchase_order"] = "/purchasing/orders/{id}"
DOCUMENT_PAGES["purchase_requisition"] = "/purchasing/requisitions/{id}"


@router.get("/purchasing")
def desk_page(request: Request, me: PagePrincipal, q: str = "", state: str = "") -> Response:
    rt = runtime(request)
    open_reqs, _ = service.list_requisitions(rt, me, state="open", limit=100)
    orders, nxt = service.list_orders(rt, me, q=q or None, state=state or None, limit=100)
    follow_up, _ = service.list_orders(rt, me, state=list(PLACED), limit=100)
    approvals, _ = service.list_orders(rt, me, state="pending_approval", limit=100)
    rates = suppliers.performance(rt, me)
    return render(
        request,
        "procurement_desk.html",
        requisitions=open_reqs,
        orders=orders,
        follow_up=follow_up,
        approvals=approvals,
        rates=rates,
        q=q,
        state=state,
        states=PO_STATES,
        today=rt.today(),
    )


# --- choices for the forms --------------------------------------------------------------------


def _choices(rt: Runtime, me: Principal) -> dict[str, Any]:
    with rt.db.reading() as s:
        return {
            "suppliers": s.execute(
                select(Supplier.id, Supplier.code, Supplier.name)
                .where(Supplier.company_id == me.company_id, Supplier.active)
                .order_by(Supplier.code)
            ).all(),
            "products": s.execute(
                select(Product.id, Product.code, Product.name, Product.unit)
                .where(Product.company_id == me.company_id, Product.active)
                .order_by(Product.code)
            ).all(),
            "warehouses": s.execute(
                select(Warehouse.code, Warehouse.name)
                .where(Warehouse.company_id == me.company_id)
                .order_by(Warehouse.code)
            ).all(),
            "sales_orders": s.execute(
                select(SalesOrder.id, SalesOrder.number)
                .where(
                    SalesOrder.company_id == me.company_id,
                    SalesOrder.state.in_(["confirmed", "partially_shipped"]),
                )
                .order_by(SalesOrder.id.desc())
                .limit(200)
            ).all(),
        }


def step_fields(form: Any) -> dict[str, Any]:
    """A step form's fields; a line row left blank (only its hidden line number) is no line,
    and no lines at all means "the default" (a receipt: everything outstanding)."""
    fields = nested_form_fields(form)
    for key in ("lines",):
        if isinstance(fields.get(key), list):
            rows = [row for row in fields[key] if set(row) - {"line_no"}]
            if rows:
                fields[key] = rows
            else:
                del fields[key]
    return fields


# --- requisitions -----------------------------------------------------------------------------


#: Empty line rows on a new requisition or purchase order form.
BLANK_LINES = 3


def _entry_form_routes(
    path: str,
    *,
    template: str,
    date_field: str,
    schema: type[BaseModel],
    create: Callable[..., Any],
    permission: str,
) -> None:
    """``GET {path}/new``: the entry form, due in two weeks, with empty line rows, for those
    with ``permission`` (it lists the suppliers and products); ``POST``:
    create once per form (its Idempotency-Key), or show the form again with every failing
    field named. Declared before ``{path}/{id}`` so "new" is never taken for an id."""

    def form(
        request: Request, me: Principal, values: dict[str, Any], errors: Any, status: int = 200
    ) -> Response:
        return render(
            request,
            template,
            status_code=status,
            values=values,
            errors=errors,
            **_choices(runtime(request), me),
        )

    def new_page(request: Request, me: PagePrincipal) -> Response:
        require(me, permission)
        values = {
            date_field: (runtime(request).today() + timedelta(days=14)).isoformat(),
            "idempotency_key": str(uuid.uuid4()),
            "lines": [{}] * BLANK_LINES,
        }
        return form(request, me, values, {})

    async def create_page(request: Request) -> Response:
        me = await run_in_threadpool(page_principal, request)
        posted = await request.form()
        check_csrf(request, str(posted.get("csrf_token") or ""))
        values = nested_form_fields(posted)
        key = values.pop("idempotency_key", None)
        values.setdefault("lines", [])
        try:
            data = validate(schema, values)
            made = await run_in_threadpool(create, runtime(request), me, data, idempotency_key=key)
        except ValidationFailed as exc:
            values["idempotency_key"] = key
            values["lines"] += [{}] * max(0, BLANK_LINES - len(values["lines"]))
            return await run_in_threadpool(
                form, request, me, values, form_errors(request, exc), 422
            )
        return RedirectResponse(f"{path}/{made.id}", status_code=303)

    router.add_api_route(f"{path}/new", new_page, methods=["GET"])
    router.add_api_route(f"{path}/new", create_page, methods=["POST"])


_entry_form_routes(
    "/purchasing/requisitions",
    template="procurement_requisition_form.html",
    date_field="needed_by",
    schema=RequisitionCreate,
    create=service.create_requisition,
    permission="requisitions.create",
)
_entry_form_routes(
    "/purchasing/orders",
    template="procurement_order_form.html",
    date_field="due_date",
    schema=OrderCreate,
    create=service.create_order,
    permission="purchase_orders.create",
)


def _requisition_page(request: Request, me: Principal, req_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "procurement_requisition.html",
        service.REQUISITIONS,
        req_id,
        req=service.get_requisition(rt, me, req_id),
        **_choices(rt, me),
        **refused,
    )


@router.post("/purchasing/requisitions/{req_id}/order")
async def order_from_requisition_page(request: Request, req_id: int) -> Response:
    """Buy a requisition's open lines from one supplier: a draft purchase order."""
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    rt = runtime(request)
    fields = nested_form_fields(form)
    req = await run_in_threadpool(service.get_requisition, rt, me, req_id)
    try:
        data = validate(OrderCreate, {**fields, "from_requisitions": [req.number]})
        po = await run_in_threadpool(service.create_order, rt, me, data)
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        failed = exc
        return await run_in_threadpool(
            lambda: _requisition_page(
                request, me, req_id, error=failed, step="order", status_code=failed.status
            )
        )
    return RedirectResponse(f"/purchasing/orders/{po.id}", status_code=303)


# --- purchase orders --------------------------------------------------------------------------


def _order_page(request: Request, me: Principal, po_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "procurement_order.html",
        service.ORDERS,
        po_id,
        po=service.get_order(rt, me, po_id),
        today=rt.today(),
        **refused,
    )


# --- suppliers --------------------------------------------------------------------------------


@router.get("/purchasing/suppliers")
def suppliers_page(request: Request, me: PagePrincipal, q: str = "") -> Response:
    rt = runtime(request)
    return render(
        request,
        "procurement_suppliers.html",
        suppliers=suppliers.list_suppliers(rt, me, q_text=q or None),
        q=q,
        errors={},
        values={},
    )


@router.post("/purchasing/suppliers")
async def create_supplier_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = nested_form_fields(form)
    rt = runtime(request)
    try:
        made = await run_in_threadpool(
            suppliers.create_supplier, rt, me, validate(SupplierCreate, values)
        )
    except OrderFlowError as exc:
        if exc.status == 403:
            raise
        failed = exc
        return await run_in_threadpool(
            lambda: render(
                request,
                "procurement_suppliers.html",
                status_code=failed.status,
                suppliers=suppliers.list_suppliers(rt, me),
                q="",
                errors=form_errors(request, failed) or {"code": failed.detail},
                values=values,
            )
        )
    return RedirectResponse(f"/purchasing/suppliers/{made.id}", status_code=303)


@router.get("/purchasing/suppliers/{supplier_id}")
def supplier_page(request: Request, supplier_id: int, me: PagePrincipal) -> Response:
    rt = runtime(request)
    return render(
        request,
        "procurement_supplier.html",
        supplier=suppliers.get_supplier(rt, me, supplier_id),
        orders=service.list_orders(rt, me, supplier_id=supplier_id, limit=50)[0],
        errors={},
        **_choices(rt, me),
    )


@router.post("/purchasing/suppliers/{supplier_id}/items")
async def supplier_item_page(request: Request, supplier_id: int) -> Response:
    """Add or change one row of the lead-time table (the rest stays as it is)."""
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    rt = runtime(request)
    item = nested_form_fields(form)
    current = await run_in_threadpool(suppliers.get_supplier, rt, me, supplier_id)
    rows = [
        {
            "product_code": i.product_code,
            "lead_time_days": i.lead_time_days,
            "unit_price": i.unit_price,
            "min_quantity": i.min_quantity,
        }
        for i in current.items
        if i.product_code != item.get("product_code")
    ]
    try:
        data = validate(SupplierUpdate, {"items": [*rows, item]})
        await run_in_threadpool(suppliers.update_supplier, rt, me, supplier_id, data)
    except OrderFlowError as exc:
        if exc.status in (403, 404):
            raise
        failed = exc
        return await run_in_threadpool(
            lambda: render(
                request,
                "procurement_supplier.html",
                status_code=failed.status,
                supplier=current,
                orders=[],
                errors={k.split(".")[-1]: v for k, v in form_errors(request, failed).items()},
                **_choices(rt, me),
            )
        )
    return RedirectResponse(f"/purchasing/suppliers/{supplier_id}", status_code=303)


__all__ = ["PR_STATES", "router"]


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(
    router,
    "/purchasing/requisitions",
    show=_requisition_page,
    apply=service.requisition_step,
    fields=step_fields,
)
document_routes(
    router, "/purchasing/orders", show=_order_page, apply=service.order_step, fields=step_fields
)
