"""``orderflow purchasing|inventory|quality|exceptions``: the desks from a terminal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from orderflow import config
from orderflow.cli import app
from orderflow.inventory.models import LocationStock
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.supply_factories import add_suppliers

runner = CliRunner()


@pytest.fixture
def world(rt: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[World]:
    # The command line runs on today's real date; near a year's end the deadlines fall in a
    # year the holiday data may not cover yet, so say it has none.
    policy = tmp_path / "policy.toml"
    year = datetime.now(UTC).year + 1
    policy.write_text(f"[calendar.published.{year}]\nholidays = []\n", encoding="utf-8")
    monkeypatch.setenv("ORDERFLOW_POLICY", str(policy))
    monkeypatch.setenv("ORDERFLOW_DATABASE_URL", rt.db.url)
    config.get_settings.cache_clear()
    world = make_world(rt)
    add_suppliers(rt, world)
    yield world
    config.get_settings.cache_clear()


def test_a_purchase_is_placed_and_the_books_checked_from_the_command_line(
    rt: Runtime, world: World, tmp_path: Path
) -> None:
    due = (datetime.now(UTC).date() + timedelta(days=20)).isoformat()
    body = tmp_path / "po.json"
    body.write_text(
        json.dumps(
            {
                "supplier_code": "S1",
                "due_date": due,
                "lines": [{"product_code": "RAW", "quantity": "10"}],
            }
        ),
        encoding="utf-8",
    )
    made = runner.invoke(app, ["purchasing", "create", str(body)])
    assert made.exit_code == 0, made.output
    number = made.output.split()[0]
    assert "draft 12.00 CNY" in made.output
    assert runner.invoke(app, ["purchasing", "step", number, "submit"]).exit_code == 0
    refused = runner.invoke(app, ["purchasing", "step", number, "approve"])
    assert refused.exit_code == 3  # a buyer does not approve (403)
    approved = runner.invoke(
        app, ["purchasing", "step", number, "approve", "--as", "procurement_manager"]
    )
    assert approved.exit_code == 0 and "ordered" in approved.output
    assert number in runner.invoke(app, ["purchasing", "orders"]).output
    assert "华东钢材" in runner.invoke(app, ["purchasing", "suppliers"]).output
    assert runner.invoke(app, ["purchasing", "performance", "--by", "product"]).exit_code == 0
    assert runner.invoke(app, ["purchasing", "step", "PO-1999-000001", "submit"]).exit_code == 4
    assert (
        runner.invoke(app, ["purchasing", "step", number, "submit", "--fields", "{"]).exit_code == 2
    )

    received = runner.invoke(app, ["purchasing", "step", number, "receive", "--as", "warehouse"])
    assert received.exit_code == 0 and "receiving" in received.output
    assert "incoming" in runner.invoke(app, ["quality", "pending"]).output
    assert runner.invoke(app, ["quality", "stats"]).exit_code == 0
    assert "receipt" in runner.invoke(app, ["inventory", "moves", "--product", "RAW"]).output
    assert "QC" in runner.invoke(app, ["inventory", "locations", "W1"]).output
    assert runner.invoke(app, ["inventory", "verify"]).exit_code == 0
    with rt.db.transaction() as s:
        s.execute(update(LocationStock).values(quantity=LocationStock.quantity + 1))
    broken = runner.invoke(app, ["inventory", "verify"])
    assert broken.exit_code == 1 and "UNBALANCED" in broken.output


def test_exception_counts_from_the_command_line(rt: Runtime, world: World) -> None:
    listed = runner.invoke(app, ["exceptions", "list"])
    assert listed.exit_code == 0
    counts = runner.invoke(app, ["exceptions", "counts", "--since", "2020-01-01"])
    assert counts.exit_code == 0 and "quality: 0" in counts.output
    assert runner.invoke(app, ["exceptions", "counts", "--since", "yesterday"]).exit_code == 2
