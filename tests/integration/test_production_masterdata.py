"""Production master data by API and import: work centres on the calendar, BOMs with unit
consumption and overage (抛数), routings with standard times — and every refusal naming
its field and changing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from orderflow import config
from orderflow.cli import app
from orderflow.production.models import BomLine, WorkCentre
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for

runner = CliRunner()


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def test_work_centres_boms_and_routings_through_the_api(
    rt: Runtime, world: World, api: Api
) -> None:
    # A planner sets up a two-shift press line with two machines, closed one day for upkeep.
    made = api.as_(
        "planner",
        "POST",
        "/api/v1/work-centres",
        json={
            "code": "PRESS",
            "name": "冲压线",
            "units": 2,
            "shifts": ["08:00-12:00", "13:00-17:00", "18:00-22:00"],
            "closed_days": ["2026-12-05"],
            "hourly_rate": "150.00",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["day_minutes"] == 720 and made.json()["units"] == 2
    # A period that ends before it starts is refused, naming the field.
    bad = api.as_(
        "planner",
        "POST",
        "/api/v1/work-centres",
        json={"code": "X", "name": "X", "shifts": ["17:00-08:00"]},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "shifts"
    # Sales may look but not change.
    assert (
        api.as_(
            "sales", "POST", "/api/v1/work-centres", json={"code": "Y", "name": "Y"}
        ).status_code
        == 403
    )
    assert [c["code"] for c in api.as_("sales", "GET", "/api/v1/work-centres").json()["items"]] == [
        "PRESS"
    ]

    p1, p2 = world.products["P1"], world.products["P2"]
    bom = api.as_(
        "technical",
        "PUT",
        f"/api/v1/products/{p1}/bom",
        json={
            "lines": [
                {"component_code": "RAW", "quantity": "2.5", "overage": "0.03"},
                {"component_code": "P2", "quantity": "1"},
            ]
        },
    )
    assert bom.status_code == 200, bom.text
    assert [
        (ln["component_code"], ln["quantity"], ln["overage"]) for ln in bom.json()["lines"]
    ] == [("RAW", "2.5", "0.03"), ("P2", "1", "0")]
    # P2 made of P1 would make P1 contain itself: refused, and nothing changes.
    cycle = api.as_(
        "technical",
        "PUT",
        f"/api/v1/products/{p2}/bom",
        json={"lines": [{"component_code": "P1", "quantity": "1"}]},
    )
    assert cycle.status_code == 422 and cycle.json()["errors"][0]["code"] == "bom_cycle"
    unknown = api.as_(
        "technical",
        "PUT",
        f"/api/v1/products/{p2}/bom",
        json={
            "lines": [
                {"component_code": "NOPE", "quantity": "1"},
                {"component_code": "RAW", "quantity": "0"},
            ]
        },
    )
    assert unknown.status_code == 422
    assert {e["field"] for e in unknown.json()["errors"]} == {"lines[1].quantity"}
    unknown = api.as_(
        "technical",
        "PUT",
        f"/api/v1/products/{p2}/bom",
        json={"lines": [{"component_code": "NOPE", "quantity": "1"}]},
    )
    assert [e["field"] for e in unknown.json()["errors"]] == ["lines[0].component_code"]
    with rt.db.reading() as s:
        assert s.scalars(select(BomLine.product_id)).all() == [p1, p1]

    routing = api.as_(
        "technical",
        "PUT",
        f"/api/v1/products/{p1}/routing",
        json={
            "steps": [
                {
                    "seq": 10,
                    "name": "冲压",
                    "work_centre_code": "PRESS",
                    "setup_minutes": 30,
                    "run_minutes": "1.5",
                },
                {"seq": 20, "name": "装配", "work_centre_code": "ASSY"},
            ]
        },
    )
    assert (
        routing.status_code == 422
        and routing.json()["errors"][0]["field"] == "steps[1].work_centre_code"
    )
    routing = api.as_(
        "technical",
        "PUT",
        f"/api/v1/products/{p1}/routing",
        json={
            "steps": [
                {
                    "seq": 10,
                    "name": "冲压",
                    "work_centre_code": "PRESS",
                    "setup_minutes": 30,
                    "run_minutes": "1.5",
                }
            ]
        },
    )
    assert routing.json()["steps"][0]["run_minutes"] == "1.5"
    # Another company's user sees none of it.
    other = world.other_company_user.username
    assert api.as_(other, "GET", f"/api/v1/products/{p1}/bom").status_code in (403, 404)


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture
def cli_world(rt: Runtime, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("ORDERFLOW_DATABASE_URL", rt.db.url)
    config.get_settings.cache_clear()
    yield world
    config.get_settings.cache_clear()


def test_import_centres_boms_and_routings_from_excel_with_chinese_headings(
    rt: Runtime, cli_world: World, tmp_path: Path
) -> None:
    centres = _xlsx(
        tmp_path / "wc.xlsx",
        [
            ["编码", "名称", "台数", "班次", "小时费率"],
            ["PRESS", "冲压线", 2, "08:30-12:00;13:30-17:30", 120],
            ["ASSY", "装配线", 3, "", 80],
        ],
    )
    result = runner.invoke(app, ["import", "work_centres", str(centres), "--as", "planner"])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    boms = _xlsx(
        tmp_path / "bom.xlsx",
        [
            ["父件编码", "子件编码", "单件用量", "抛数"],
            ["P1", "RAW", 1.35, 0.03],
            ["P1", "P3", 2, None],
        ],
    )
    assert runner.invoke(app, ["import", "boms", str(boms), "--as", "technical"]).exit_code == 0
    routes = _xlsx(
        tmp_path / "rt.xlsx",
        [
            ["产品编码", "工序号", "工序名称", "工作中心", "准备时间", "单件工时"],
            ["P1", 10, "冲压", "PRESS", 20, 1.5],
            ["P1", 20, "装配", "ASSY", 0, 3],
        ],
    )
    assert (
        runner.invoke(app, ["import", "routings", str(routes), "--as", "technical"]).exit_code == 0
    )
    with rt.db.reading() as s:
        lines = s.scalars(select(BomLine).order_by(BomLine.line_no)).all()
        assert [(str(ln.quantity.normalize()), str(ln.overage.normalize())) for ln in lines] == [
            ("1.35", "0.03"),
            ("2", "0"),
        ]
        assert {c.code: c.units for c in s.scalars(select(WorkCentre))} == {"PRESS": 2, "ASSY": 3}

    # A bad row (unknown work centre) saves nothing and names row and column.
    bad = _xlsx(
        tmp_path / "bad.xlsx",
        [
            ["产品编码", "工序号", "工序名称", "工作中心"],
            ["P2", 10, "冲压", "PRESS"],
            ["P2", 20, "喷涂", "PAINT"],
        ],
    )
    result = runner.invoke(app, ["import", "routings", str(bad), "--as", "technical"])
    assert result.exit_code == 2
    assert "row 3, work_centre_code" in result.output
    with rt.db.reading() as s:
        from orderflow.production.models import RoutingStep

        assert s.scalars(select(RoutingStep.product_id).distinct()).all() == [
            cli_world.products["P1"]
        ]
