"""``orderflow purchasing …``: the desk from a terminal (suppliers, requisitions, orders, steps)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from orderflow.core.errors import NotFound, OrderFlowError

purchasing_app = typer.Typer(
    no_args_is_help=True, help="Suppliers, requisitions and purchase orders (采购)."
)


def _json(text: str, option: str) -> Any:
    from orderflow.cli import err

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        err.print(f"[red]error:[/red] {option} is not JSON: {exc}")
        raise typer.Exit(2) from exc


@purchasing_app.command("suppliers")
def suppliers_cmd(as_user: Annotated[str, typer.Option("--as")] = "procurement") -> None:
    """Suppliers with their default lead time and on-time rate (H7)."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.procurement.suppliers import list_suppliers

    with _as_user(as_user) as (rt, me):
        try:
            rows = list_suppliers(rt, me)
        except OrderFlowError as exc:
            fail(exc)
    table = Table("code", "name", "lead time", "materials", "on time")
    for s in rows:
        rate = (
            f"{float(s.on_time_rate) * 100:.1f}% ({s.on_time}/{s.on_time + s.late})"
            if s.on_time_rate
            else "-"
        )
        table.add_row(s.code, s.name, f"{s.default_lead_time_days}d", str(len(s.items)), rate)
    console.print(table)


@purchasing_app.command("performance")
def performance_cmd(
    by: Annotated[str, typer.Option(help="supplier or product")] = "supplier",
    as_user: Annotated[str, typer.Option("--as")] = "procurement",
) -> None:
    """On-time rate of lines due in the last 90 days, per supplier or per material."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.procurement.suppliers import performance

    if by not in ("supplier", "product"):
        console.print("[red]error:[/red] --by is supplier or product")
        raise typer.Exit(2)
    with _as_user(as_user) as (rt, me):
        try:
            report = performance(rt, me, by=by)  # type: ignore[arg-type]
        except OrderFlowError as exc:
            fail(exc)
    table = Table(by, "on time", "late", "rate", title=f"{report.since} – {report.until}")
    for r in report.items:
        table.add_row(f"{r.code} {r.name}", str(r.on_time), str(r.late), r.rate or "-")
    console.print(table)


@purchasing_app.command("requisitions")
def requisitions_cmd(
    state: str = "open", as_user: Annotated[str, typer.Option("--as")] = "procurement"
) -> None:
    """Requisitions (default: those still to buy)."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.procurement.service import list_requisitions

    with _as_user(as_user) as (rt, me):
        try:
            rows, _ = list_requisitions(rt, me, state=state or None, limit=200)
        except OrderFlowError as exc:
            fail(exc)
    table = Table("number", "state", "source", "order", "needed by", "open lines")
    for r in rows:
        table.add_row(
            r.number,
            r.state,
            r.source,
            r.sales_order_number or "-",
            str(r.needed_by),
            f"{r.open_lines}/{r.lines}",
        )
    console.print(table)


@purchasing_app.command("orders")
def orders_cmd(
    state: str = "",
    late: Annotated[bool, typer.Option("--late", help="Only late suppliers")] = False,
    as_user: Annotated[str, typer.Option("--as")] = "procurement",
) -> None:
    """Purchase orders, newest first."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.procurement.service import list_orders

    with _as_user(as_user) as (rt, me):
        try:
            rows, _ = list_orders(
                rt, me, state=state or None, late=True if late else None, limit=200
            )
        except OrderFlowError as exc:
            fail(exc)
    table = Table("number", "state", "supplier", "order", "due", "late", "total")
    for o in rows:
        table.add_row(
            o.number,
            o.state,
            o.supplier_name,
            o.sales_order_number or "-",
            str(o.due_date),
            "late" if o.late else "",
            o.total.amount,
        )
    console.print(table)


@purchasing_app.command("create")
def create_cmd(
    file: Annotated[str, typer.Argument(help="JSON of the API's OrderCreate; - for stdin")],
    as_user: Annotated[str, typer.Option("--as")] = "procurement",
) -> None:
    """A purchase order from JSON (from requisitions or by hand)."""
    import sys
    from pathlib import Path

    from orderflow.cli import _as_user, console, fail
    from orderflow.core.errors import validate
    from orderflow.procurement.schemas import OrderCreate
    from orderflow.procurement.service import create_order

    raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    data = _json(raw, file)
    with _as_user(as_user) as (rt, me):
        try:
            po = create_order(rt, me, validate(OrderCreate, data))
        except OrderFlowError as exc:
            fail(exc)
    console.print(f"{po.number} {po.state} {po.total.amount} {po.total.currency}")


@purchasing_app.command("step")
def step_cmd(
    number: str,
    name: str,
    fields: Annotated[str, typer.Option(help="The step's fields as JSON")] = "{}",
    as_user: Annotated[str, typer.Option("--as")] = "procurement",
) -> None:
    """Apply a step to a purchase order (PO-…) or requisition (PR-…) by its number."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.procurement import service

    payload = _json(fields, "--fields")
    with _as_user(as_user) as (rt, me):
        try:
            if number.startswith("PR-"):
                found = service.find_requisition_id(rt, me, number)
                if found is None:
                    raise NotFound(f"No requisition {number}")
                doc: Any = service.requisition_step(
                    rt, me, found, name, payload, expected_version=None
                )
            else:
                found = service.find_order_id(rt, me, number)
                if found is None:
                    raise NotFound(f"No purchase order {number}")
                doc = service.order_step(rt, me, found, name, payload, expected_version=None)
        except OrderFlowError as exc:
            fail(exc)
    console.print(f"{doc.number} {doc.state} (version {doc.version})")
