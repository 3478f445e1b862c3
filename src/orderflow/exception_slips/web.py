"""Exception slips (异常单) for everyone: mine first, one page per slip with its decision."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from orderflow.core.errors import OrderFlowError, ValidationFailed, validate
from orderflow.exception_slips import service
from orderflow.exception_slips.flow import STATES
from orderflow.exception_slips.schemas import SlipCreate
from orderflow.runtime import Principal
from orderflow.tasks.service import list_tasks
from orderflow.web.documents import DOCUMENT_PAGES, document_routes, form_fields
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)

DOCUMENT_PAGES["exception_slip"] = "/exceptions/{id}"


def _list(
    request: Request,
    me: Principal,
    *,
    mine: bool,
    state: str,
    kind: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    rt = runtime(request)
    slips, nxt = service.list_slips(
        rt, me, mine=mine, state=state or None, kind=kind or None, limit=100
    )
    return render(
        request,
        "exception_slips_list.html",
        status_code=status,
        slips=slips,
        counts=service.exception_counts(rt, me),
        mine=mine,
        state=state,
        kind=kind,
        states=STATES,
        errors=errors or {},
        values=values or {"idempotency_key": str(uuid.uuid4())},
    )


@router.get("/exceptions")
def slips_page(
    request: Request, me: PagePrincipal, mine: bool = False, state: str = "", kind: str = ""
) -> Response:
    return _list(request, me, mine=mine, state=state, kind=kind)


@router.post("/exceptions/new")
async def raise_slip_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = form_fields(form)
    key = values.pop("idempotency_key", None)
    try:
        data = validate(SlipCreate, values)
        slip = await run_in_threadpool(
            service.create_slip, runtime(request), me, data, idempotency_key=key
        )
    except ValidationFailed as exc:
        values["idempotency_key"] = key or str(uuid.uuid4())
        failed = exc
        return await run_in_threadpool(
            lambda: _list(
                request,
                me,
                mine=False,
                state="",
                kind="",
                errors=form_errors(request, failed),
                values=values,
                status=422,
            )
        )
    return RedirectResponse(f"/exceptions/{slip.id}", status_code=303)


def _slip_page(
    request: Request,
    me: Principal,
    slip_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    slip = service.get_slip(rt, me, slip_id)
    return render(
        request,
        "exception_slips_slip.html",
        status_code=status_code,
        slip=slip,
        events=service.slip_events(rt, me, slip_id),
        tasks=list_tasks(rt, me, mine=False, document_type="exception_slip", document_id=slip_id),
        remedies=rt.policy.exceptions.remedies.get(slip.kind, []),
        liabilities=rt.policy.exceptions.liabilities,
        error=error,
        failed_step=step,
    )


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/exceptions", show=_slip_page, apply=service.apply_step)
