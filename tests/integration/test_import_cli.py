"""``orderflow import``: CSV and Excel, Chinese headings, all rows or none."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from orderflow import config
from orderflow.cli import app
from orderflow.inventory.models import StockLevel, StockMove
from orderflow.parties.models import Customer
from orderflow.runtime import Runtime
from tests.factories import World, make_world

runner = CliRunner()


@pytest.fixture
def world(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    monkeypatch.setenv("ORDERFLOW_DATABASE_URL", rt.db.url)
    config.get_settings.cache_clear()
    yield make_world(rt)
    config.get_settings.cache_clear()


def customers(rt: Runtime) -> dict[str, Customer]:
    with rt.db.reading() as s:
        return {c.code: c for c in s.scalars(select(Customer))}


def test_customers_from_csv_with_chinese_headings(
    rt: Runtime, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "客户编码,客户名称,信用额度,付款期,联系人,电话,邮箱,省,市,地址\n"
        "C2,广州南方电气,800000,30,陈总,13700002222,chen@example.com,广东省,广州市,科学大道 101 号\n"
        "C1,华东客户（改名）,1200000,45,,,,,,\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "customers", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated" in result.output
    found = customers(rt)
    assert found["C2"].credit_limit == Decimal("800000") and found["C1"].name == "华东客户（改名）"
    assert found["C1"].payment_terms_days == 45


def test_a_bad_row_saves_nothing_and_names_row_and_column(
    rt: Runtime, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "code,name,credit_limit,contact_name,contact_email\n"
        "C3,Good Co,1000,,\n"
        "C4,,abc,Ann,not-an-email\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "customers", str(path)])
    assert result.exit_code == 2
    for text in (
        "row 3, name",
        "row 3, credit_limit",
        "row 3, contacts[0].email",
        "nothing was imported",
    ):
        assert text in result.output
    assert set(customers(rt)) == {"C1"}


def test_products_and_a_stock_count_from_excel(rt: Runtime, world: World, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["产品编码", "产品名称", "规格型号", "单位", "类别", "单价"])
    sheet.append(["X-1", "新电机", "7.5kW", "台", "finished", 2350])
    products = tmp_path / "products.xlsx"
    book.save(products)
    assert runner.invoke(app, ["import", "products", str(products)]).exit_code == 0

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["仓库编码", "产品编码", "库存数量"])
    sheet.append(["W1", "X-1", 12])
    sheet.append(["W1", "P1", 90])  # counted 90 where the books say 100
    stock = tmp_path / "stock.xlsx"
    book.save(stock)
    result = runner.invoke(app, ["import", "stock", str(stock), "--as", "warehouse"])
    assert result.exit_code == 0, result.output
    with rt.db.reading() as s:
        levels = {lvl.product_id: lvl.on_hand for lvl in s.scalars(select(StockLevel))}
        moves = s.scalar(
            select(func.count()).select_from(StockMove).where(StockMove.reason == "stock_count")
        )
    assert levels[world.products["P1"]] == Decimal(90) and Decimal(12) in levels.values()
    assert moves == 2


def test_dry_run_and_wrong_role_change_nothing(rt: Runtime, world: World, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("code,name\nC5,Dry Co\n", encoding="utf-8")
    dry = runner.invoke(app, ["import", "customers", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "would import customers: 1 created" in dry.output
    assert runner.invoke(app, ["import", "customers", str(path), "--as", "finance"]).exit_code == 3
    assert set(customers(rt)) == {"C1"}


def test_users_import(rt: Runtime, world: World, tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text(
        '用户名,姓名,密码,角色\nclerk2,二号内勤,a long enough pw,"sales_clerk,sales"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["import", "users", str(path)])
    assert result.exit_code == 0, result.output
    from orderflow.auth.models import User

    with rt.db.reading() as s:
        user = s.scalar(select(User).where(User.username == "clerk2"))
    assert user is not None and user.roles == ["sales_clerk", "sales"]
