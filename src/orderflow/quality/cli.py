"""``orderflow quality …``: lots waiting for inspection and this month's pass rates."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from orderflow.core.errors import OrderFlowError

quality_app = typer.Typer(no_args_is_help=True, help="Inspections (质检).")


@quality_app.command("pending")
def pending_cmd(as_user: Annotated[str, typer.Option("--as")] = "quality") -> None:
    """Lots waiting for inspection, oldest last."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.quality.service import list_inspections

    with _as_user(as_user) as (rt, me):
        try:
            rows, _ = list_inspections(rt, me, state="pending", limit=200)
        except OrderFlowError as exc:
            fail(exc)
    table = Table("number", "stage", "product", "lot", "source")
    for i in rows:
        table.add_row(
            i.number, i.stage, i.product_code, f"{i.lot_quantity} {i.lot}", i.source_number
        )
    console.print(table)


@quality_app.command("stats")
def stats_cmd(as_user: Annotated[str, typer.Option("--as")] = "quality_manager") -> None:
    """This month's lots passed and failed per stage, and the sample pass rate."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.quality.service import quality_stats

    with _as_user(as_user) as (rt, me):
        try:
            stats = quality_stats(rt, me)
        except OrderFlowError as exc:
            fail(exc)
    table = Table(
        "stage",
        "lots",
        "passed",
        "failed",
        "lot rate",
        "sample rate",
        title=f"{stats.since} – {stats.until}",
    )
    for s in stats.stages:
        table.add_row(
            s.stage,
            str(s.lots),
            str(s.passed),
            str(s.failed),
            s.lot_pass_rate or "-",
            s.sample_pass_rate or "-",
        )
    console.print(table)
