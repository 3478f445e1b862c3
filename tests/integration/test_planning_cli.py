"""``orderflow planning`` and ``orderflow production`` from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from orderflow import config
from orderflow.cli import app
from orderflow.core.clock import system_clock
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import api_for
from tests.integration.test_planning_api import approved_budget, confirmed_order
from tests.production_factories import make_plant

runner = CliRunner()


@pytest.fixture
def world(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("ORDERFLOW_DATABASE_URL", rt.db.url)
    config.get_settings.cache_clear()
    world = make_world(rt, stock={"P2": 50})
    make_plant(rt, world, raw_stock=100)
    yield world
    config.get_settings.cache_clear()


def test_release_plan_promise_and_report_from_the_command_line(rt: Runtime, world: World) -> None:
    # The CLI runs on the real clock; the order's dates are relative to it.
    live = replace(rt, clock=system_clock)
    with api_for(live) as api:
        order = confirmed_order(live, world, api)
        approved_budget(api, order)
    released = runner.invoke(app, ["production", "release", order["number"], "--as", "planner"])
    assert released.exit_code == 0, released.output
    assert "PI-" in released.output and "P1 × 5" in released.output
    ran = runner.invoke(app, ["planning", "run", "--as", "planner"])
    assert ran.exit_code == 0, ran.output
    assert "2 jobs" in ran.output
    promised = runner.invoke(app, ["planning", "promise", "P1", "2", "--as", "sales_clerk"])
    assert promised.exit_code == 0, promised.output
    assert "PART" in promised.output
    bad = runner.invoke(app, ["planning", "promise", "NOPE", "2"])
    assert bad.exit_code == 2 and "lines[0].product_code" in bad.output
    number = released.output.split("for")[1].split(":")[1].split()[0]
    reported = runner.invoke(app, ["production", "report", number, "10", "3", "--as", "production"])
    assert reported.exit_code == 0, reported.output
    assert "10 3/5" in reported.output
    too_much = runner.invoke(app, ["production", "report", number, "20", "4", "--as", "production"])
    assert too_much.exit_code == 2 and "good" in too_much.output
    shown = runner.invoke(
        app, ["planning", "plans", "publish", "--kind", "monthly", "--as", "planner"]
    )
    assert shown.exit_code == 0, shown.output
    assert "monthly" in shown.output
    # E6: the month's sales plan holds the order; its procurement plan, the plan's buying.
    month = (order["promised_date"] or order["requested_date"])[:7]
    monthly = runner.invoke(
        app, ["planning", "plans", "monthly", "--month", month, "--as", "planner"]
    )
    assert monthly.exit_code == 0, monthly.output
    assert "Sales plan" in monthly.output and "P1" in monthly.output
    assert "Procurement plan" in monthly.output
    bad_month = runner.invoke(app, ["planning", "plans", "monthly", "--month", "2026-13"])
    assert bad_month.exit_code == 2 and "month" in bad_month.output
