"""/api/v1/exceptions: exception slips (异常单) of every area, and their counts for the KPIs."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import IdempotencyKeyDep, PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.exception_slips import service
from orderflow.exception_slips.schemas import ExceptionCounts, SlipCreate, SlipRead, SlipSummary

router = APIRouter(prefix="/exceptions", tags=["exceptions"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SlipRead)
def create_slip(
    body: SlipCreate, rt: RuntimeDep, me: PrincipalDep, response: Response, key: IdempotencyKeyDep
) -> SlipRead:
    """Raise a slip by hand; areas raise theirs through the ``raise_exception`` port."""
    slip = service.create_slip(rt, me, body, idempotency_key=key)
    response.headers["Location"] = f"/api/v1/exceptions/{slip.id}"
    return with_etag(response, slip)


@router.get("", response_model=Page[SlipSummary])
def list_slips(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    kind: str | None = None,
    mine: bool = False,
    overdue: bool = False,
    source_number: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[SlipSummary]:
    items, nxt = service.list_slips(
        rt,
        me,
        state=state,
        kind=kind,
        mine=mine,
        overdue=overdue,
        source_number=source_number,
        limit=limit,
        cursor=cursor,
    )
    return Page(items=items, next=nxt)


@router.get("/counts", response_model=ExceptionCounts)
def exception_counts(
    rt: RuntimeDep,
    me: PrincipalDep,
    since: date | None = Query(None, description="First day (default: the 1st of this month)"),
    until: date | None = Query(None, description="Last day, included (default: today)"),
) -> ExceptionCounts:
    """Slips raised in the period by kind (states, liability, cost) and by KPI class (N2)."""
    return service.exception_counts(rt, me, since=since, until=until)


add_document_routes(router, service.SLIPS, read=service.read_slip, read_model=SlipRead)
