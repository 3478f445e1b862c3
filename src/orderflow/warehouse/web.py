"""The warehouse desk (仓库工作台): deliveries expected and waiting for inspection, transfers
to ship and to receive, customer-supplied material to sign in, counts, stock by location."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from orderflow.catalog.models import Product
from orderflow.core.errors import NotFound, OrderFlowError, ValidationFailed, validate
from orderflow.inventory.locations import location_stock
from orderflow.inventory.models import Warehouse
from orderflow.inventory.warehouses import list_stock
from orderflow.org.models import Company
from orderflow.parties.models import Customer
from orderflow.procurement import service as purchasing
from orderflow.procurement.flow import PLACED
from orderflow.quality import service as quality
from orderflow.runtime import Principal
from orderflow.tasks.service import list_tasks
from orderflow.warehouse import service, transfers
from orderflow.warehouse.schemas import CountCreate, CustomerSuppliedCreate, TransferCreate
from orderflow.web.documents import DOCUMENT_PAGES, nested_form_fields, step_from_form
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)

PATHS = {"transfers": "transfers", "customer_supplied": "customer-supplied", "counts": "counts"}
DOCUMENT_PAGES["transfer_order"] = "/warehouse/transfers/{id}"
DOCUMENT_PAGES["customer_supplied"] = "/warehouse/customer-supplied/{id}"
DOCUMENT_PAGES["stock_count"] = "/warehouse/counts/{id}"


def _choices(request: Request, me: Principal) -> dict[str, Any]:
    with runtime(request).db.reading() as s:
        return {
            "warehouses": s.execute(
                select(Warehouse.code, Warehouse.name)
                .where(Warehouse.company_id == me.company_id)
                .order_by(Warehouse.code)
            ).all(),
            "products": s.execute(
                select(Product.code, Product.name, Product.kind)
                .where(Product.company_id == me.company_id, Product.active)
                .order_by(Product.code)
            ).all(),
            "customers": s.execute(
                select(Customer.code, Customer.name)
                .where(Customer.company_id == me.company_id, Customer.active)
                .order_by(Customer.code)
            ).all(),
            "sisters": s.execute(
                select(Company.code, Company.name).where(
                    Company.group_code.in_(
                        select(Company.group_code).where(Company.id == me.company_id)
                    ),
                    Company.id != me.company_id,
                )
            ).all(),
        }


def _desk(
    request: Request,
    me: Principal,
    warehouse: str = "",
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    rt = runtime(request)
    choices = _choices(request, me)
    code = warehouse or (choices["warehouses"][0].code if choices["warehouses"] else "")
    expected, _ = purchasing.list_orders(
        rt, me, state=list(PLACED), due_before=rt.today() + timedelta(days=7), limit=100
    )
    return render(
        request,
        "warehouse_desk.html",
        status_code=status,
        expected=expected,
        inspections=quality.list_inspections(rt, me, state="pending", stage="incoming", limit=100)[
            0
        ],
        outgoing=transfers.list_transfers(rt, me, direction="out", state="requested")[0],
        incoming=[
            tr
            for tr in transfers.list_transfers(rt, me, direction="in")[0]
            if tr.state in ("requested", "shipped")
        ],
        customer_supplied=service.list_customer_supplied(rt, me, state="expected")[0],
        counts=service.list_counts(rt, me)[0],
        stock=list_stock(rt, me, warehouse_code=code or None),
        bins=location_stock(rt, me, code) if code else [],
        warehouse=code,
        errors=errors or {},
        today=rt.today(),
        **choices,
    )


@router.get("/warehouse")
def desk_page(request: Request, me: PagePrincipal, warehouse: str = "") -> Response:
    return _desk(request, me, warehouse)


CREATES: dict[str, tuple[type[BaseModel], Callable[..., Any]]] = {
    "transfers": (TransferCreate, transfers.create_transfer),
    "customer-supplied": (CustomerSuppliedCreate, service.create_customer_supplied),
    "counts": (CountCreate, service.create_count),
}


@router.post("/warehouse/{path}/new")
async def create_page(request: Request, path: str) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    if path not in CREATES:
        return RedirectResponse("/warehouse", status_code=303)
    schema, create = CREATES[path]
    try:
        doc = await run_in_threadpool(
            create, runtime(request), me, validate(schema, nested_form_fields(form))
        )
    except ValidationFailed as exc:
        errors = {f"{path}.{k}": v for k, v in form_errors(request, exc).items()}
        return await run_in_threadpool(lambda: _desk(request, me, "", errors, 422))
    return RedirectResponse(f"/warehouse/{path}/{doc.id}", status_code=303)


_KINDS = {path: kind for kind, path in PATHS.items()}


def _kind(path: str) -> str:
    if path not in _KINDS:
        raise NotFound(f"No warehouse documents at /warehouse/{path}")
    return _KINDS[path]


def _page(
    request: Request,
    me: Principal,
    path: str,
    doc_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    kind = _kind(path)
    doc = service.get(rt, me, kind, doc_id)
    document_type = {
        "transfers": "transfer_order",
        "customer_supplied": "customer_supplied",
        "counts": "stock_count",
    }[kind]
    return render(
        request,
        f"warehouse_{kind}.html",
        status_code=status_code,
        doc=doc,
        path=path,
        events=service.events(rt, me, kind, doc_id),
        tasks=list_tasks(rt, me, mine=False, document_type=document_type, document_id=doc_id),
        error=error,
        failed_step=step,
    )


@router.get("/warehouse/{path}/{doc_id}")
def document_page(request: Request, path: str, doc_id: int, me: PagePrincipal) -> Response:
    if path not in PATHS.values():
        return RedirectResponse("/warehouse", status_code=303)
    return _page(request, me, path, doc_id)


def _fields(form: Any) -> dict[str, Any]:
    fields = nested_form_fields(form)
    if isinstance(fields.get("lines"), list):
        fields["lines"] = [
            row
            for row in fields["lines"]
            if set(row) - {"line_no", "location_code", "product_code"}
        ]
    return fields


@router.post("/warehouse/{path}/{doc_id}/steps/{name}")
async def step_page(request: Request, path: str, doc_id: int, name: str) -> Response:
    rt = runtime(request)
    kind = _kind(path)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.step(
            rt, me, kind, doc_id, name, fields, expected_version=version
        ),
        fields=_fields,
        show_refusal=lambda me, exc: _page(
            request, me, path, doc_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/warehouse/{path}/{doc_id}",
    )
