"""Sample and tech pack pages (E10, E11)."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.errors import OrderFlowError, ValidationFailed, validate
from orderflow.runtime import Principal
from orderflow.samples import service
from orderflow.samples.schemas import SampleCreate, TechPackCreate
from orderflow.web.documents import (
    DOCUMENT_PAGES,
    document_page,
    document_routes,
    form_fields,
)
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)
DOCUMENT_PAGES["sample_request"] = "/samples/{id}"
DOCUMENT_PAGES["tech_pack"] = "/tech-packs/{id}"


def _list(
    request: Request,
    me: Principal,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "samples_list.html",
        status_code=status_code,
        found=service.list_samples(runtime(request), me),
        values=values or {},
        errors=errors or {},
        may_create=me.can(PERMISSIONS["samples.create"]),
    )


@router.get("/samples")
def samples_page(request: Request, me: PagePrincipal) -> Response:
    return _list(request, me)


@router.post("/samples/new")
async def create_sample_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = form_fields(form)
    body: dict[str, Any] = dict(values)
    if body.get("due_at"):
        with suppress(ValueError):  # a value that is no time: the schema names it
            moment = datetime.fromisoformat(body["due_at"])
            body["due_at"] = (
                moment if moment.tzinfo else moment.replace(tzinfo=runtime(request).policy.zone)
            ).isoformat()
    try:
        sample = await run_in_threadpool(
            service.create_sample, runtime(request), me, validate(SampleCreate, body)
        )
    except ValidationFailed as exc:
        errors = form_errors(request, exc)
        return await run_in_threadpool(
            partial(_list, request, me, values=values, errors=errors, status_code=422)
        )
    return RedirectResponse(f"/samples/{sample.id}", status_code=303)


def _sample(request: Request, me: Principal, sample_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "samples_sample.html",
        service.SAMPLES,
        sample_id,
        sample=service.get_sample(rt, me, sample_id),
        may_create=me.can(PERMISSIONS["samples.create"]),
        **refused,
    )


@router.post("/samples/{sample_id}/tech-pack")
async def create_pack_page(request: Request, sample_id: int) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    body = {**form_fields(form), "sample_request_id": sample_id}
    try:
        pack = await run_in_threadpool(
            service.create_pack, runtime(request), me, validate(TechPackCreate, body)
        )
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        return await run_in_threadpool(
            partial(
                _sample, request, me, sample_id, error=exc, step="tech_pack", status_code=exc.status
            )
        )
    return RedirectResponse(f"/tech-packs/{pack.id}", status_code=303)


def _pack(request: Request, me: Principal, pack_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "samples_pack.html",
        service.PACKS,
        pack_id,
        pack=service.get_pack(rt, me, pack_id),
        **refused,
    )


def _check_fields(form: Any) -> dict[str, Any]:
    """Checkboxes: ticked means the tech pack matches the sample on that point."""
    fields = form_fields(form, skip=("width_matches", "pattern_matches", "process_matches"))
    for key in ("width_matches", "pattern_matches", "process_matches"):
        fields[key] = form.get(key) == "true"
    return fields


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/samples", show=_sample, apply=service.step_sample)
document_routes(
    router, "/tech-packs", show=_pack, apply=service.step_pack, fields_for={"check": _check_fields}
)
