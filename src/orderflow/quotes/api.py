"""/api/v1/quotes: quote requests, their steps, and the PDF."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.files.api import file_response
from orderflow.files.service import FileContent
from orderflow.quotes import service
from orderflow.quotes.schemas import QuoteCreate, QuoteRead, QuoteSummary

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=QuoteRead)
def create_quote(
    body: QuoteCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> QuoteRead:
    """A quote request (报价申请单) for an order, or for a customer's enquiry with lines."""
    quote = service.create_quote(rt, me, body)
    response.headers["Location"] = f"/api/v1/quotes/{quote.id}"
    return with_etag(response, quote)


@router.get("", response_model=Page[QuoteSummary])
def list_quotes(
    rt: RuntimeDep,
    me: PrincipalDep,
    order_id: int | None = None,
    state: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[QuoteSummary]:
    """Newest first; ``next`` is the cursor of the following page."""
    items, nxt = service.list_quotes(
        rt, me, order_id=order_id, state=state, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


@router.get("/{doc_id}/pdf", response_class=Response)
def quote_pdf(doc_id: int, rt: RuntimeDep, me: PrincipalDep) -> Response:
    """The current version as a PDF in Chinese and English."""
    name, data = service.quote_pdf(rt, me, doc_id)
    return file_response(FileContent(name, "application/pdf", data))


add_document_routes(
    router, service.QUOTES, read=service.reader, read_model=QuoteRead, read_needs_runtime=True
)
