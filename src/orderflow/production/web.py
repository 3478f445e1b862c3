"""Production pages: instructions (release, breakdown, coordination), production orders
(progress, completion, outsourcing), the shop floor (phone-friendly reporting) and work
centres."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.errors import OrderFlowError, ValidationFailed, validate
from orderflow.core.kit import document_events
from orderflow.inventory.models import Warehouse
from orderflow.parties.models import Customer
from orderflow.planning.promising import explain
from orderflow.production import masterdata, read, service
from orderflow.production.flow import MILESTONES
from orderflow.production.models import ProductionInstruction
from orderflow.production.schemas import OutsourcingCreate, ReleaseIn
from orderflow.runtime import Principal, Runtime
from orderflow.sales.flow import CONFIRMED, PARTIALLY_SHIPPED
from orderflow.sales.models import SalesOrder
from orderflow.tasks.service import list_tasks
from orderflow.web.documents import DOCUMENT_PAGES, form_fields, step_from_form
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)
DOCUMENT_PAGES["production_instruction"] = "/production/instructions/{id}"
DOCUMENT_PAGES["production_order"] = "/production/orders/{id}"
DOCUMENT_PAGES["outsourcing_request"] = "/production/outsourcing/{id}"

READINESS = ("people", "machines", "materials", "subcontracting", "purchasing", "design")


def _aware(value: str, zone: ZoneInfo) -> str:
    """A datetime-local input ("2026-11-26T10:00") as a time in the company's zone."""
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()


def _fields(rt: Runtime, name: str, form: Any) -> dict[str, Any]:
    """A step form's inputs as the step's fields: checkboxes as booleans, local times
    with the company's zone."""
    fields = form_fields(form, skip=READINESS)
    for key in ("proposed_at", "new_due_at"):
        if key in fields:
            # A value that is no time stays as given: the step's schema names it.
            with suppress(ValueError):
                fields[key] = _aware(fields[key], rt.policy.zone)
    if name == "check_readiness":
        fields.update({key: form.get(key) == "true" for key in READINESS})
    return fields


def _release_choices(rt: Runtime, me: Principal) -> list[Any]:
    """Confirmed orders of the company without a production instruction yet."""
    with rt.db.reading() as s:
        released = select(ProductionInstruction.sales_order_id).where(
            ProductionInstruction.company_id == me.company_id,
            ProductionInstruction.state != "cancelled",
        )
        return list(
            s.execute(
                select(
                    SalesOrder.id,
                    SalesOrder.number,
                    Customer.name,
                    SalesOrder.requested_date,
                    SalesOrder.priority,
                )
                .join(Customer, Customer.id == SalesOrder.customer_id)
                .where(
                    SalesOrder.company_id == me.company_id,
                    SalesOrder.state.in_([CONFIRMED, PARTIALLY_SHIPPED]),
                    SalesOrder.id.not_in(released),
                )
                .order_by(SalesOrder.requested_date)
                .limit(200)
            ).all()
        )


def _list_page(
    request: Request, me: Principal, *, error: OrderFlowError | None = None, status_code: int = 200
) -> Response:
    rt = runtime(request)
    return render(
        request,
        "production_list.html",
        status_code=status_code,
        instructions=read.list_instructions(rt, me),
        choices=_release_choices(rt, me) if me.can(PERMISSIONS["production.release"]) else [],
        error=error,
        explain=explain,
    )


@router.get("/production")
def production_page(request: Request, me: PagePrincipal) -> Response:
    return _list_page(request, me)


@router.post("/production/release")
async def release_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    body = {
        "sales_order_id": form.get("sales_order_id") or None,
        "complete_set": form.get("complete_set") == "true",
        "non_regular": form.get("non_regular") == "true",
        "note": str(form.get("note") or ""),
    }
    try:
        pi = await run_in_threadpool(
            service.release, runtime(request), me, validate(ReleaseIn, body)
        )
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        return await run_in_threadpool(
            partial(_list_page, request, me, error=exc, status_code=exc.status)
        )
    return RedirectResponse(f"/production/instructions/{pi.id}", status_code=303)


def _instruction(
    request: Request,
    me: Principal,
    pi_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    pi = service.get_instruction(rt, me, pi_id)
    return render(
        request,
        "production_instruction.html",
        status_code=status_code,
        pi=pi,
        events=document_events(rt, me, service.INSTRUCTIONS, pi_id),
        tasks=list_tasks(
            rt,
            me,
            mine=False,
            state="open",
            document_type="production_instruction",
            document_id=pi_id,
        ),
        error=error,
        failed_step=step,
        milestones=MILESTONES,
        readiness=READINESS,
        explain=explain,
    )


@router.get("/production/instructions/{pi_id}")
def instruction_page(request: Request, pi_id: int, me: PagePrincipal) -> Response:
    return _instruction(request, me, pi_id)


@router.post("/production/instructions/{pi_id}/steps/{name}")
async def instruction_step(request: Request, pi_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.step_instruction(
            rt, me, pi_id, name, fields, expected_version=version
        ),
        fields=partial(_fields, rt, name),
        show_refusal=lambda me, exc: _instruction(
            request, me, pi_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/production/instructions/{pi_id}",
    )


@router.get("/production/orders")
def orders_page(request: Request, me: PagePrincipal, state: str = "", q: str = "") -> Response:
    found = read.list_orders(runtime(request), me, state=state or None, q=q or None)
    return render(request, "production_orders.html", orders=found, state=state, q=q)


def _order(
    request: Request,
    me: Principal,
    mo_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    mo = service.get_order(rt, me, mo_id)
    with rt.db.reading() as s:
        warehouses = s.scalars(
            select(Warehouse.code)
            .where(Warehouse.company_id == me.company_id)
            .order_by(Warehouse.id)
        ).all()
    return render(
        request,
        "production_order.html",
        status_code=status_code,
        mo=mo,
        events=document_events(rt, me, service.ORDERS, mo_id),
        tasks=list_tasks(
            rt, me, mine=False, state="open", document_type="production_order", document_id=mo_id
        ),
        warehouses=warehouses,
        error=error,
        failed_step=step,
        may_outsource=me.can(PERMISSIONS["production.outsource"])
        and mo.state in ("released", "in_progress"),
        explain=explain,
    )


@router.get("/production/orders/{mo_id}")
def order_page(request: Request, mo_id: int, me: PagePrincipal) -> Response:
    return _order(request, me, mo_id)


@router.post("/production/orders/{mo_id}/steps/{name}")
async def order_step(request: Request, mo_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.step_order(
            rt, me, mo_id, name, fields, expected_version=version
        ),
        fields=partial(_fields, rt, name),
        show_refusal=lambda me, exc: _order(
            request, me, mo_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/production/orders/{mo_id}",
    )


@router.post("/production/orders/{mo_id}/outsource")
async def outsource_page(request: Request, mo_id: int) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    body = {**form_fields(form), "production_order_id": mo_id}
    try:
        made = await run_in_threadpool(
            service.request_outsourcing, runtime(request), me, validate(OutsourcingCreate, body)
        )
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        return await run_in_threadpool(
            partial(_order, request, me, mo_id, error=exc, step="outsource", status_code=exc.status)
        )
    return RedirectResponse(f"/production/outsourcing/{made.id}", status_code=303)


def _outsourcing(
    request: Request,
    me: Principal,
    request_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    from orderflow.core.kit import get_document

    doc = get_document(rt, me, service.OUTSOURCING, request_id, service.read_outsourcing)
    return render(
        request,
        "production_outsourcing.html",
        status_code=status_code,
        doc=doc,
        events=document_events(rt, me, service.OUTSOURCING, request_id),
        tasks=list_tasks(
            rt,
            me,
            mine=False,
            state="open",
            document_type="outsourcing_request",
            document_id=request_id,
        ),
        error=error,
        failed_step=step,
    )


@router.get("/production/outsourcing/{request_id}")
def outsourcing_page(request: Request, request_id: int, me: PagePrincipal) -> Response:
    return _outsourcing(request, me, request_id)


@router.post("/production/outsourcing/{request_id}/steps/{name}")
async def outsourcing_step(request: Request, request_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.step_outsourcing(
            rt, me, request_id, name, fields, expected_version=version
        ),
        show_refusal=lambda me, exc: _outsourcing(
            request, me, request_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/production/outsourcing/{request_id}",
    )


@router.get("/production/work-centres")
def centres_page(request: Request, me: PagePrincipal) -> Response:
    return render(
        request,
        "production_centres.html",
        centres=masterdata.list_work_centres(runtime(request), me),
    )


# --- the shop floor ---------------------------------------------------------------------


def _floor(
    request: Request,
    me: Principal,
    centre: str,
    *,
    error: OrderFlowError | None = None,
    done: str = "",
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    ops = read.shop_floor(rt, me)
    centres = sorted({op.work_centre_code for op in ops})
    shown = [op for op in ops if not centre or op.work_centre_code == centre]
    return render(
        request,
        "production_floor.html",
        status_code=status_code,
        ops=shown,
        centres=centres,
        centre=centre,
        error=error,
        done=done,
        may_report=me.can(frozenset({"production", "production_manager", "admin"})),
    )


@router.get("/shopfloor")
def floor_page(request: Request, me: PagePrincipal, centre: str = "", done: str = "") -> Response:
    return _floor(request, me, centre, done=done)


@router.post("/shopfloor/report")
async def floor_report(request: Request) -> Response:
    """One report from the floor: no version check, so two people at different operations
    of one order never refuse each other."""
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    centre = str(form.get("centre") or "")
    try:
        mo_id = int(str(form.get("order_id") or "0"))
        fields = {k: v for k, v in form_fields(form, skip=("order_id", "centre")).items()}
        mo = await run_in_threadpool(service.report_progress, runtime(request), me, mo_id, fields)
    except ValueError as exc:
        raise ValidationFailed.of([]) from exc
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        return await run_in_threadpool(
            partial(_floor, request, me, centre, error=exc, status_code=exc.status)
        )
    return RedirectResponse(
        f"/shopfloor?centre={centre}&done={mo.number}/{fields.get('seq', '')}", status_code=303
    )
