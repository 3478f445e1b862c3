"""/api/v1/changes (change notices), /api/v1/orders/{id}/versions (G1-G3) and
/api/v1/design-errors (G4)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, UploadFile, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.changes import design_errors, service
from orderflow.changes.schemas import (
    ChangeCreate,
    ChangeRead,
    ChangeSummary,
    DesignErrorCreate,
    DesignErrorRead,
    DesignErrorSummary,
    VersionDiff,
    VersionRead,
)

router = APIRouter(prefix="/changes", tags=["changes"])
versions_router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ChangeRead)
def create_change(
    body: ChangeCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> ChangeRead:
    """A change notice (合同订单更改通知单): its 30-minute answer task opens (G1)."""
    change = service.create_change(rt, me, body)
    response.headers["Location"] = f"/api/v1/changes/{change.id}"
    return with_etag(response, change)


@router.get("", response_model=Page[ChangeSummary])
def list_changes(
    rt: RuntimeDep,
    me: PrincipalDep,
    order_id: int | None = None,
    state: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[ChangeSummary]:
    """Newest first; ``next`` is the cursor of the following page."""
    items, nxt = service.list_changes(
        rt, me, order_id=order_id, state=state, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


@router.post("/{doc_id}/approval", response_model=ChangeRead)
async def upload_approval(
    doc_id: int, file: UploadFile, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> ChangeRead:
    """The customer's written approval of a technical change (PDF or image, G3)."""
    data = await file.read()
    from starlette.concurrency import run_in_threadpool

    change = await run_in_threadpool(
        service.attach_approval, rt, me, doc_id, filename=file.filename or "approval", data=data
    )
    return with_etag(response, change)


add_document_routes(
    router, service.CHANGES, read=service.reader, read_model=ChangeRead, read_needs_runtime=True
)


@versions_router.get("/{order_id}/versions", response_model=list[VersionRead])
def order_versions(order_id: int, rt: RuntimeDep, me: PrincipalDep) -> list[VersionRead]:
    """Every kept version of the order, oldest first."""
    return service.order_versions(rt, me, order_id)


@versions_router.get("/{order_id}/versions/diff", response_model=VersionDiff)
def version_diff(order_id: int, a: int, b: int, rt: RuntimeDep, me: PrincipalDep) -> VersionDiff:
    """What changed between versions ``a`` and ``b``."""
    return service.version_diff(rt, me, order_id, a, b)


design_errors_router = APIRouter(prefix="/design-errors", tags=["design errors"])


@design_errors_router.post("", status_code=status.HTTP_201_CREATED, response_model=DesignErrorRead)
def issue_design_error(
    body: DesignErrorCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> DesignErrorRead:
    """设计差错通知 (G4): production, quality and supply are told, each confirms it knows;
    an exception slip is raised when the exceptions area is installed."""
    notice = design_errors.issue_design_error(rt, me, body)
    response.headers["Location"] = f"/api/v1/design-errors/{notice.id}"
    return with_etag(response, notice)


@design_errors_router.get("", response_model=Page[DesignErrorSummary])
def list_design_errors(
    rt: RuntimeDep,
    me: PrincipalDep,
    order_id: int | None = None,
    state: str | None = None,
    mine: bool = False,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[DesignErrorSummary]:
    """Newest first; ``mine=true``: still to be confirmed by one of your departments."""
    items, nxt = design_errors.list_design_errors(
        rt, me, order_id=order_id, state=state, mine=mine, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


add_document_routes(
    design_errors_router,
    design_errors.DESIGN_ERRORS,
    read=design_errors.read_design_error,
    read_model=DesignErrorRead,
)
