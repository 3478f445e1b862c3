"""``orderflow production ...`` and ``orderflow import work_centres|boms|routings FILE``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from sqlalchemy import select

import orderflow.production.importer  # noqa: F401  (registers the import kinds)
from orderflow.core.errors import NotFound, OrderFlowError
from orderflow.masterdata.cli import add_import_command

production_app = typer.Typer(no_args_is_help=True, help="Production: release, progress, steps.")
AsUser = Annotated[str, typer.Option("--as", help="Username")]

for _kind in ("work_centres", "boms", "routings"):
    add_import_command(_kind, docs="docs/production.md")


@production_app.command("release")
def release(
    number: Annotated[str, typer.Argument(help="Sales order number, e.g. SO-2026-000012")],
    complete_set: Annotated[bool, typer.Option("--set", help="A complete set (成套产品)")] = False,
    non_regular: Annotated[
        bool, typer.Option("--non-regular", help="非常规: meeting first")
    ] = False,
    as_user: AsUser = "planner",
) -> None:
    """Release production for a confirmed order (E1): instruction, orders, breakdown task."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.production.schemas import ReleaseIn
    from orderflow.production.service import release as do_release
    from orderflow.sales.models import SalesOrder

    with _as_user(as_user) as (rt, me):
        try:
            with rt.db.reading() as s:
                order_id = s.scalar(
                    select(SalesOrder.id).where(
                        SalesOrder.number == number, SalesOrder.company_id == me.company_id
                    )
                )
            if order_id is None:
                raise NotFound(f"No order {number}")
            pi = do_release(
                rt,
                me,
                ReleaseIn(
                    sales_order_id=order_id, complete_set=complete_set, non_regular=non_regular
                ),
            )
        except OrderFlowError as exc:
            fail(exc)
    console.print(
        f"{pi.number} for {pi.sales_order_number}: "
        + ", ".join(f"{o.number} {o.product_code} × {o.quantity}" for o in pi.orders)
    )


@production_app.command("report")
def report(
    number: Annotated[str, typer.Argument(help="Production order number, e.g. MO-2026-000003")],
    seq: Annotated[int, typer.Argument(help="Operation number")],
    good: Annotated[str, typer.Argument(help="Good quantity")],
    scrap: Annotated[str, typer.Option(help="Scrap quantity")] = "0",
    note: Annotated[str, typer.Option(help="Note")] = "",
    as_user: AsUser = "production",
) -> None:
    """Report progress on one operation (E13)."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.production.service import report_progress

    with _as_user(as_user) as (rt, me):
        try:
            mo = report_progress(
                rt,
                me,
                _order_id(rt, me, number),
                {"seq": seq, "good": good, "scrap": scrap, "note": note},
            )
        except OrderFlowError as exc:
            fail(exc)
    console.print(
        f"{mo.number} {mo.state}: "
        + ", ".join(f"{op.seq} {op.good_quantity}/{mo.quantity}" for op in mo.operations)
    )


@production_app.command("step")
def step(
    number: Annotated[str, typer.Argument(help="PI-… or MO-… number")],
    name: Annotated[str, typer.Argument(help="The step, e.g. break_down, complete")],
    fields: Annotated[str, typer.Option(help="The step's fields as JSON")] = "{}",
    as_user: AsUser = "production_manager",
) -> None:
    """Apply a step to a production instruction or production order by its number."""
    from orderflow.cli import _as_user, console, err, fail
    from orderflow.production.models import ProductionInstruction
    from orderflow.production.service import step_instruction, step_order

    try:
        payload: Any = json.loads(fields)
    except json.JSONDecodeError as exc:
        err.print(f"[red]error:[/red] --fields is not JSON: {exc}")
        raise typer.Exit(2) from exc
    with _as_user(as_user) as (rt, me):
        try:
            if number.startswith("PI-"):
                with rt.db.reading() as s:
                    pi_id = s.scalar(
                        select(ProductionInstruction.id).where(
                            ProductionInstruction.number == number,
                            ProductionInstruction.company_id == me.company_id,
                        )
                    )
                if pi_id is None:
                    raise NotFound(f"No production instruction {number}")
                doc: Any = step_instruction(rt, me, pi_id, name, payload, expected_version=None)
            else:
                doc = step_order(
                    rt, me, _order_id(rt, me, number), name, payload, expected_version=None
                )
        except OrderFlowError as exc:
            fail(exc)
    console.print(f"{doc.number} {doc.state} (version {doc.version})")


def _order_id(rt: Any, me: Any, number: str) -> int:
    from orderflow.production.models import ProductionOrder

    with rt.db.reading() as s:
        found = s.scalar(
            select(ProductionOrder.id).where(
                ProductionOrder.number == number, ProductionOrder.company_id == me.company_id
            )
        )
    if found is None:
        raise NotFound(f"No production order {number}")
    return int(found)
