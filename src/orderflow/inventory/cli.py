"""``orderflow inventory …``: check the stock ledger, read its moves and locations."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from orderflow.core.errors import OrderFlowError

inventory_app = typer.Typer(no_args_is_help=True, help="Stock by location and the stock ledger.")


@inventory_app.command("verify")
def verify_cmd() -> None:
    """Every balance against the sum of its moves; exits 1 if the books do not balance."""
    from orderflow.cli import console, err, runtime
    from orderflow.inventory import ledger

    with runtime() as rt, rt.db.reading() as session:
        problems = ledger.check(session)
    if problems:
        for problem in problems:
            err.print(f"[red]UNBALANCED[/red] {problem}")
        raise typer.Exit(1)
    console.print("ok: every balance is the sum of its moves")


@inventory_app.command("moves")
def moves_cmd(
    product: Annotated[str | None, typer.Option(help="Product code")] = None,
    warehouse: Annotated[str | None, typer.Option(help="Warehouse code")] = None,
    limit: int = 50,
    as_user: Annotated[str, typer.Option("--as")] = "warehouse",
) -> None:
    """The ledger, newest first."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.inventory.locations import list_moves

    with _as_user(as_user) as (rt, me):
        try:
            rows = list_moves(rt, me, warehouse_code=warehouse, product_code=product, limit=limit)
        except OrderFlowError as exc:
            fail(exc)
    table = Table("at", "warehouse", "location", "product", "quantity", "reason", "reference")
    for m in rows:
        table.add_row(
            m.at.astimezone(rt.policy.zone).strftime("%Y-%m-%d %H:%M"),
            m.warehouse_code,
            m.location_code,
            m.product_code,
            m.quantity,
            m.reason,
            m.reference,
        )
    console.print(table)


@inventory_app.command("locations")
def locations_cmd(
    warehouse: str, as_user: Annotated[str, typer.Option("--as")] = "warehouse"
) -> None:
    """What lies in each location of a warehouse."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.inventory.locations import location_stock

    with _as_user(as_user) as (rt, me):
        try:
            rows = location_stock(rt, me, warehouse)
        except OrderFlowError as exc:
            fail(exc)
    table = Table("location", "kind", "product", "quantity")
    for r in rows:
        table.add_row(
            r.location_code,
            r.location_kind,
            f"{r.product_code} {r.product_name}",
            f"{r.quantity} {r.unit}",
        )
    console.print(table)
