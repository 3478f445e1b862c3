"""The command line: orders, steps, calendar, worker and demo, against the test database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from orderflow import config
from orderflow.cli import app
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from tests.factories import World, make_world

runner = CliRunner()


@pytest.fixture
def world(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("ORDERFLOW_DATABASE_URL", rt.db.url)
    config.get_settings.cache_clear()
    yield make_world(rt)
    config.get_settings.cache_clear()


def order_file(tmp_path: Path, rt: Runtime, **overrides: object) -> Path:
    body = {
        "channel": "fax",
        "customer_code": "C1",
        "requested_date": (rt.today() + timedelta(days=30)).isoformat(),
        "lines": [{"product_code": "P1", "quantity": "3"}],
    }
    body.update(overrides)
    path = tmp_path / "order.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_an_order_is_entered_and_stepped_from_the_command_line(
    rt: Runtime, world: World, tmp_path: Path
) -> None:
    made = runner.invoke(
        app, ["orders", "create", str(order_file(tmp_path, rt)), "--as", "sales_clerk"]
    )
    assert made.exit_code == 0, made.output
    assert "SO-2026-000001 draft 300.00 CNY" in made.output
    stepped = runner.invoke(
        app, ["orders", "step", "SO-2026-000001", "confirm", "--as", "sales_clerk"]
    )
    assert stepped.exit_code == 0, stepped.output
    assert "confirmed" in stepped.output
    refused = runner.invoke(
        app,
        [
            "orders",
            "step",
            "SO-2026-000001",
            "pay",
            "--as",
            "sales_clerk",
            "--fields",
            '{"amount": "1", "method": "cash"}',
        ],
    )
    assert refused.exit_code == 3  # 403: a clerk does not record payments


def test_bad_input_prints_each_field_and_saves_nothing(
    rt: Runtime, world: World, tmp_path: Path
) -> None:
    path = order_file(
        tmp_path, rt, lines=[{"product_code": "NOPE", "quantity": "1"}], requested_date="2001-01-01"
    )
    result = runner.invoke(app, ["orders", "create", str(path)])
    assert result.exit_code == 2
    assert "lines[0].product_code" in result.output and "requested_date" in result.output
    with rt.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == 0


def test_unknown_user_and_unknown_order_are_errors(
    rt: Runtime, world: World, tmp_path: Path
) -> None:
    assert (
        runner.invoke(
            app, ["orders", "create", str(order_file(tmp_path, rt)), "--as", "ghost"]
        ).exit_code
        == 2
    )
    assert runner.invoke(app, ["orders", "step", "SO-2026-999999", "confirm"]).exit_code == 4


def test_calendar_due_counts_working_time() -> None:
    # National Day 2026: 16:00 on 30 September + 2 working hours lands after the holiday.
    result = runner.invoke(app, ["calendar", "due", "2026-09-30T16:00+08:00", "2h"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2026-10-08T09:00:00+08:00"
    days = runner.invoke(app, ["calendar", "due", "2026-11-24T10:00+08:00", "5wd"])
    assert days.output.strip() == "2026-12-01T10:00:00+08:00"
    bad = runner.invoke(app, ["calendar", "due", "2026-11-24T10:00", "soon"])
    assert bad.exit_code == 2 and "start" in bad.output and "duration" in bad.output


def test_worker_once_urges_overdue_tasks(rt: Runtime, world: World) -> None:
    from orderflow.core.tasks import Task
    from orderflow.notify.models import Notification
    from orderflow.sales.service import create_order
    from tests.factories import order_data

    # Entered on the test clock (Tuesday 10:00, due 12:00); the CLI runs on the real clock,
    # which is later than that.
    create_order(rt, world["sales_clerk"], order_data(rt, world, priority="urgent"))
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    with rt.db.reading() as s:
        assert s.scalar(select(Task.overdue)) is True
        assert (
            s.scalar(select(Notification.recipient_role).where(Notification.kind == "urging"))
            == "sales_clerk"
        )


def test_python_dash_m_orderflow_runs_the_same_commands() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "orderflow", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "serve" in done.stdout and "planning" in done.stdout


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("ORDERFLOW_PDF_FONT", "/nowhere/cjk.ttf", "ORDERFLOW_PDF_FONT=/nowhere/cjk.ttf"),
        ("ORDERFLOW_POLICY", "bad-policy.toml", "quality.level"),
        ("ORDERFLOW_SECRET_KEY", "short", "secret_key"),
    ],
)
def test_a_bad_setting_stops_each_command_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, named: str
) -> None:
    (tmp_path / "bad-policy.toml").write_text('[quality]\nlevel = "IV"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ORDERFLOW_DATABASE_URL", f"sqlite:///{tmp_path / 'untouched.db'}")
    monkeypatch.setenv(variable, value)
    config.get_settings.cache_clear()
    try:
        for command in (["serve", "--port", "1"], ["worker", "--once"], ["migrate"]):
            result = runner.invoke(app, command)
            assert result.exit_code == 2, (command, result.output)
            assert named in result.output and "Traceback" not in result.output
    finally:
        config.get_settings.cache_clear()
    assert not (tmp_path / "untouched.db").exists()  # refused before the database was opened
