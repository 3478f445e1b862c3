"""/api/v1/planning: plans (E7, E8), the board, materials and suggestions, promise dates
(ATP/CTP), production plans and their achievement (E6)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.core.errors import NotFound
from orderflow.planning import achievement, monthly, promising, read, service
from orderflow.planning.schemas import (
    BoardRead,
    LateOrderRead,
    MaterialsRead,
    PlanRunRead,
    PlansRead,
    PromiseIn,
    PromiseRead,
    PublishIn,
    ReleasedSuggestions,
)

router = APIRouter(prefix="/planning", tags=["planning"])


@router.post("/runs", response_model=PlanRunRead, status_code=status.HTTP_201_CREATED)
def run_plan(rt: RuntimeDep, me: PrincipalDep) -> PlanRunRead:
    """Plan the whole group now: explode the open orders through their BOMs, net against
    the group's stock and open supply, schedule on the work centres (CP-SAT for small
    plans, the heuristic for large ones). The result becomes the current plan."""
    return service.run_planning(rt, me)


@router.get("/runs/current", response_model=PlanRunRead)
def current_run(rt: RuntimeDep, me: PrincipalDep) -> PlanRunRead:
    run = service.latest_run(rt, me)
    if run is None:
        raise NotFound("No plan yet")
    return run


@router.get("/board", response_model=BoardRead)
def board(
    rt: RuntimeDep,
    me: PrincipalDep,
    start: date | None = None,
    days: int = Query(14, ge=1, le=92),
) -> BoardRead:
    """The Gantt board: a row per unit of each work centre, a bar per operation, late
    orders marked; and the late orders with what holds them."""
    return read.board(rt, me, start=start, days=days)


@router.get("/late-orders", response_model=list[LateOrderRead])
def late_orders(rt: RuntimeDep, me: PrincipalDep) -> list[LateOrderRead]:
    return read.board(rt, me, days=1).late


@router.get("/materials", response_model=MaterialsRead)
def materials(rt: RuntimeDep, me: PrincipalDep, order: str | None = None) -> MaterialsRead:
    """Requirements per order (exploded and netted) and the suggested transfers and
    purchase requisitions."""
    return read.materials(rt, me, order=order)


@router.post("/suggestions/release", response_model=ReleasedSuggestions)
def release_suggestions(rt: RuntimeDep, me: PrincipalDep) -> ReleasedSuggestions:
    """Hand the suggestions to procurement: transfers first, then purchase requisitions.
    409 where the procurement area is not installed."""
    return service.release_suggestions(rt, me)


@router.post("/promise", response_model=PromiseRead)
def promise(body: PromiseIn, rt: RuntimeDep, me: PrincipalDep) -> PromiseRead:
    """The earliest ship date for these lines against the current plan, and what limits it."""
    return promising.ask(rt, me, body)


@router.get("/sales-plan", response_model=monthly.SalesPlanRead)
def sales_plan(rt: RuntimeDep, me: PrincipalDep, month: str | None = None) -> monthly.SalesPlanRead:
    """The month's sales plan (E6): firm from the orders due in it, tentative from the
    forecast lines; ``month`` as YYYY-MM, default this month."""
    return monthly.sales_plan(rt, me, monthly.parse_month(month, rt.today()))


@router.post(
    "/sales-plan/forecasts",
    response_model=monthly.ForecastRead,
    status_code=status.HTTP_201_CREATED,
)
def add_forecast(
    body: monthly.ForecastCreate, rt: RuntimeDep, me: PrincipalDep
) -> monthly.ForecastRead:
    """A tentative line of a month's sales plan."""
    return monthly.add_forecast(rt, me, body)


@router.get("/procurement-plan", response_model=monthly.ProcurementPlanRead)
def procurement_plan(
    rt: RuntimeDep, me: PrincipalDep, month: str | None = None
) -> monthly.ProcurementPlanRead:
    """The month's procurement plan (E6): the current plan's suggested purchases and
    transfers needed in it, by material, and what procurement has taken up."""
    return monthly.procurement_plan(rt, me, monthly.parse_month(month, rt.today()))


@router.get("/plans", response_model=PlansRead)
def plans(rt: RuntimeDep, me: PrincipalDep, day: date | None = None) -> PlansRead:
    """Monthly, weekly and daily plans around ``day`` with their achievement and targets."""
    return achievement.plans(rt, me, around=day)


@router.post("/plans", response_model=PlansRead, status_code=status.HTTP_201_CREATED)
def publish_plans(body: PublishIn, rt: RuntimeDep, me: PrincipalDep) -> PlansRead:
    """Publish this month's, this week's and the rolling 3-day daily plans from the
    current plan (today's daily plan, once published, is kept)."""
    return achievement.publish(rt, me, body.kinds)
