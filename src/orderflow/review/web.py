"""Review pages: the list, one review with what reviewers need and their steps, starting a
review from the order page; and the order page's panel of classification and documents."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from orderflow.core.errors import OrderFlowError
from orderflow.core.paging import MAX_LIMIT
from orderflow.review.service import apply_step
from orderflow.runtime import Principal, Runtime
from orderflow.web.documents import document_page, document_routes, form_fields
from orderflow.web.render import render
from orderflow.web.session import PagePrincipal, check_csrf, page_principal, runtime

router = APIRouter(include_in_schema=False)


def order_links(rt: Runtime, me: Principal, order_id: int) -> dict[str, Any]:
    """What the order page shows of its reviews, quotes, contracts, changes (each only if
    the caller may read that kind)."""
    from orderflow.auth.roles import PERMISSIONS
    from orderflow.changes.design_errors import list_design_errors
    from orderflow.changes.service import list_changes
    from orderflow.contracts.service import list_contracts
    from orderflow.quotes.service import list_quotes
    from orderflow.review.service import list_reviews
    from orderflow.stockup.service import list_stock_ups

    def may(permission: str) -> bool:
        return me.can(PERMISSIONS[permission])

    def of_order(permission: str, lister: Any) -> list[Any]:
        # One order has a handful of each; the first page (up to the cap) is all of them.
        return lister(rt, me, order_id=order_id, limit=MAX_LIMIT)[0] if may(permission) else []

    return {
        "reviews": of_order("reviews.read", list_reviews),
        "quotes": of_order("quotes.read", list_quotes),
        "contracts": of_order("contracts.read", list_contracts),
        "changes": of_order("changes.read", list_changes),
        "stock_ups": of_order("orders.read", list_stock_ups),
        "design_errors": of_order("design_errors.read", list_design_errors),
        "can": {
            "review": may("reviews.start"),
            "quote": may("quotes.create"),
            "contract": may("contracts.create"),
            "change": may("changes.create"),
            "stock_up": may("stock_up.issue"),
            "design_error": may("design_errors.issue"),
        },
    }


@router.get("/reviews")
def reviews_page(
    request: Request, me: PagePrincipal, mine: bool = False, cursor: str | None = None
) -> Response:
    from orderflow.review.service import list_reviews

    items, nxt = list_reviews(runtime(request), me, mine=mine, cursor=cursor)
    return render(request, "review_list.html", items=items, mine=mine, next_cursor=nxt)


def _detail(request: Request, me: Principal, review_id: int, **refused: Any) -> Response:
    from orderflow.review.service import REVIEWS, get_review

    rt = runtime(request)
    review = get_review(rt, me, review_id)
    return document_page(
        request,
        me,
        "review_review.html",
        REVIEWS,
        review_id,
        review=review,
        topics=rt.policy.review.topics,
        mine=[r for r in review.routing if r in me.roles],
        **refused,
    )


def _fields(form: Any) -> dict[str, Any]:
    fields = form_fields(form, skip=("attendees",))
    if (form.get("attendees") or "").strip():
        text = str(form["attendees"]).replace("，", ",").replace("、", ",")
        fields["attendees"] = [a.strip() for a in text.split(",") if a.strip()]
    return fields


async def create_from_order(request: Request, order_id: int, create: Any, to: str) -> Response:
    """A document started from the order page's buttons; a refusal shows on the order."""
    me = await run_in_threadpool(page_principal, request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    try:
        doc = await run_in_threadpool(create, me, form)
    except OrderFlowError as exc:
        if exc.status == 404:
            raise
        from orderflow.sales.web import _detail as order_detail

        return await run_in_threadpool(
            partial(order_detail, request, me, order_id, error=exc, status_code=exc.status)
        )
    return RedirectResponse(
        to.format(id=doc.id) if doc is not None else f"/orders/{order_id}", status_code=303
    )


@router.post("/orders/{order_id}/review")
async def start_review_page(request: Request, order_id: int) -> Response:
    from orderflow.review.service import start_review

    rt = runtime(request)
    return await create_from_order(
        request, order_id, lambda me, form: start_review(rt, me, order_id), "/reviews/{id}"
    )


# The document pages and their step forms, after the fixed paths above (/new, …).
document_routes(router, "/reviews", show=_detail, apply=apply_step, fields=_fields)
