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
from orderflow.web.documents import DOCUMENT_PAGES, document_page, form_fields, step_from_form
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
        errors = {e.field: e.message for e in exc.errors}
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


@router.get("/samples/{sample_id}")
def sample_page(request: Request, sample_id: int, me: PagePrincipal) -> Response:
    return _sample(request, me, sample_id)


@router.post("/samples/{sample_id}/steps/{name}")
async def sample_step(request: Request, sample_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.step_sample(
            rt, me, sample_id, name, fields, expected_version=version
        ),
        show_refusal=lambda me, exc: _sample(
            request, me, sample_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/samples/{sample_id}",
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


@router.get("/tech-packs/{pack_id}")
def pack_page(request: Request, pack_id: int, me: PagePrincipal) -> Response:
    return _pack(request, me, pack_id)


def _check_fields(form: Any) -> dict[str, Any]:
    """Checkboxes: ticked means the tech pack matches the sample on that point."""
    fields = form_fields(form, skip=("width_matches", "pattern_matches", "process_matches"))
    for key in ("width_matches", "pattern_matches", "process_matches"):
        fields[key] = form.get(key) == "true"
    return fields


@router.post("/tech-packs/{pack_id}/steps/{name}")
async def pack_step(request: Request, pack_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.step_pack(
            rt, me, pack_id, name, fields, expected_version=version
        ),
        fields=_check_fields if name == "check" else form_fields,
        show_refusal=lambda me, exc: _pack(
            request, me, pack_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/tech-packs/{pack_id}",
    )
