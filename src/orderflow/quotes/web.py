"""Quote pages: the list, one quote with its versions and steps, the PDF, a new quote
request from the order page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from orderflow.core.errors import OrderFlowError
from orderflow.core.kit import document_events
from orderflow.files.api import file_response
from orderflow.files.service import FileContent
from orderflow.quotes import service
from orderflow.quotes.schemas import QuoteCreate
from orderflow.review.web import create_from_order
from orderflow.runtime import Principal
from orderflow.tasks.service import list_tasks
from orderflow.web.documents import form_fields, step_from_form
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/quotes")
def quotes_page(request: Request, me: PagePrincipal, cursor: str | None = None) -> Response:
    items, nxt = service.list_quotes(runtime(request), me, cursor=cursor)
    return render(request, "quotes_list.html", items=items, next_cursor=nxt)


def _detail(
    request: Request,
    me: Principal,
    quote_id: int,
    *,
    error: OrderFlowError | None = None,
    step: str | None = None,
    status_code: int = 200,
) -> Response:
    rt = runtime(request)
    return render(
        request,
        "quotes_quote.html",
        status_code=status_code,
        quote=service.get_quote(rt, me, quote_id),
        events=document_events(rt, me, service.QUOTES, quote_id),
        tasks=list_tasks(
            rt, me, mine=False, state="open", document_type="quote", document_id=quote_id
        ),
        error=error,
        failed_step=step,
    )


@router.get("/quotes/{quote_id}")
def quote_page(request: Request, quote_id: int, me: PagePrincipal) -> Response:
    return _detail(request, me, quote_id)


@router.get("/quotes/{quote_id}/pdf")
def quote_pdf_page(request: Request, quote_id: int, me: PagePrincipal) -> Response:
    name, data = service.quote_pdf(runtime(request), me, quote_id)
    return file_response(FileContent(name, "application/pdf", data))


@router.post("/quotes/{quote_id}/steps/{name}")
async def quote_step(request: Request, quote_id: int, name: str) -> Response:
    rt = runtime(request)
    return await step_from_form(
        request,
        apply=lambda me, fields, version: service.apply_step(
            rt, me, quote_id, name, fields, expected_version=version
        ),
        fields=form_fields,
        show_refusal=lambda me, exc: _detail(
            request, me, quote_id, error=exc, step=name, status_code=exc.status
        ),
        done=f"/quotes/{quote_id}",
    )


@router.post("/orders/{order_id}/quote")
async def new_quote_page(request: Request, order_id: int) -> Response:
    rt = runtime(request)
    return await create_from_order(
        request,
        order_id,
        lambda me, form: service.create_quote(rt, me, QuoteCreate(order_id=order_id)),
        "/quotes/{id}",
    )
