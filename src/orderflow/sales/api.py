"""/api/v1/orders: thin routes over sales.service."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query, Response, status

from orderflow.api.deps import IdempotencyKeyDep, IfMatchDep, PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.sales import service
from orderflow.sales.models import Priority
from orderflow.sales.schemas import EventRead, OrderCreate, OrderRead, OrderSummary

router = APIRouter(prefix="/orders", tags=["orders"])


def _etag(response: Response, order: OrderRead) -> OrderRead:
    response.headers["ETag"] = f'"{order.version}"'
    return order


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrderRead)
def create_order(
    body: OrderCreate, rt: RuntimeDep, me: PrincipalDep, response: Response, key: IdempotencyKeyDep
) -> OrderRead:
    """Enter an order. With ``Idempotency-Key`` a retry answers the first result."""
    order = service.create_order(rt, me, body, idempotency_key=key)
    response.headers["Location"] = f"/api/v1/orders/{order.id}"
    return _etag(response, order)


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


@router.get("/{order_id}", response_model=OrderRead)
def get_order(order_id: int, rt: RuntimeDep, me: PrincipalDep, response: Response) -> OrderRead:
    return _etag(response, service.get_order(rt, me, order_id))


@router.post("/{order_id}/transitions/{name}", response_model=OrderRead)
def apply_transition(
    order_id: int,
    name: str,
    rt: RuntimeDep,
    me: PrincipalDep,
    response: Response,
    version: IfMatchDep,
    fields: dict[str, Any] | None = Body(default=None),
) -> OrderRead:
    """Apply a lifecycle step (confirm, ship, deliver, invoice, pay, cancel) with ``If-Match``."""
    return _etag(
        response, service.apply_step(rt, me, order_id, name, fields, expected_version=version)
    )


@router.get("/{order_id}/events", response_model=list[EventRead])
def order_events(order_id: int, rt: RuntimeDep, me: PrincipalDep) -> list[EventRead]:
    return service.order_events(rt, me, order_id)
