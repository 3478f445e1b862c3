"""Cost budget pages (D2): list and draw up, then sign and approve."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.errors import OrderFlowError, validate
from orderflow.costing import service
from orderflow.costing.models import CostBudget
from orderflow.costing.schemas import BudgetCreate
from orderflow.runtime import Principal
from orderflow.sales.flow import CONFIRMED, DRAFT
from orderflow.sales.models import SalesOrder
from orderflow.web.documents import DOCUMENT_PAGES, document_page, document_routes
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)
DOCUMENT_PAGES["cost_budget"] = "/cost-budgets/{id}"


def _list(
    request: Request, me: Principal, *, error: OrderFlowError | None = None, status_code: int = 200
) -> Response:
    rt = runtime(request)
    choices: Sequence[Any] = []
    if me.can(PERMISSIONS["costing.create"]):
        with rt.db.reading() as s:
            budgeted = select(CostBudget.sales_order_id).where(CostBudget.state != "cancelled")
            choices = s.execute(
                select(SalesOrder.id, SalesOrder.number)
                .where(
                    SalesOrder.company_id == me.company_id,
                    SalesOrder.state.in_([DRAFT, CONFIRMED]),
                    SalesOrder.id.not_in(budgeted),
                )
                .order_by(SalesOrder.id.desc())
                .limit(200)
            ).all()
    return render(
        request,
        "costing_list.html",
        status_code=status_code,
        budgets=service.list_budgets(rt, me),
        choices=choices,
        error=error,
    )


@router.get("/cost-budgets")
def budgets_page(request: Request, me: PagePrincipal) -> Response:
    return _list(request, me)


@router.post("/cost-budgets/new")
async def create_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        data = validate(BudgetCreate, {"sales_order_id": form.get("sales_order_id") or None})
        budget = await run_in_threadpool(service.create_budget, runtime(request), me, data)
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        return await run_in_threadpool(
            partial(_list, request, me, error=exc, status_code=exc.status)
        )
    return RedirectResponse(f"/cost-budgets/{budget.id}", status_code=303)


def _detail(request: Request, me: Principal, budget_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "costing_budget.html",
        service.BUDGETS,
        budget_id,
        budget=service.get_budget(rt, me, budget_id),
        **refused,
    )


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/cost-budgets", show=_detail, apply=service.step_budget)
