"""Contract pages: the list (filed to my department first), one contract with its terms,
PDF, signature upload and steps; new contracts from the order page."""

from __future__ import annotations

from datetime import date
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from orderflow.contracts import service
from orderflow.contracts.schemas import ContractCreate
from orderflow.core.errors import FieldError, OrderFlowError, ValidationFailed
from orderflow.core.kit import document_events
from orderflow.files.api import file_response
from orderflow.files.service import FileContent
from orderflow.review.web import create_from_order
from orderflow.runtime import Principal
from orderflow.tasks.service import list_tasks
from orderflow.web.documents import form_fields, form_version, step_from_form
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/contracts")
def contracts_page(
    request: Request, me: PagePrincipal, everyone: bool = False, cursor: str | None = None
) -> Response:
    items, nxt = service.list_contracts(
        runtime(request), me, filed_to_me=not everyone, cursor=cursor
    )
    return render(request, "contracts_list.html", items=items, everyone=everyone, next_cursor=nxt)


def _detail(
    request: Request,
    me: Principal,
    contract_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    return render(
        request,
        "contracts_contract.html",
        status_code=status_code,
        contract=service.get_contract(rt, me, contract_id),
        events=document_events(rt, me, service.CONTRACTS, contract_id),
        tasks=list_tasks(
            rt, me, mine=False, state="open", document_type="contract", document_id=contract_id
        ),
        today=rt.today().isoformat(),
        error=error,
        failed_step=step,
    )


@router.get("/contracts/{contract_id}")
def contract_page(request: Request, contract_id: int, me: PagePrincipal) -> Response:
    return _detail(request, me, contract_id)


@router.get("/contracts/{contract_id}/pdf")
def contract_pdf_page(request: Request, contract_id: int, me: PagePrincipal) -> Response:
    name, data = service.contract_pdf(runtime(request), me, contract_id)
    return file_response(FileContent(name, "application/pdf", data))


@router.post("/contracts/{contract_id}/steps/{name}")
async def contract_step(request: Request, contract_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.apply_step(
            rt, me, contract_id, name, fields, expected_version=version
        ),
        fields=form_fields,
        show_refusal=lambda me, exc: _detail(
            request, me, contract_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/contracts/{contract_id}",
    )


@router.post("/contracts/{contract_id}/signature")
async def signature_page(request: Request, contract_id: int) -> Response:
    """The signed contract's scan from the page's upload form (multipart)."""
    rt = runtime(request)
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile):
                raise ValidationFailed.of(
                    [FieldError("file", "Choose the scan to upload", "missing")]
                )
            signed_on = str(form.get("signed_on") or "").strip()
            data = await upload.read()
            await run_in_threadpool(
                lambda: service.upload_signature(
                    rt,
                    me,
                    contract_id,
                    filename=upload.filename or "signature",
                    data=data,
                    signatory=str(form.get("signatory") or "").strip(),
                    signed_on=date.fromisoformat(signed_on) if signed_on else None,
                    expected_version=form_version(form),
                )
            )
        except OrderFlowError as exc:
            if exc.status == 404:
                raise
            return await run_in_threadpool(
                partial(
                    _detail,
                    request,
                    me,
                    contract_id,
                    error=exc,
                    step="record_signature",
                    status_code=exc.status,
                )
            )
    finally:
        await form.close()  # the upload's temporary file
    return RedirectResponse(f"/contracts/{contract_id}", status_code=303)


@router.post("/orders/{order_id}/contract")
async def new_contract_page(request: Request, order_id: int) -> Response:
    rt = runtime(request)
    return await create_from_order(
        request,
        order_id,
        lambda me, form: service.create_contract(rt, me, ContractCreate(order_id=order_id)),
        "/contracts/{id}",
    )
