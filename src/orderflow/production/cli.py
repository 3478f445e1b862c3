"""``orderflow production ...`` and ``orderflow import work_centres|boms|routings FILE``."""

from __future__ import annotations

import typer

import orderflow.production.importer  # noqa: F401  (registers the import kinds)
from orderflow.masterdata.cli import add_import_command

production_app = typer.Typer(no_args_is_help=True, help="Production: release, progress, orders.")

for _kind in ("work_centres", "boms", "routings"):
    add_import_command(_kind, docs="docs/production.md")
