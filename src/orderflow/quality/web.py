"""The quality station (质检工作台): lots waiting for inspection, recording results with
their findings, and what the findings raised."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from orderflow.catalog.models import Product
from orderflow.core.errors import NotFound, ValidationFailed, validate
from orderflow.exception_slips.service import list_slips
from orderflow.quality import service
from orderflow.quality.flow import CATEGORIES, SEVERITIES
from orderflow.quality.models import Inspection
from orderflow.quality.schemas import InspectionCreate
from orderflow.runtime import Principal
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

DOCUMENT_PAGES["inspection"] = "/quality/inspections/{id}"


def _station(
    request: Request, me: Principal, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    rt = runtime(request)
    pending, _ = service.list_inspections(rt, me, state="pending", limit=100)
    failed, _ = service.list_inspections(rt, me, state="failed", limit=20)
    recent, _ = service.list_inspections(rt, me, limit=20)
    slips, _ = list_slips(rt, me, kind="quality", state="open", limit=50)
    with rt.db.reading() as s:
        products = s.execute(
            select(Product.id, Product.code, Product.name)
            .where(Product.company_id == me.company_id, Product.active)
            .order_by(Product.code)
        ).all()
    return render(
        request,
        "quality_station.html",
        status_code=status,
        pending=pending,
        failed=failed,
        recent=recent,
        slips=slips,
        stats=service.quality_stats(rt, me),
        products=products,
        errors=errors or {},
    )


@router.get("/quality")
def station_page(request: Request, me: PagePrincipal) -> Response:
    return _station(request, me)


@router.post("/quality/inspections/new")
async def create_inspection_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        data = validate(InspectionCreate, nested_form_fields(form))
        insp = await run_in_threadpool(service.create_inspection, runtime(request), me, data)
    except ValidationFailed as exc:
        return await run_in_threadpool(_station, request, me, form_errors(request, exc), 422)
    return RedirectResponse(f"/quality/inspections/{insp.id}", status_code=303)


@router.get("/quality/inspections/by-number/{number}")
def inspection_by_number(request: Request, number: str, me: PagePrincipal) -> Response:
    rt = runtime(request)
    with rt.db.reading() as s:
        found = s.scalar(
            select(Inspection.id).where(
                Inspection.number == number, service.INSPECTIONS.visible(me)
            )
        )
    if found is None:
        raise NotFound(f"No inspection {number}")
    return RedirectResponse(f"/quality/inspections/{found}", status_code=303)


def _inspection_page(request: Request, me: Principal, insp_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "quality_inspection.html",
        service.INSPECTIONS,
        insp_id,
        insp=service.get_inspection(rt, me, insp_id),
        categories=CATEGORIES,
        severities=SEVERITIES,
        defect_kinds=rt.policy.quality.defect_kinds,
        threshold=rt.policy.thresholds.batch_pass_rate,
        **refused,
    )


def _record_fields(form: FormData) -> dict[str, Any]:
    fields = nested_form_fields(form)
    # A findings row with only its defaults (severity, quantity) but no defect is no finding.
    if isinstance(fields.get("findings"), list):
        fields["findings"] = [f for f in fields["findings"] if f.get("defect")]
    return fields


# The inspection pages and their step forms, after the fixed paths above.
document_routes(
    router,
    "/quality/inspections",
    show=_inspection_page,
    apply=service.inspection_step,
    fields=_record_fields,
)
