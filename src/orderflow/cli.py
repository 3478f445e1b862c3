"""The ``orderflow`` command: serve, worker, demo, audit, calendar, import, orders.

Commands parse, call one service, and print; a domain error prints its message (and each
failing field) and exits non-zero.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from orderflow.config import Settings
from orderflow.core.errors import NotFound, OrderFlowError
from orderflow.privacy import MaskingFilter
from orderflow.runtime import Principal, Runtime

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="OrderFlow: order-to-cash, every step on time."
)
audit_app = typer.Typer(no_args_is_help=True, help="The hash-chained event log.")
calendar_app = typer.Typer(
    no_args_is_help=True, help="Working-time arithmetic on the policy's calendar."
)
orders_app = typer.Typer(no_args_is_help=True, help="Sales orders.")
app.add_typer(audit_app, name="audit")
app.add_typer(calendar_app, name="calendar")
app.add_typer(orders_app, name="orders")
console = Console()
err = Console(stderr=True)

EXIT_CODES = {400: 2, 401: 3, 403: 3, 404: 4, 409: 5, 422: 2}


def fail(exc: OrderFlowError) -> None:
    err.print(f"[red]error:[/red] {exc.detail}")
    for item in exc.errors:
        err.print(f"  {item.field}: {item.message}")
    raise typer.Exit(EXIT_CODES.get(exc.status, 1))


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())


def checked_settings() -> Settings:
    """The settings, with the policy and the PDF font they name checked before anything
    starts: a bad one is named and the command exits 2, with no traceback and no server
    that fails later (a missing font used to surface only when the first PDF was made)."""
    from pydantic import ValidationError

    from orderflow.config import get_settings
    from orderflow.files.pdf import PdfFontError, font_name
    from orderflow.policy import PolicyError, load_policy

    try:
        settings = get_settings()
        load_policy(settings.policy)
        if settings.pdf_font is not None:
            font_name(settings.pdf_font)
    except (ValidationError, PolicyError, PdfFontError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    return settings


@contextmanager
def runtime() -> Iterator[Runtime]:
    """The configured runtime, migrated, and closed when the command ends (even on error)."""
    from orderflow.migrate import upgrade

    rt = Runtime.from_settings(checked_settings())
    try:
        upgrade(rt.db.url)
        yield rt
    finally:
        rt.db.dispose()


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the web pages and the API (with the sweeper in a thread unless disabled)."""
    import uvicorn

    checked_settings()
    _logging()
    uvicorn.run(
        "orderflow.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


@app.command()
def worker(once: bool = typer.Option(False, help="One round, then exit.")) -> None:
    """Sweep deadlines (overdue, escalation, urging notices) and send mail, every interval."""
    from orderflow.worker import run_once, run_worker

    _logging()
    with runtime() as rt:
        if once:
            run_once(rt)
            return
        stop = threading.Event()
        try:
            run_worker(rt, stop)
        except KeyboardInterrupt:
            stop.set()


@app.command()
def migrate() -> None:
    """Apply pending database migrations."""
    with runtime():
        pass
    console.print("database is up to date")


@app.command()
def demo(
    port: int = 8000,
    password: Annotated[
        str | None, typer.Option(help="Password for every demo user (default: generated).")
    ] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only (re)create the data.")] = False,
) -> None:
    """(Re)create the demo company, users, customers, products, stock and orders; then serve."""
    import secrets

    from orderflow.demo import load_demo

    password = password or secrets.token_urlsafe(9)
    with runtime() as rt:
        summary = load_demo(rt, password=password)
    table = Table(title="Demo users (password for all: " + password + ")")
    table.add_column("username")
    table.add_column("name")
    for username, name in summary.users:
        table.add_row(username, name)
    console.print(table)
    console.print(
        f"{summary.orders} orders, {summary.customers} customers, {summary.products} products."
    )
    if not no_serve:
        console.print(f"Open http://127.0.0.1:{port} and log in as sales_clerk.")
        serve(host="127.0.0.1", port=port, workers=1)


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute every event's hash chain; exits 1 if any event was edited or deleted."""
    from orderflow.core.events import verify_chains

    with runtime() as rt, rt.db.reading() as session:
        checked, problems = verify_chains(session)
    if problems:
        for problem in problems:
            err.print(f"[red]TAMPERED[/red] {problem}")
        err.print(f"{len(problems)} problem(s) in {checked} events")
        raise typer.Exit(1)
    console.print(f"ok: {checked} events, every chain intact")


@calendar_app.command("due")
def calendar_due(start: str, duration: str) -> None:
    """When a deadline falls: START (ISO time with offset, or 'now') plus DURATION (2h, 30min, 5wd)."""
    from orderflow.core.clock import system_clock
    from orderflow.policy import load_policy
    from orderflow.system.api import compute_due

    policy = load_policy(checked_settings().policy)
    try:
        moment = system_clock() if start == "now" else datetime.fromisoformat(start)
    except ValueError as exc:
        err.print(
            f"[red]error:[/red] start: {start!r} is not an ISO time like 2026-09-30T16:00+08:00"
        )
        raise typer.Exit(2) from exc
    try:
        answer = compute_due(policy, moment, duration)
    except OrderFlowError as exc:
        fail(exc)
    console.print(answer.due.astimezone(policy.zone).isoformat())


@contextmanager
def _as_user(username: str) -> Iterator[tuple[Runtime, Principal]]:
    from sqlalchemy import select

    from orderflow.auth.models import User
    from orderflow.auth.service import principal_of

    with runtime() as rt:
        with rt.db.reading() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                err.print(f"[red]error:[/red] --as: no user {username!r}")
                raise typer.Exit(2)
            me = principal_of(user)
        yield rt, me


@orders_app.command("create")
def orders_create(
    file: Annotated[
        Path, typer.Argument(help="JSON file with the order (the API's OrderCreate); - for stdin")
    ],
    as_user: Annotated[
        str, typer.Option("--as", help="Username entering the order")
    ] = "sales_clerk",
) -> None:
    """Enter an order from JSON (phone, fax or e-mail orders typed up by the clerk)."""
    from orderflow.core.errors import validate
    from orderflow.sales.schemas import OrderCreate
    from orderflow.sales.service import create_order

    raw = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        err.print(f"[red]error:[/red] {file} is not JSON: {exc}")
        raise typer.Exit(2) from exc
    with _as_user(as_user) as (rt, me):
        try:
            order = create_order(rt, me, validate(OrderCreate, data))
        except OrderFlowError as exc:
            fail(exc)
    console.print(f"{order.number} {order.state} {order.total.amount} {order.total.currency}")


@orders_app.command("step")
def orders_step(
    number: str,
    name: str,
    fields: Annotated[str, typer.Option(help="The step's fields as JSON")] = "{}",
    as_user: Annotated[
        str, typer.Option("--as", help="Username applying the step")
    ] = "sales_clerk",
) -> None:
    """Apply a lifecycle step to an order by its number: confirm, ship, deliver, invoice, pay, cancel."""
    from sqlalchemy import select

    from orderflow.sales.models import SalesOrder
    from orderflow.sales.service import apply_step

    try:
        payload: Any = json.loads(fields)
    except json.JSONDecodeError as exc:
        err.print(f"[red]error:[/red] --fields is not JSON: {exc}")
        raise typer.Exit(2) from exc
    with _as_user(as_user) as (rt, me):
        with rt.db.reading() as session:
            order_id = session.scalar(
                select(SalesOrder.id).where(
                    SalesOrder.number == number, SalesOrder.company_id == me.company_id
                )
            )
        try:
            if order_id is None:
                raise NotFound(f"No order {number}")
            order = apply_step(rt, me, order_id, name, payload, expected_version=None)
        except OrderFlowError as exc:
            fail(exc)
    console.print(f"{order.number} {order.state} (version {order.version})")


def main() -> None:
    app()


def _register_area_commands() -> None:
    """Areas add their command groups here (imported last: they use this module's helpers)."""
    from orderflow.exception_slips.cli import exceptions_app
    from orderflow.inventory.cli import inventory_app
    from orderflow.masterdata.cli import import_app
    from orderflow.planning.cli import planning_app
    from orderflow.procurement.cli import purchasing_app
    from orderflow.production.cli import production_app
    from orderflow.quality.cli import quality_app
    from orderflow.review.cli import review_app

    app.add_typer(import_app, name="import")
    app.add_typer(review_app, name="review")
    app.add_typer(purchasing_app, name="purchasing")
    app.add_typer(inventory_app, name="inventory")
    app.add_typer(quality_app, name="quality")
    app.add_typer(exceptions_app, name="exceptions")
    app.add_typer(planning_app, name="planning")
    app.add_typer(production_app, name="production")


_register_area_commands()
