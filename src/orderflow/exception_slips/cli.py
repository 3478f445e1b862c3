"""``orderflow exceptions …``: open slips and the counts the KPIs read."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from orderflow.core.errors import OrderFlowError

exceptions_app = typer.Typer(no_args_is_help=True, help="Exception slips (异常单) of every area.")


@exceptions_app.command("list")
def list_cmd(
    state: str = "open",
    mine: Annotated[bool, typer.Option("--mine", help="Only slips for my roles")] = False,
    as_user: Annotated[str, typer.Option("--as")] = "order_manager",
) -> None:
    """Slips, newest first (default: open)."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.exception_slips.service import list_slips

    with _as_user(as_user) as (rt, me):
        try:
            rows, _ = list_slips(rt, me, state=state or None, mine=mine, limit=200)
        except OrderFlowError as exc:
            fail(exc)
    table = Table("number", "kind", "state", "source", "owners", "description")
    for s in rows:
        table.add_row(
            s.number,
            s.kind,
            s.state,
            s.source_number or "-",
            ", ".join(s.owner_roles),
            s.description[:60],
        )
    console.print(table)


@exceptions_app.command("counts")
def counts_cmd(
    since: Annotated[
        str | None, typer.Option(help="First day, YYYY-MM-DD (default: 1st of month)")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD (default: today)")] = None,
    as_user: Annotated[str, typer.Option("--as")] = "order_manager",
) -> None:
    """Slips raised in a period, by kind and by KPI class (N2)."""
    from orderflow.cli import _as_user, console, err, fail
    from orderflow.exception_slips.service import exception_counts

    try:
        first = date.fromisoformat(since) if since else None
        last = date.fromisoformat(until) if until else None
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with _as_user(as_user) as (rt, me):
        try:
            counts = exception_counts(rt, me, since=first, until=last)
        except OrderFlowError as exc:
            fail(exc)
    table = Table(
        "kind",
        "raised",
        "open",
        "decided",
        "closed",
        "cost",
        title=f"{counts.since} – {counts.until}",
    )
    for k in counts.kinds:
        table.add_row(
            k.kind, str(k.raised), str(k.open), str(k.decided), str(k.closed), k.cost.amount
        )
    console.print(table)
    console.print(", ".join(f"{name}: {n}" for name, n in counts.classes.items()))
