"""/api/v1/reviews: start an order's review, list reviews, and the document routes."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.review import service
from orderflow.review.schemas import ReviewCreate, ReviewRead, ReviewSummary

router = APIRouter(prefix="/reviews", tags=["reviews"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ReviewRead)
def start_review(
    body: ReviewCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> ReviewRead:
    """Route an order to its departments (C2); orders that must be reviewed start on entry."""
    review = service.start_review(rt, me, body.order_id)
    response.headers["Location"] = f"/api/v1/reviews/{review.id}"
    return with_etag(response, review)


@router.get("", response_model=Page[ReviewSummary])
def list_reviews(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    order_id: int | None = None,
    mine: bool = False,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[ReviewSummary]:
    """Newest first; ``mine=true``: reviews waiting for one of your departments. ``next``
    is the cursor of the following page."""
    items, nxt = service.list_reviews(
        rt, me, state=state, order_id=order_id, mine=mine, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


add_document_routes(
    router, service.REVIEWS, read=service.reader, read_model=ReviewRead, read_needs_runtime=True
)
