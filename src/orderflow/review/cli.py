"""``orderflow review …``: reviews, quotes, contracts and change notices from the command line.

Documents are named by their number; the prefix says the kind (RV review, QT quote, CT
contract, CN change notice, BH stock-up notice, DE design error notice). Commands parse,
call one service, print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import select

from orderflow.cli import _as_user, console, err, fail
from orderflow.core.errors import NotFound, OrderFlowError

review_app = typer.Typer(
    no_args_is_help=True, help="Order review, quotes, contracts and changes (C, D, G)."
)
AsUser = Annotated[str, typer.Option("--as", help="Username acting")]


def _kind(number: str) -> tuple[Any, Any]:
    from orderflow.changes import design_errors
    from orderflow.changes import service as changes
    from orderflow.contracts import service as contracts
    from orderflow.quotes import service as quotes
    from orderflow.review import service as reviews
    from orderflow.stockup import service as stock_ups

    kinds = {
        "RV": (reviews.REVIEWS, reviews.apply_step),
        "QT": (quotes.QUOTES, quotes.apply_step),
        "CT": (contracts.CONTRACTS, contracts.apply_step),
        "CN": (changes.CHANGES, changes.apply_step),
        "BH": (stock_ups.STOCK_UPS, stock_ups.apply_step),
        "DE": (design_errors.DESIGN_ERRORS, design_errors.design_error_step),
    }
    prefix = number.split("-", 1)[0].upper()
    if prefix not in kinds:
        err.print(f"[red]error:[/red] {number}: give an RV-, QT-, CT-, CN-, BH- or DE- number")
        raise typer.Exit(2)
    return kinds[prefix]


def _id_of(rt: Any, me: Any, kind: Any, number: str) -> int:
    with rt.db.reading() as session:
        doc_id = session.scalar(
            select(kind.model.id).where(
                kind.model.number == number, kind.model.company_id == me.company_id
            )
        )
    if doc_id is None:
        raise NotFound(f"No document {number}")
    return int(doc_id)


def _order_id(rt: Any, me: Any, number: str) -> int:
    from orderflow.sales.service import ORDERS

    return _id_of(rt, me, ORDERS, number)


@review_app.command("list")
def list_reviews(
    mine: Annotated[bool, typer.Option(help="Only those waiting for my departments")] = False,
    as_user: AsUser = "order_manager",
) -> None:
    """Reviews, newest first, with the departments still to answer."""
    from orderflow.core.paging import MAX_LIMIT
    from orderflow.review.service import list_reviews as service_list

    with _as_user(as_user) as (rt, me):
        for r in service_list(rt, me, mine=mine, limit=MAX_LIMIT)[0]:
            console.print(
                f"{r.number}  {r.order_number}  {r.state:<18} waiting: {', '.join(r.pending) or '-'}"
            )


@review_app.command("start")
def start(order: str, as_user: AsUser = "sales_clerk") -> None:
    """Route ORDER (SO-…) to its departments."""
    from orderflow.review.service import start_review

    with _as_user(as_user) as (rt, me):
        try:
            review = start_review(rt, me, _order_id(rt, me, order))
        except OrderFlowError as exc:
            fail(exc)
    console.print(f"{review.number} {review.state} routed to {', '.join(review.routing)}")


@review_app.command("step")
def step(
    number: str,
    name: str,
    fields: Annotated[str, typer.Option(help="The step's fields as JSON")] = "{}",
    as_user: AsUser = "sales_clerk",
) -> None:
    """Apply step NAME to a review, quote, contract, change notice, stock-up notice or
    design error notice by its NUMBER."""
    try:
        payload = json.loads(fields)
    except json.JSONDecodeError as exc:
        err.print(f"[red]error:[/red] --fields is not JSON: {exc}")
        raise typer.Exit(2) from exc
    kind, apply = _kind(number)
    with _as_user(as_user) as (rt, me):
        try:
            doc = apply(rt, me, _id_of(rt, me, kind, number), name, payload, expected_version=None)
        except OrderFlowError as exc:
            fail(exc)
    console.print(f"{doc.number} {doc.state} (version {doc.version})")


@review_app.command("pdf")
def pdf(number: str, out: Path, as_user: AsUser = "sales_clerk") -> None:
    """Write a quote (QT-…) or contract (CT-…) as its zh-CN/English PDF to OUT."""
    from orderflow.contracts.service import contract_pdf
    from orderflow.quotes.service import quote_pdf

    kind, _ = _kind(number)
    with _as_user(as_user) as (rt, me):
        try:
            render = quote_pdf if kind.document_type == "quote" else contract_pdf
            if kind.document_type not in ("quote", "contract"):
                raise NotFound(f"{number} has no PDF")
            _, data = render(rt, me, _id_of(rt, me, kind, number))
        except OrderFlowError as exc:
            fail(exc)
    out.write_bytes(data)
    console.print(f"{out} ({len(data)} bytes)")


@review_app.command("versions")
def versions(
    order: str,
    a: Annotated[int | None, typer.Option(help="Compare version A …")] = None,
    b: Annotated[int | None, typer.Option(help="… with version B")] = None,
    as_user: AsUser = "sales_clerk",
) -> None:
    """The versions of ORDER (SO-…); with --a and --b, what changed between them."""
    from orderflow.changes.service import order_versions, version_diff

    with _as_user(as_user) as (rt, me):
        try:
            order_id = _order_id(rt, me, order)
            if a is not None and b is not None:
                for row in version_diff(rt, me, order_id, a, b).rows:
                    console.print(f"{row.field}: {row.before} → {row.after}")
                return
            for v in order_versions(rt, me, order_id):
                console.print(f"v{v.version_no}  {v.reason}  total {v.snapshot['header']['total']}")
        except OrderFlowError as exc:
            fail(exc)
