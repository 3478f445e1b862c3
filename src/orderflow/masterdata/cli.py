"""``orderflow import customers|products|stock|users FILE`` (CSV or Excel)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from orderflow.core.errors import OrderFlowError

import_app = typer.Typer(
    no_args_is_help=True, help="Import master data from CSV or Excel (all rows or none)."
)


def _run(kind: str, file: Path, as_user: str, dry_run: bool) -> None:
    from orderflow.cli import _as_user, console, fail
    from orderflow.masterdata.importer import import_file, read_rows

    if not file.exists():
        console.print(f"[red]error:[/red] {file} does not exist")
        raise typer.Exit(2)
    with _as_user(as_user) as (rt, me):
        try:
            total = sum(1 for _ in read_rows(file))
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task(f"{kind} from {file.name}", total=total)
                report = import_file(
                    rt, me, kind, file, dry_run=dry_run, progress=lambda n: bar.advance(task, n)
                )
        except OrderFlowError as exc:
            fail(exc)
    verb = "would import" if dry_run else "imported"
    console.print(f"{verb} {kind}: {report.created} created, {report.updated} updated")


def add_import_command(kind: str, docs: str = "docs/masterdata.md") -> None:
    """``orderflow import KIND FILE`` for a kind registered with ``importer.register_kind``."""
    _command(kind, docs)


def _command(kind: str, docs: str = "docs/masterdata.md") -> None:
    def command(
        file: Annotated[Path, typer.Argument(help=".csv or .xlsx with a header row")],
        as_user: Annotated[str, typer.Option("--as", help="Username doing the import")] = "admin",
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Check every row, save nothing")
        ] = False,
    ) -> None:
        _run(kind, file, as_user, dry_run)

    command.__doc__ = f"Import {kind} (see {docs} for the columns)."
    import_app.command(kind)(command)


for _kind in ("customers", "products", "stock", "users"):
    _command(_kind)
