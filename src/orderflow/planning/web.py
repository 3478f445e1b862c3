"""Planning pages: the board (a Gantt of work centres, late orders marked), materials and
suggestions, production plans with achievement, and promise dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from orderflow.auth.roles import PERMISSIONS
from orderflow.core.access import require
from orderflow.core.errors import ValidationFailed, validate
from orderflow.planning import achievement, monthly, promising, read, service
from orderflow.planning.schemas import PromiseIn
from orderflow.planning.snapshot import Calendar
from orderflow.runtime import Principal
from orderflow.web.documents import form_fields
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)
PROMISE_ROWS = 5


@router.get("/planning")
def board_page(
    request: Request, me: PagePrincipal, start: date | None = None, days: int = 14
) -> Response:
    rt = runtime(request)
    days = max(1, min(days, 92))
    board = read.board(rt, me, start=start, days=days)
    calendar = Calendar(rt.policy.business_calendar, board.start, days=days + 1)
    return render(
        request,
        "planning_board.html",
        board=board,
        closed=[not calendar(d) for d in board.day_labels],
        width=100 / len(board.day_labels),
        earlier=(board.start - timedelta(days=days)).isoformat(),
        later=(board.start + timedelta(days=days)).isoformat(),
        may_run=me.can(PERMISSIONS["planning.run"]),
        explain=promising.explain,
    )


async def _post(request: Request, action: Any, done: str) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    await run_in_threadpool(action, me, form)
    return RedirectResponse(done, status_code=303)


@router.post("/planning/run")
async def run_page(request: Request) -> Response:
    rt = runtime(request)
    return await _post(request, lambda me, form: service.run_planning(rt, me), "/planning")


@router.get("/planning/materials")
def materials_page(request: Request, me: PagePrincipal, order: str = "") -> Response:
    found = read.materials(runtime(request), me, order=order or None)
    return render(
        request,
        "planning_materials.html",
        materials=found,
        order=order,
        may_release=me.can(PERMISSIONS["planning.release_suggestions"]),
    )


@router.post("/planning/suggestions/release")
async def release_page(request: Request) -> Response:
    rt = runtime(request)
    return await _post(
        request, lambda me, form: service.release_suggestions(rt, me), "/planning/materials"
    )


def _monthly(
    request: Request,
    me: Principal,
    month: date,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    return render(
        request,
        "planning_monthly.html",
        status_code=status_code,
        month=month,
        sales=monthly.sales_plan(rt, me, month),
        procurement=monthly.procurement_plan(rt, me, month),
        may_forecast=me.can(PERMISSIONS["planning.forecast"]),
        values=values or {},
        errors=errors or {},
    )


@router.get("/planning/monthly")
def monthly_page(request: Request, me: PagePrincipal, month: str = "") -> Response:
    """E6: the month's sales plan (firm and tentative) and procurement plan."""
    return _monthly(request, me, monthly.parse_month(month, runtime(request).today()))


@router.post("/planning/monthly/forecasts")
async def forecast_page(request: Request) -> Response:
    rt = runtime(request)
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = form_fields(form)
    month = monthly.parse_month(values.get("month"), rt.today())
    try:
        data = validate(monthly.ForecastCreate, values)
        await run_in_threadpool(monthly.add_forecast, rt, me, data)
    except ValidationFailed as exc:
        return await run_in_threadpool(
            _monthly, request, me, month, values, form_errors(request, exc), 422
        )
    return RedirectResponse(f"/planning/monthly?month={month.strftime('%Y-%m')}", status_code=303)


@router.get("/planning/plans")
def plans_page(request: Request, me: PagePrincipal, day: date | None = None) -> Response:
    found = achievement.plans(runtime(request), me, around=day)
    return render(
        request, "planning_plans.html", found=found, may_publish=me.can(PERMISSIONS["planning.run"])
    )


@router.post("/planning/plans/publish")
async def publish_page(request: Request) -> Response:
    rt = runtime(request)
    return await _post(
        request,
        lambda me, form: achievement.publish(
            rt, me, form.getlist("kinds") or ["monthly", "weekly", "daily"]
        ),
        "/planning/plans",
    )


def _promise_page(
    request: Request,
    values: dict[str, Any],
    answer: Any,
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "planning_promise.html",
        status_code=status_code,
        values=values,
        answer=answer,
        errors=errors,
        explain=promising.explain,
    )


@router.get("/planning/promise")
def promise_form(request: Request, me: PagePrincipal) -> Response:
    require(me, "planning.read")
    values = {
        "lines": [{"product_code": "", "quantity": ""} for _ in range(PROMISE_ROWS)],
        "requested_date": "",
    }
    return _promise_page(request, values, None, {})


@router.post("/planning/promise")
async def promise_page(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    codes, quantities = form.getlist("product_code"), form.getlist("quantity")
    lines = [
        {"product_code": str(c).strip(), "quantity": str(q).strip()}
        for c, q in zip(codes, quantities, strict=False)
    ]
    values = {"lines": lines, "requested_date": str(form.get("requested_date") or "")}
    body: dict[str, Any] = {"lines": [ln for ln in lines if ln["product_code"] or ln["quantity"]]}
    if values["requested_date"]:
        body["requested_date"] = values["requested_date"]
    try:
        data = validate(PromiseIn, body)
        answer = await run_in_threadpool(promising.ask, runtime(request), me, data)
    except ValidationFailed as exc:
        errors = form_errors(request, exc)
        return await run_in_threadpool(_promise_page, request, values, None, errors, 422)
    return await run_in_threadpool(_promise_page, request, values, answer, {})
