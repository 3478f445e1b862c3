"""/api/v1/inspections: incoming, in-process and final inspections (J1–J4)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.quality import service
from orderflow.quality.schemas import (
    InspectionCreate,
    InspectionRead,
    InspectionSummary,
    QualityStats,
)

router = APIRouter(prefix="/inspections", tags=["inspections"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=InspectionRead)
def create_inspection(
    body: InspectionCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> InspectionRead:
    """An in-process or final inspection; incoming ones are opened by goods receipts."""
    insp = service.create_inspection(rt, me, body)
    response.headers["Location"] = f"/api/v1/inspections/{insp.id}"
    return with_etag(response, insp)


@router.get("", response_model=Page[InspectionSummary])
def list_inspections(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    stage: str | None = None,
    q: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[InspectionSummary]:
    items, nxt = service.list_inspections(
        rt, me, state=state, stage=stage, q=q, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


@router.get("/stats", response_model=QualityStats)
def quality_stats(
    rt: RuntimeDep,
    me: PrincipalDep,
    since: date | None = Query(None, description="First day (default: the 1st of this month)"),
    until: date | None = Query(None, description="Last day, included (default: today)"),
) -> QualityStats:
    """Lots passed and failed per stage, and the pass rate of every unit sampled."""
    return service.quality_stats(rt, me, since=since, until=until)


add_document_routes(
    router, service.INSPECTIONS, read=service.read_inspection, read_model=InspectionRead
)
