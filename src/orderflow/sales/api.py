"""/api/v1/orders: thin routes over sales.service."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import IdempotencyKeyDep, PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.sales import service
from orderflow.sales.models import Priority
from orderflow.sales.schemas import OrderCreate, OrderRead, OrderSummary

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrderRead)
def create_order(
    body: OrderCreate, rt: RuntimeDep, me: PrincipalDep, response: Response, key: IdempotencyKeyDep
) -> OrderRead:
    """Enter an order. With ``Idempotency-Key`` a retry answers the first result."""
    order = service.create_order(rt, me, body, idempotency_key=key)
    response.headers["Location"] = f"/api/v1/orders/{order.id}"
    return with_etag(response, order)


@router.get("", response_model=Page[OrderSummary])
def list_orders(
    rt: RuntimeDep,
    me: PrincipalDep,
    q: str | None = None,
    state: str | None = None,
    customer_id: int | None = None,
    priority: Priority | None = None,
    overdue: bool = False,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[OrderSummary]:
    items, nxt = service.list_orders(
        rt,
        me,
        q=q,
        state=state,
        customer_id=customer_id,
        priority=priority,
        overdue=overdue,
        limit=limit,
        cursor=cursor,
    )
    return Page(items=items, next=nxt)


add_document_routes(router, service.ORDERS, read=service.read_order, read_model=OrderRead)
