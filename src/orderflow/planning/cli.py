"""``orderflow planning ...``: make the plan, promise a date, publish and show plans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

import typer
from rich.table import Table

from orderflow.core.errors import OrderFlowError

planning_app = typer.Typer(no_args_is_help=True, help="Plans, promise dates, production plans.")
plans_app = typer.Typer(
    no_args_is_help=True, help="Monthly, weekly and daily production plans (E6)."
)
planning_app.add_typer(plans_app, name="plans")

AsUser = Annotated[str, typer.Option("--as", help="Username")]


@planning_app.command("run")
def run(as_user: AsUser = "planner") -> None:
    """Plan the group now (explode, net, schedule) and make it the current plan."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.planning.service import run_planning

    with _as_user(as_user) as (rt, me):
        try:
            result = run_planning(rt, me)
        except OrderFlowError as exc:
            fail(exc)
    console.print(
        f"plan {result.id}: {result.orders} orders, {result.jobs} jobs, {result.operations} "
        f"operations, {result.late_orders} late, {result.blocked_jobs} waiting for material; "
        f"{result.method} ({result.solver_status}) in {result.seconds.get('total', 0):.2f} s"
    )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


@planning_app.command("promise")
def promise(
    lines: Annotated[list[str], typer.Argument(help="CODE QUANTITY pairs: P1 5 P2 10")],
    requested: Annotated[str | None, typer.Option("--date", help="Requested date (ISO)")] = None,
    order: Annotated[int | None, typer.Option("--order-id", help="A changed order's id")] = None,
    as_user: AsUser = "sales_clerk",
) -> None:
    """The earliest date these lines can ship against the current plan, and why not sooner."""
    from orderflow.cli import _as_user, console, err, fail
    from orderflow.core.errors import validate
    from orderflow.planning.promising import ask
    from orderflow.planning.schemas import PromiseIn

    if len(lines) % 2:
        err.print("[red]error:[/red] give CODE QUANTITY pairs")
        raise typer.Exit(2)
    try:
        body = {
            "lines": [
                {"product_code": code, "quantity": str(Decimal(qty))}
                for code, qty in zip(lines[::2], lines[1::2], strict=True)
            ],
            "requested_date": requested,
            "sales_order_id": order,
        }
    except InvalidOperation as exc:
        err.print("[red]error:[/red] quantities must be numbers")
        raise typer.Exit(2) from exc
    with _as_user(as_user) as (rt, me):
        try:
            answer = ask(rt, me, validate(PromiseIn, body))
        except OrderFlowError as exc:
            fail(exc)
    when = answer.earliest_date.isoformat() if answer.earliest_date else "—"
    console.print(f"{when}  {answer.explanation}  ({answer.limited_by})")
    for line in answer.lines:
        ready = line.ready.isoformat() if line.ready else "—"
        console.print(f"  {line.product_code} × {line.quantity}: {ready}  {line.explanation}")
    if not answer.feasible:
        raise typer.Exit(1)


@planning_app.command("release-suggestions")
def release_suggestions(as_user: AsUser = "materials_control") -> None:
    """Hand the current plan's transfers and purchases to procurement."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.planning.service import release_suggestions as release

    with _as_user(as_user) as (rt, me):
        try:
            done = release(rt, me)
        except OrderFlowError as exc:
            fail(exc)
    console.print(
        f"transfers: {', '.join(done.transfers) or '—'}; purchases: {', '.join(done.purchases) or '—'}"
    )


@plans_app.command("publish")
def publish(
    kind: Annotated[list[str] | None, typer.Option("--kind", help="monthly, weekly, daily")] = None,
    as_user: AsUser = "planner",
) -> None:
    """Publish the month's, week's and rolling 3-day daily plans from the current plan."""
    from orderflow.cli import _as_user, fail
    from orderflow.planning.achievement import publish as do_publish

    with _as_user(as_user) as (rt, me):
        try:
            found = do_publish(rt, me, kind or ["monthly", "weekly", "daily"])
        except OrderFlowError as exc:
            fail(exc)
    _print(found)


@plans_app.command("show")
def show(
    day: Annotated[str | None, typer.Option(help="Around this day (ISO); default today")] = None,
    as_user: AsUser = "planner",
) -> None:
    """Plans in force with their achievement against the targets (98 / 95 / 85 %)."""
    from orderflow.cli import _as_user, fail
    from orderflow.planning.achievement import plans

    with _as_user(as_user) as (rt, me):
        try:
            found = plans(rt, me, around=date.fromisoformat(day) if day else None)
        except OrderFlowError as exc:
            fail(exc)
    _print(found)


def _print(found: object) -> None:
    from orderflow.cli import console

    table = Table(title="Production plans")
    for column in ("kind", "period", "planned", "finished", "achievement", "target", "met"):
        table.add_column(column)
    for plan in found.plans:  # type: ignore[attr-defined]
        ratio = "—" if plan.achievement is None else f"{plan.achievement:.1%}"
        table.add_row(
            plan.kind,
            f"{plan.period_start} – {plan.period_end}",
            plan.planned,
            plan.finished,
            ratio,
            f"{plan.target:.0%}",
            "—" if plan.met is None else ("yes" if plan.met else "no"),
        )
    console.print(table)


@plans_app.command("monthly")
def monthly_plans(
    month: Annotated[str | None, typer.Option(help="YYYY-MM; default this month")] = None,
    as_user: AsUser = "planner",
) -> None:
    """The month's sales plan (firm orders and tentative lines) and procurement plan."""
    from orderflow.cli import _as_user, console, fail
    from orderflow.planning import monthly

    with _as_user(as_user) as (rt, me):
        try:
            first = monthly.parse_month(month, rt.today())
            sales = monthly.sales_plan(rt, me, first)
            buying = monthly.procurement_plan(rt, me, first)
        except OrderFlowError as exc:
            fail(exc)
    table = Table(title=f"Sales plan {first:%Y-%m}")
    for column in ("product", "firm", "firm amount", "tentative", "total"):
        table.add_column(column)
    for line in sales.lines:
        table.add_row(
            line.product_code,
            line.firm_quantity,
            str(line.firm_amount.amount),
            line.tentative_quantity,
            line.total_quantity,
        )
    console.print(table)
    table = Table(title=f"Procurement plan {first:%Y-%m}")
    for column in ("material", "how", "quantity", "first needed", "taken up"):
        table.add_column(column)
    for item in buying.lines:
        table.add_row(
            item.product_code,
            item.kind,
            item.quantity,
            item.first_needed.isoformat(),
            item.released_quantity,
        )
    console.print(table)
