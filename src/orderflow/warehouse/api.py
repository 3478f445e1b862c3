"""/api/v1/transfers, /api/v1/customer-supplied and /api/v1/stock-counts: thin routes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.warehouse import service, transfers
from orderflow.warehouse.schemas import (
    CountCreate,
    CountRead,
    CountSummary,
    CustomerSuppliedCreate,
    CustomerSuppliedRead,
    CustomerSuppliedSummary,
    TransferCreate,
    TransferRead,
    TransferSummary,
)

transfer_router = APIRouter(prefix="/transfers", tags=["transfers"])
customer_supplied_router = APIRouter(prefix="/customer-supplied", tags=["customer-supplied"])
count_router = APIRouter(prefix="/stock-counts", tags=["stock counts"])


@transfer_router.post("", status_code=status.HTTP_201_CREATED, response_model=TransferRead)
def create_transfer(
    body: TransferCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> TransferRead:
    """Ask a sister company of the group for stock (调拨) instead of buying it (A5)."""
    tr = transfers.create_transfer(rt, me, body)
    response.headers["Location"] = f"/api/v1/transfers/{tr.id}"
    return with_etag(response, tr)


@transfer_router.get("", response_model=Page[TransferSummary])
def list_transfers(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    direction: Literal["in", "out"] | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[TransferSummary]:
    items, nxt = transfers.list_transfers(
        rt, me, state=state, direction=direction, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


add_document_routes(
    transfer_router, service.TRANSFERS, read=service.read_transfer, read_model=TransferRead
)


@customer_supplied_router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=CustomerSuppliedRead
)
def create_customer_supplied(
    body: CustomerSuppliedCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> CustomerSuppliedRead:
    """Customer-supplied material promised for an order (E12), to be counted and signed in (I3)."""
    notice = service.create_customer_supplied(rt, me, body)
    response.headers["Location"] = f"/api/v1/customer-supplied/{notice.id}"
    return with_etag(response, notice)


@customer_supplied_router.get("", response_model=Page[CustomerSuppliedSummary])
def list_customer_supplied(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[CustomerSuppliedSummary]:
    items, nxt = service.list_customer_supplied(rt, me, state=state, limit=limit, cursor=cursor)
    return Page(items=items, next=nxt)


add_document_routes(
    customer_supplied_router,
    service.CUSTOMER_SUPPLIED,
    read=service.read_customer_supplied,
    read_model=CustomerSuppliedRead,
)


@count_router.post("", status_code=status.HTTP_201_CREATED, response_model=CountRead)
def create_count(
    body: CountCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> CountRead:
    """A count sheet of what the books hold in a location (or every storage location)."""
    count = service.create_count(rt, me, body)
    response.headers["Location"] = f"/api/v1/stock-counts/{count.id}"
    return with_etag(response, count)


@count_router.get("", response_model=Page[CountSummary])
def list_counts(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[CountSummary]:
    items, nxt = service.list_counts(rt, me, state=state, limit=limit, cursor=cursor)
    return Page(items=items, next=nxt)


add_document_routes(count_router, service.COUNTS, read=service.read_count, read_model=CountRead)
