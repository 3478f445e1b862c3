"""Stock-up notice pages (B9): issue one from an order (what it says, who may), the list,
and one notice with its lines, its order's production instruction task and its timeline."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from orderflow.core.errors import OrderFlowError, validate
from orderflow.core.kit import document_events
from orderflow.runtime import Principal
from orderflow.stockup import service
from orderflow.stockup.schemas import StockUpCreate
from orderflow.tasks.service import list_tasks
from orderflow.web.documents import document_routes, form_fields
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/stock-up-notices")
def stock_ups_page(request: Request, me: PagePrincipal, cursor: str | None = None) -> Response:
    items, nxt = service.list_stock_ups(runtime(request), me, cursor=cursor)
    return render(request, "stockup_list.html", items=items, next_cursor=nxt)


def _new_page(
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
        "stockup_new.html",
        status_code=status_code,
        order=get_order(rt, me, order_id),
        values=values,
        errors=errors,
        instruction_due=rt.policy.deadlines.get("production_instruction", ""),
    )


@router.get("/stock-up-notices/new")
def new_stock_up_page(request: Request, me: PagePrincipal, order_id: int) -> Response:
    return _new_page(request, me, order_id, values={}, errors={})


@router.post("/stock-up-notices/new")
async def issue_stock_up_page(request: Request, order_id: int) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = form_fields(form)
    try:
        data = validate(StockUpCreate, {**values, "order_id": order_id})
        notice = await run_in_threadpool(service.issue_stock_up, runtime(request), me, data)
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        errors = form_errors(request, exc) or {"form": exc.detail}
        return await run_in_threadpool(
            partial(
                _new_page,
                request,
                me,
                order_id,
                values=values,
                errors=errors,
                status_code=exc.status,
            )
        )
    return RedirectResponse(f"/stock-up-notices/{notice.id}", status_code=303)


def _detail(
    request: Request,
    me: Principal,
    notice_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    notice = service.get_stock_up(rt, me, notice_id)
    return render(
        request,
        "stockup_notice.html",
        status_code=status_code,
        notice=notice,
        events=document_events(rt, me, service.STOCK_UPS, notice_id),
        # The task the notice sets going lives on the order: production's instruction.
        instruction=[
            task
            for task in list_tasks(
                rt,
                me,
                mine=False,
                state=None,
                document_type="sales_order",
                document_id=notice.order_id,
            )
            if task.kind == "production_instruction"
        ],
        error=error,
        failed_step=step,
    )


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/stock-up-notices", show=_detail, apply=service.apply_step)
