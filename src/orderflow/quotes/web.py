"""Quote pages: the list, a quote request for a customer's enquiry (customer and lines), one
quote with what was asked, its versions and steps, the PDF; a request from the order page."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from orderflow.core.errors import OrderFlowError, validate
from orderflow.files.api import file_response
from orderflow.files.service import FileContent
from orderflow.quotes import service
from orderflow.quotes.schemas import QuoteCreate
from orderflow.review.web import create_from_order
from orderflow.runtime import Principal
from orderflow.web.documents import document_page, document_routes
from orderflow.web.field_errors import form_errors
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)


@router.get("/quotes")
def quotes_page(request: Request, me: PagePrincipal, cursor: str | None = None) -> Response:
    items, nxt = service.list_quotes(runtime(request), me, cursor=cursor)
    return render(request, "quotes_list.html", items=items, next_cursor=nxt)


def _detail(request: Request, me: Principal, quote_id: int, **refused: Any) -> Response:
    rt = runtime(request)
    return document_page(
        request,
        me,
        "quotes_quote.html",
        service.QUOTES,
        quote_id,
        quote=service.get_quote(rt, me, quote_id),
        **refused,
    )


def _enquiry_page(
    request: Request,
    me: Principal,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    if not values["lines"]:
        values = {**values, "lines": [dict(_BLANK)]}
    return render(
        request,
        "quotes_new.html",
        status_code=status_code,
        values=values,
        errors=errors,
        **service.enquiry_choices(runtime(request), me),
    )


def _enquiry_values(form: Any) -> dict[str, Any]:
    """The form's rows (``lines[i].field``) in order, empty rows left out, so the lines
    sent are the rows shown again with their errors beside them."""
    rows = sorted({int(m["i"]) for key in form if (m := _ROW.fullmatch(key))})
    lines = []
    for i in rows:
        line = {
            "product_code": str(form.get(f"lines[{i}].product_code") or "").strip(),
            "quantity": str(form.get(f"lines[{i}].quantity") or "").strip(),
            "note": str(form.get(f"lines[{i}].note") or "").strip(),
            "reasons": [str(r) for r in form.getlist(f"lines[{i}].reasons")],
        }
        if line["product_code"] or line["quantity"]:
            lines.append(line)
    return {
        "customer_id": str(form.get("customer_id") or "").strip(),
        "note": str(form.get("note") or "").strip(),
        "lines": lines,
    }


_BLANK: dict[str, Any] = {"product_code": "", "quantity": "", "note": "", "reasons": []}
_ROW = re.compile(r"lines\[(?P<i>\d+)\]\.\w+")


def _enquiry_body(values: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"note": values["note"], "lines": []}
    if values["customer_id"]:
        body["customer_id"] = values["customer_id"]
    for line in values["lines"]:
        body["lines"].append({k: v for k, v in line.items() if v})
    return body


@router.get("/quotes/new")
def new_enquiry_page(request: Request, me: PagePrincipal) -> Response:
    """A quote request for a customer's enquiry, without an order (D1)."""
    values = {"customer_id": "", "note": "", "lines": [dict(_BLANK) for _ in range(3)]}
    return _enquiry_page(request, me, values=values, errors={})


@router.get("/quotes/new/line")
def new_enquiry_line(request: Request, me: PagePrincipal, index: int = 0) -> Response:
    """One more empty row for the enquiry form (HTMX)."""
    return render(
        request,
        "quotes_line.html",
        i=index,
        line={"reasons": []},
        errors={},
        **service.enquiry_choices(runtime(request), me),
    )


@router.post("/quotes/new")
async def create_enquiry_quote(request: Request) -> Response:
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    values = _enquiry_values(form)
    rt = runtime(request)
    try:
        data = validate(QuoteCreate, _enquiry_body(values))
        quote = await run_in_threadpool(service.create_quote, rt, me, data)
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        errors = form_errors(request, exc) or {"form": exc.detail}
        return await run_in_threadpool(
            partial(
                _enquiry_page, request, me, values=values, errors=errors, status_code=exc.status
            )
        )
    return RedirectResponse(f"/quotes/{quote.id}", status_code=303)


@router.get("/quotes/{quote_id}/pdf")
def quote_pdf_page(request: Request, quote_id: int, me: PagePrincipal) -> Response:
    name, data = service.quote_pdf(runtime(request), me, quote_id)
    return file_response(FileContent(name, "application/pdf", data))


@router.post("/orders/{order_id}/quote")
async def new_quote_page(request: Request, order_id: int) -> Response:
    rt = runtime(request)
    return await create_from_order(
        request,
        order_id,
        lambda me, form: service.create_quote(rt, me, QuoteCreate(order_id=order_id)),
        "/quotes/{id}",
    )


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/quotes", show=_detail, apply=service.apply_step)
