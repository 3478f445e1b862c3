"""Contract pages: the list (filed to my department first), one contract with its terms,
PDF, signature upload and steps; drawing a contract (or a supplementary one for a
structural change) with its clauses editable."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from orderflow.contracts import service
from orderflow.contracts.schemas import ContractCreate, ContractDraft, ContractRead
from orderflow.core.errors import FieldError, OrderFlowError, ValidationFailed, validate
from orderflow.files.api import file_response
from orderflow.files.service import FileContent
from orderflow.runtime import Principal
from orderflow.web.documents import (
    document_page,
    document_routes,
    form_version,
)
from orderflow.web.field_errors import form_errors
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


def _draw_page(
    request: Request,
    me: Principal,
    order_id: int,
    *,
    kind: str,
    change_id: int | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    draft = service.contract_draft(runtime(request), me, order_id, kind=kind, change_id=change_id)
    return render(
        request,
        "contracts_new.html",
        status_code=status_code,
        draft=draft,
        values=values,
        errors=errors,
    )


def _drawn(
    form: Any, draft: ContractDraft, order_id: int, kind: str, change_id: int | None
) -> dict[str, Any]:
    """The drawing form as ContractCreate: only clauses whose text differs from the
    template's are sent as edits, so a clause left alone follows a changed date or price."""
    text = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    edits = {}
    for key, clause in draft.terms.items():
        zh = text.get(f"terms.{key}.zh", clause["zh"].strip())
        en = text.get(f"terms.{key}.en", clause["en"].strip())
        if (zh, en) != (clause["zh"].strip(), clause["en"].strip()):
            edits[key] = {"zh": zh, "en": en}
    body: dict[str, Any] = {"order_id": order_id, "kind": kind, "terms": edits}
    if change_id is not None:
        body["change_id"] = change_id
    for name in ("delivery_date", "amount"):
        if text.get(name):
            body[name] = text[name]
    return body


@router.get("/contracts/new")
def draw_contract_page(
    request: Request,
    me: PagePrincipal,
    order_id: int,
    kind: Literal["main", "supplementary"] = "main",
    change_id: int | None = None,
) -> Response:
    try:
        return _draw_page(
            request, me, order_id, kind=kind, change_id=change_id, values={}, errors={}
        )
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        from orderflow.sales.web import _detail as order_detail

        return order_detail(request, me, order_id, error=exc, status_code=exc.status)


@router.post("/contracts/new")
async def draw_contract(
    request: Request,
    order_id: int,
    kind: Literal["main", "supplementary"] = "main",
    change_id: int | None = None,
) -> Response:
    """Draw the contract from the page's form, with the clauses as edited (D3)."""
    rt = runtime(request)
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    try:

        def draw() -> ContractRead:
            draft = service.contract_draft(rt, me, order_id, kind=kind, change_id=change_id)
            body = _drawn(form, draft, order_id, kind, change_id)
            return service.create_contract(rt, me, validate(ContractCreate, body))

        contract = await run_in_threadpool(draw)
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        errors = form_errors(request, exc) or {"form": exc.detail}
        try:
            return await run_in_threadpool(
                partial(
                    _draw_page,
                    request,
                    me,
                    order_id,
                    kind=kind,
                    change_id=change_id,
                    values=values,
                    errors=errors,
                    status_code=exc.status,
                )
            )
        except OrderFlowError:
            # Nothing can be drawn any more (someone drew it meanwhile): say why on the order.
            from orderflow.sales.web import _detail as order_detail

            return await run_in_threadpool(
                partial(order_detail, request, me, order_id, error=exc, status_code=exc.status)
            )
    return RedirectResponse(f"/contracts/{contract.id}", status_code=303)


def _detail(request: Request, me: Principal, contract_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "contracts_contract.html",
        service.CONTRACTS,
        contract_id,
        contract=service.get_contract(rt, me, contract_id),
        today=rt.today().isoformat(),
        **refused,
    )


@router.get("/contracts/{contract_id}/pdf")
def contract_pdf_page(request: Request, contract_id: int, me: PagePrincipal) -> Response:
    name, data = service.contract_pdf(runtime(request), me, contract_id)
    return file_response(FileContent(name, "application/pdf", data))


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


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/contracts", show=_detail, apply=service.apply_step)
