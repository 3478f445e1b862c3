"""Change-notice pages (the list, a new notice from the order, one notice with its steps
and the customer's approval upload), the order's versions with the diff of any two, and
design error notices (report one from the order, the list, one notice where each
department confirms)."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from orderflow.changes import design_errors, service
from orderflow.changes.schemas import ChangeCreate, DesignErrorCreate
from orderflow.core.errors import FieldError, OrderFlowError, ValidationFailed, validate
from orderflow.runtime import Principal
from orderflow.web.documents import document_page, document_routes, form_fields
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/changes")
def changes_page(request: Request, me: PagePrincipal, cursor: str | None = None) -> Response:
    items, nxt = service.list_changes(runtime(request), me, cursor=cursor)
    return render(request, "changes_list.html", items=items, next_cursor=nxt)


@router.get("/changes/new")
def new_change_page(request: Request, me: PagePrincipal, order_id: int) -> Response:
    from orderflow.sales.service import get_order

    order = get_order(runtime(request), me, order_id)
    return render(request, "changes_new.html", order=order, values={}, errors={})


def _body(order_id: int, form: Any) -> dict[str, Any]:
    def text(name: str) -> str:
        return str(form.get(name) or "").strip()

    patch: dict[str, Any] = {
        k: text(k)
        for k in ("requested_date", "delivery_address", "technical_requirements", "notes")
        if text(k)
    }
    line: dict[str, Any] = {
        k: text(f"line_{k}") for k in ("line_no", "product_code", "quantity", "unit_price")
    }
    line = {k: v for k, v in line.items() if v}
    if text("line_remove"):
        line["remove"] = True
    if line:
        patch["lines"] = [line]
    return {
        "order_id": order_id,
        "description": text("description"),
        "technical": bool(text("technical")),
        "patch": patch,
    }


@router.post("/changes/new")
async def create_change_page(request: Request, order_id: int) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    rt = runtime(request)
    try:
        data = validate(ChangeCreate, _body(order_id, form))
        change = await run_in_threadpool(service.create_change, rt, me, data)
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        from orderflow.sales.service import get_order

        order = await run_in_threadpool(get_order, rt, me, order_id)
        errors = form_errors(request, exc) or {"description": exc.detail}
        return render(
            request,
            "changes_new.html",
            status_code=exc.status,
            order=order,
            values=dict(form),
            errors=errors,
        )
    return RedirectResponse(f"/changes/{change.id}", status_code=303)


def _detail(request: Request, me: Principal, change_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "changes_change.html",
        service.CHANGES,
        change_id,
        change=service.get_change(rt, me, change_id),
        **refused,
    )


@router.post("/changes/{change_id}/approval")
async def approval_page(request: Request, change_id: int) -> Response:
    rt = runtime(request)
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile):
                raise ValidationFailed.of(
                    [FieldError("file", "Choose the file to upload", "missing")]
                )
            data = await upload.read()
            await run_in_threadpool(
                lambda: service.attach_approval(
                    rt, me, change_id, filename=upload.filename or "approval", data=data
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
                    change_id,
                    error=exc,
                    step="approval",
                    status_code=exc.status,
                )
            )
    finally:
        await form.close()  # the upload's temporary file
    return RedirectResponse(f"/changes/{change_id}", status_code=303)


@router.get("/orders/{order_id}/versions")
def versions_page(
    request: Request, order_id: int, me: PagePrincipal, a: int | None = None, b: int | None = None
) -> Response:
    rt = runtime(request)
    versions = service.order_versions(rt, me, order_id)
    last = versions[-1].version_no
    a = a or max(1, last - 1)
    b = b or last
    diff = service.version_diff(rt, me, order_id, a, b) if len(versions) > 1 else None
    return render(
        request, "changes_versions.html", order_id=order_id, versions=versions, a=a, b=b, diff=diff
    )


# --- design error notices (G4) -------------------------------------------------------------


@router.get("/design-errors")
def design_errors_page(
    request: Request, me: PagePrincipal, mine: bool = False, cursor: str | None = None
) -> Response:
    items, nxt = design_errors.list_design_errors(runtime(request), me, mine=mine, cursor=cursor)
    return render(request, "changes_design_errors.html", items=items, mine=mine, next_cursor=nxt)


def _new_design_error_page(
    request: Request,
    me: Principal,
    order_id: int,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    from orderflow.sales.service import get_order

    rt = runtime(request)
    return render(
        request,
        "changes_design_error_new.html",
        status_code=status_code,
        order=get_order(rt, me, order_id),
        departments=rt.policy.changes.design_error_notify,
        deadline=rt.policy.deadlines.get("design_error_ack", ""),
        values=values,
        errors=errors,
    )


@router.get("/design-errors/new")
def new_design_error_page(request: Request, me: PagePrincipal, order_id: int) -> Response:
    return _new_design_error_page(request, me, order_id, values={}, errors={})


@router.post("/design-errors/new")
async def issue_design_error_page(request: Request, order_id: int) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = form_fields(form)
    try:
        data = validate(DesignErrorCreate, {**values, "order_id": order_id})
        notice = await run_in_threadpool(
            design_errors.issue_design_error, runtime(request), me, data
        )
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        errors = form_errors(request, exc) or {"form": exc.detail}
        return await run_in_threadpool(
            partial(
                _new_design_error_page,
                request,
                me,
                order_id,
                values=values,
                errors=errors,
                status_code=exc.status,
            )
        )
    return RedirectResponse(f"/design-errors/{notice.id}", status_code=303)


def _design_error_detail(
    request: Request, me: Principal, notice_id: int, **refused: Any
) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "changes_design_error.html",
        design_errors.DESIGN_ERRORS,
        notice_id,
        notice=design_errors.get_design_error(rt, me, notice_id),
        **refused,
    )


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/changes", show=_detail, apply=service.apply_step)
document_routes(
    router, "/design-errors", show=_design_error_detail, apply=design_errors.design_error_step
)
