"""/api/v1/cost-budgets (D2)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from orderflow.api.deps import IdempotencyKeyDep, PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.costing import service
from orderflow.costing.schemas import BudgetCreate, BudgetRead, BudgetSummary

router = APIRouter(prefix="/cost-budgets", tags=["costing"])


@router.post("", response_model=BudgetRead, status_code=status.HTTP_201_CREATED)
def create_budget(
    body: BudgetCreate, rt: RuntimeDep, me: PrincipalDep, response: Response, key: IdempotencyKeyDep
) -> BudgetRead:
    """Draw up an order's cost budget from its BOMs and routings: material use × quantity
    × (1 + overage) and labour; then sales, purchasing and planning sign, the GM approves."""
    budget = service.create_budget(rt, me, body, idempotency_key=key)
    response.headers["Location"] = f"/api/v1/cost-budgets/{budget.id}"
    return with_etag(response, budget)


@router.get("", response_model=Page[BudgetSummary])
def list_budgets(
    rt: RuntimeDep, me: PrincipalDep, sales_order_id: int | None = None, state: str | None = None
) -> Page[BudgetSummary]:
    return Page(items=service.list_budgets(rt, me, sales_order_id=sales_order_id, state=state))


add_document_routes(router, service.BUDGETS, read=service.read_budget, read_model=BudgetRead)
