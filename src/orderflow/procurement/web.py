"""The purchasing desk (采购工作台): requisitions to buy, orders to approve and follow up,
suppliers and their lead times and on-time rates; one page per requisition and order."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from orderflow.catalog.models import Product
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
from orderflow.tasks.service import list_tasks
from orderflow.web.documents import DOCUMENT_PAGES, nested_form_fields, step_from_form
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


def _errors(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


# --- requisitions -----------------------------------------------------------------------------


def _requisition_form(
    request: Request,
    me: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    rt = runtime(request)
    return render(
        request,
        "procurement_requisition_form.html",
        status_code=status,
        values=values,
        errors=errors,
        **_choices(rt, me),
    )


@router.get("/purchasing/requisitions/new")
def new_requisition_page(request: Request, me: PagePrincipal) -> Response:
    rt = runtime(request)
    values = {
        "needed_by": (rt.today() + timedelta(days=14)).isoformat(),
        "idempotency_key": str(uuid.uuid4()),
        "lines": [{}] * 3,
    }
    return _requisition_form(request, me, values, {})


@router.post("/purchasing/requisitions/new")
async def create_requisition_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = nested_form_fields(form)
    key = values.pop("idempotency_key", None)
    values.setdefault("lines", [])
    try:
        data = validate(RequisitionCreate, values)
        req = await run_in_threadpool(
            service.create_requisition, runtime(request), me, data, idempotency_key=key
        )
    except ValidationFailed as exc:
        values["idempotency_key"] = key
        values["lines"] = values["lines"] + [{}] * max(0, 3 - len(values["lines"]))
        return await run_in_threadpool(_requisition_form, request, me, values, _errors(exc), 422)
    return RedirectResponse(f"/purchasing/requisitions/{req.id}", status_code=303)


def _requisition_page(
    request: Request,
    me: Principal,
    req_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    req = service.get_requisition(rt, me, req_id)
    return render(
        request,
        "procurement_requisition.html",
        status_code=status_code,
        req=req,
        events=service.requisition_events(rt, me, req_id),
        tasks=list_tasks(
            rt, me, mine=False, document_type="purchase_requisition", document_id=req_id
        ),
        error=error,
        failed_step=step,
        **_choices(rt, me),
    )


@router.get("/purchasing/requisitions/{req_id}")
def requisition_page(request: Request, req_id: int, me: PagePrincipal) -> Response:
    return _requisition_page(request, me, req_id)


@router.post("/purchasing/requisitions/{req_id}/steps/{name}")
async def requisition_step_page(request: Request, req_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.requisition_step(
            rt, me, req_id, name, fields, expected_version=version
        ),
        fields=step_fields,
        show_refusal=lambda me, exc: _requisition_page(
            request, me, req_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/purchasing/requisitions/{req_id}",
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


def _order_form(
    request: Request,
    me: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    rt = runtime(request)
    return render(
        request,
        "procurement_order_form.html",
        status_code=status,
        values=values,
        errors=errors,
        **_choices(rt, me),
    )


@router.get("/purchasing/orders/new")
def new_order_page(request: Request, me: PagePrincipal) -> Response:
    rt = runtime(request)
    values = {
        "due_date": (rt.today() + timedelta(days=14)).isoformat(),
        "idempotency_key": str(uuid.uuid4()),
        "lines": [{}] * 3,
    }
    return _order_form(request, me, values, {})


@router.post("/purchasing/orders/new")
async def create_order_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = nested_form_fields(form)
    key = values.pop("idempotency_key", None)
    values.setdefault("lines", [])
    try:
        data = validate(OrderCreate, values)
        po = await run_in_threadpool(
            service.create_order, runtime(request), me, data, idempotency_key=key
        )
    except ValidationFailed as exc:
        values["idempotency_key"] = key
        values["lines"] = values["lines"] + [{}] * max(0, 3 - len(values["lines"]))
        return await run_in_threadpool(_order_form, request, me, values, _errors(exc), 422)
    return RedirectResponse(f"/purchasing/orders/{po.id}", status_code=303)


def _order_page(
    request: Request,
    me: Principal,
    po_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    po = service.get_order(rt, me, po_id)
    return render(
        request,
        "procurement_order.html",
        status_code=status_code,
        po=po,
        events=service.order_events(rt, me, po_id),
        tasks=list_tasks(rt, me, mine=False, document_type="purchase_order", document_id=po_id),
        error=error,
        failed_step=step,
        today=rt.today(),
    )


@router.get("/purchasing/orders/{po_id}")
def order_page(request: Request, po_id: int, me: PagePrincipal) -> Response:
    return _order_page(request, me, po_id)


@router.post("/purchasing/orders/{po_id}/steps/{name}")
async def order_step_page(request: Request, po_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.order_step(
            rt, me, po_id, name, fields, expected_version=version
        ),
        fields=step_fields,
        show_refusal=lambda me, exc: _order_page(
            request, me, po_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/purchasing/orders/{po_id}",
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
                errors={e.field: e.message for e in failed.errors} or {"code": failed.detail},
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
                errors={e.field.split(".")[-1]: e.message for e in failed.errors},
                **_choices(rt, me),
            )
        )
    return RedirectResponse(f"/purchasing/suppliers/{supplier_id}", status_code=303)


__all__ = ["PR_STATES", "router"]
