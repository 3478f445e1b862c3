"""/api/v1/stock-up-notices (B9)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.stockup import service
from orderflow.stockup.schemas import StockUpCreate, StockUpRead, StockUpSummary

router = APIRouter(prefix="/stock-up-notices", tags=["stock-up notices"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StockUpRead)
def issue_stock_up(
    body: StockUpCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> StockUpRead:
    """备货通知单: the order becomes effective before its contract and production is told
    (B9); order management, the production manager or the general manager issue it."""
    notice = service.issue_stock_up(rt, me, body)
    response.headers["Location"] = f"/api/v1/stock-up-notices/{notice.id}"
    return with_etag(response, notice)


@router.get("", response_model=Page[StockUpSummary])
def list_stock_ups(
    rt: RuntimeDep,
    me: PrincipalDep,
    order_id: int | None = None,
    state: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[StockUpSummary]:
    """Newest first; ``next`` is the cursor of the following page."""
    items, nxt = service.list_stock_ups(
        rt, me, order_id=order_id, state=state, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


add_document_routes(router, service.STOCK_UPS, read=service.read_stock_up, read_model=StockUpRead)
