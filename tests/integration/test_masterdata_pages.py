"""The master-data pages, driven as a user drives them: log in, open a page, post its form.

Products (with price rows), warehouses with stock and adjustments, users and departments:
each is created and edited through its form; a bad form names each field next to its input
and saves nothing; a role without the permission gets no button and 403 on post; another
company's record answers 404.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from orderflow.app import create_app
from orderflow.auth.models import User
from orderflow.catalog.models import PriceListEntry, Product
from orderflow.catalog.service import get_product
from orderflow.inventory.models import StockLevel, StockMove, Warehouse
from orderflow.org.models import Department
from orderflow.runtime import Runtime
from tests.factories import PASSWORD, World, make_world


class Pages:
    """A browser session: one user logged in at a time, forms posted with the CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = ""

    def login(self, username: str, password: str = PASSWORD) -> None:
        if self.token:
            self.client.post("/logout", data={"csrf_token": self.token})
        login_page = self.client.get("/login").text
        answer = self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": _csrf(login_page)},
        )
        assert answer.status_code == 303, answer.text
        self.token = _csrf(self.client.get("/tasks").text)

    def get(self, url: str) -> Any:
        return self.client.get(url)

    def post(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, data={"csrf_token": self.token, **data})


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def pages(rt: Runtime, world: World) -> Iterator[Pages]:
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as client:
        yield Pages(client)


def _count(rt: Runtime, model: Any) -> int:
    with rt.db.reading() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def _elsewhere(rt: Runtime, world: World, obj: Any) -> int:
    """Store ``obj`` in the other company; its id."""
    with rt.db.transaction() as s:
        obj.company_id = world.other_company_user.company_id
        s.add(obj)
        s.flush()
        return int(obj.id)


PRODUCT = {
    "code": "GB-200",
    "name": "齿轮箱",
    "model_spec": "GB-200 / 1:20",
    "unit": "台",
    "kind": "finished",
    "lead_time_days": "15",
    "active": "true",
    "price_list[]": ["STD", "STD", ""],
    "min_quantity[]": ["", "10", ""],
    "unit_price[]": ["1200.00", "1100", ""],
    "currency[]": ["CNY", "CNY", "CNY"],  # the last row is the form's blank one: ignored
}


def test_a_product_is_created_with_prices_and_edited(
    rt: Runtime, world: World, pages: Pages
) -> None:
    pages.login("technical")
    assert 'id="new-product"' in pages.get("/products").text
    assert pages.get("/products/new").status_code == 200
    made = pages.post("/products/new", PRODUCT)
    assert made.status_code == 303, made.text
    page = pages.get(made.headers["location"]).text
    assert "齿轮箱" in page and "¥1,200.00" in page and "¥1,100.00" in page
    product_id = int(made.headers["location"].rsplit("/", 1)[1])
    form = pages.get(f"/products/{product_id}/edit").text
    assert 'value="GB-200 / 1:20"' in form and 'value="1100.00"' in form
    # Rename, discontinue, change the base price and drop the quantity tier.
    edited = pages.post(
        f"/products/{product_id}/edit",
        {
            **PRODUCT,
            "name": "齿轮箱（旧款）",
            "active": "false",
            "price_list[]": ["STD", "VIP"],
            "min_quantity[]": ["0", "0"],
            "unit_price[]": ["1250", "1000"],
            "currency[]": ["CNY", "CNY"],
        },
    )
    assert edited.status_code == 303, edited.text
    product = get_product(rt, world["technical"], product_id)
    assert product.name == "齿轮箱（旧款）" and product.active is False
    assert {(p.price_list, p.unit_price.amount) for p in product.prices} == {
        ("STD", "1250.00"),
        ("VIP", "1000.00"),
    }


def test_the_product_list_searches_and_filters(pages: Pages) -> None:
    pages.login("sales_clerk")
    raw = pages.get("/products?kind=raw").text
    assert "Product RAW" in raw and "Product P1" not in raw
    discontinued = pages.get("/products?active=false").text
    assert "Product OLD" in discontinued and "Product P1" not in discontinued
    found = pages.get("/products?q=P2-spec").text
    assert "Product P2" in found and "Product P3" not in found


def test_a_bad_product_form_names_each_field_and_saves_nothing(rt: Runtime, pages: Pages) -> None:
    pages.login("order_manager")
    before = _count(rt, Product)
    bad = pages.post(
        "/products/new",
        {
            **PRODUCT,
            "code": "bad code",
            "name": "",
            "lead_time_days": "soon",
            "unit_price[]": ["-1", "1100", ""],
            "currency[]": ["cny", "CNY", "CNY"],
        },
    )
    assert bad.status_code == 422
    for field in ("code", "name", "lead_time_days", "prices-0-unit_price", "prices-0-currency"):
        assert f'id="error-{field}"' in bad.text, field
    assert "必填" in bad.text and "请输入整数" in bad.text and "三个大写字母" in bad.text
    assert 'value="soon"' in bad.text  # what was typed is shown again
    taken = pages.post("/products/new", {**PRODUCT, "code": "P1"})
    assert taken.status_code == 409 and "已被使用" in taken.text
    twice = pages.post(
        "/products/new", {**PRODUCT, "min_quantity[]": ["10", "10", ""], "code": "GB-201"}
    )
    assert twice.status_code == 422 and 'id="error-prices"' in twice.text
    assert _count(rt, Product) == before


def test_product_forms_refuse_a_role_without_products_write(
    rt: Runtime, world: World, pages: Pages
) -> None:
    pages.login("sales_clerk")
    p1 = world.products["P1"]
    assert 'id="new-product"' not in pages.get("/products").text
    assert 'id="edit-product"' not in pages.get(f"/products/{p1}").text
    assert pages.get("/products/new").status_code == 403
    assert pages.get(f"/products/{p1}/edit").status_code == 403
    assert pages.post("/products/new", PRODUCT).status_code == 403
    # Refused before the form is even read: a bad form gets 403 too, not field hints.
    assert pages.post(f"/products/{p1}/edit", {"name": ""}).status_code == 403
    assert get_product(rt, world["sales_clerk"], p1).name == "Product P1"


def test_another_companys_product_is_not_found(rt: Runtime, world: World, pages: Pages) -> None:
    theirs = _elsewhere(
        rt,
        world,
        Product(
            code="X1",
            name="Theirs",
            model_spec="",
            unit="pcs",
            kind="finished",
            active=True,
            lead_time_days=0,
            created_at=rt.now(),
            prices=[PriceListEntry(price_list="STD", min_quantity=0, unit_price=Decimal(1))],
        ),
    )
    pages.login("technical")
    assert pages.get(f"/products/{theirs}").status_code == 404
    assert pages.get(f"/products/{theirs}/edit").status_code == 404
    assert pages.post(f"/products/{theirs}/edit", {**PRODUCT, "name": "Mine"}).status_code == 404


def test_a_warehouse_is_created_and_its_stock_adjusted_into_the_ledger(
    rt: Runtime, world: World, pages: Pages
) -> None:
    pages.login("warehouse")
    made = pages.post("/warehouses", {"code": "W2", "name": "二号仓", "address": "苏州工业园"})
    assert made.status_code == 303, made.text
    w2 = made.headers["location"]
    assert "二号仓" in pages.get("/warehouses").text
    taken = pages.post("/warehouses", {"code": "W2", "name": "again"})
    assert taken.status_code == 409 and 'id="error-code"' in taken.text
    bad = pages.post("/warehouses", {"code": "W 3", "name": ""})
    assert bad.status_code == 422
    assert 'id="error-code"' in bad.text and 'id="error-name"' in bad.text
    assert _count(rt, Warehouse) == 2

    adjust = {"product_code": "P3", "quantity": "25", "reason": "stock_count", "reference": "PD-1"}
    key = re.search(r'name="idempotency_key" value="([^"]+)"', pages.get(w2).text)
    assert key, "the adjustment form carries a key"
    for _ in range(2):  # a double click adjusts once
        posted = pages.post(f"{w2}/adjustments", {**adjust, "idempotency_key": key.group(1)})
        assert posted.status_code == 303
    assert pages.post(f"{w2}/adjustments", {**adjust, "quantity": "-5"}).status_code == 303
    page = pages.get(w2).text
    row = re.search(r'<tr data-product="P3">.*?</tr>', page, re.S)
    assert row and re.findall(r">(-?[\d.]+)(?: pcs)?</td>", row.group(0)) == ["20", "0", "20"]
    assert page.count("盘点") >= 2 and "PD-1" in page  # the ledger rows

    below = pages.post(f"{w2}/adjustments", {**adjust, "quantity": "-21"})
    assert below.status_code == 422 and 'id="error-quantity"' in below.text
    assert "少于已预留" in below.text and 'value="-21"' in below.text
    nothing = pages.post(f"{w2}/adjustments", {**adjust, "quantity": "0", "product_code": ""})
    assert nothing.status_code == 422
    assert 'id="error-product_code"' in nothing.text
    with rt.db.reading() as s:
        on_hand = s.scalar(
            select(func.sum(StockLevel.on_hand)).where(
                StockLevel.product_id == world.products["P3"]
            )
        )
        ledger = s.scalar(
            select(func.sum(StockMove.quantity)).where(StockMove.product_id == world.products["P3"])
        )
    assert on_hand == ledger == Decimal(20)


def test_warehouse_forms_refuse_other_roles_and_companies(
    rt: Runtime, world: World, pages: Pages
) -> None:
    theirs = _elsewhere(rt, world, Warehouse(code="WX", name="Theirs", address=""))
    opening = _count(rt, StockMove)  # the world's opening balances are in the ledger
    pages.login("sales_clerk")
    page = pages.get(f"/warehouses/{world.warehouse_id}").text
    assert "Product P1" in page and 'id="adjust-form"' not in page
    assert 'id="warehouse-form"' not in pages.get("/warehouses").text
    assert pages.post("/warehouses", {"code": "W9", "name": "x"}).status_code == 403
    adjust = {"product_code": "P1", "quantity": "5", "reason": "receipt"}
    assert pages.post(f"/warehouses/{world.warehouse_id}/adjustments", adjust).status_code == 403
    assert _count(rt, StockMove) == opening
    pages.login("warehouse")
    assert pages.get(f"/warehouses/{theirs}").status_code == 404
    assert pages.post(f"/warehouses/{theirs}/adjustments", adjust).status_code == 404
    assert _count(rt, StockMove) == opening


NEW_USER = {
    "username": "wang.clerk",
    "display_name": "王内勤",
    "password": "a long enough password",
    "roles": ["sales_clerk"],
    "department_code": "SALES",
    "email": "wang@example.com",
    "locale": "zh-CN",
}


def test_users_and_departments_are_administered(rt: Runtime, world: World, pages: Pages) -> None:
    pages.login("admin")
    assert 'id="nav-users"' in pages.get("/tasks").text
    assert pages.post("/departments", {"code": "SALES", "name": "销售部"}).status_code == 303
    assert pages.post("/departments", {"code": "SALES", "name": "x"}).status_code == 409
    assert "销售部" in pages.get("/departments").text

    made = pages.post("/users/new", NEW_USER)
    assert made.status_code == 303, made.text
    user_page = made.headers["location"]
    assert "销售部" in pages.get("/users").text
    edited = pages.post(
        user_page,
        {
            "display_name": "王主管",
            "roles": ["sales_clerk", "order_manager"],
            "department_code": "",
            "email": "",
            "locale": "en",
        },
    )
    assert edited.status_code == 303, edited.text
    with rt.db.reading() as s:
        user = s.scalar(select(User).where(User.username == "wang.clerk"))
        assert user is not None
        assert user.display_name == "王主管" and user.locale == "en"
        assert user.roles == ["sales_clerk", "order_manager"]
        assert user.department_id is None and user.email is None

    assert pages.post(f"{user_page}/deactivate", {}).status_code == 303
    assert "已停用" in pages.get(user_page).text
    assert pages.post(f"{user_page}/reactivate", {}).status_code == 303
    assert 'id="deactivate-user"' in pages.get(user_page).text
    # The new user logs in with the password set in the form and has the new roles.
    pages.login("wang.clerk", NEW_USER["password"])
    assert 'href="/customers/new"' in pages.get("/customers").text


def test_a_bad_user_form_names_each_field_and_saves_nothing(
    rt: Runtime, world: World, pages: Pages
) -> None:
    pages.login("admin")
    before = _count(rt, User)
    bad = pages.post(
        "/users/new",
        {
            **NEW_USER,
            "username": "a b",
            "password": "short",
            "roles": [],
            "email": "nope",
            "department_code": "NOPE",
        },
    )
    assert bad.status_code == 422
    for field in ("username", "password", "roles", "email"):
        assert f'id="error-{field}"' in bad.text, field
    assert "至少 10 个字符" in bad.text and "至少选择一个角色" in bad.text
    assert "short" not in bad.text  # a password is never sent back
    unknown = pages.post("/users/new", {**NEW_USER, "department_code": "NOPE"})
    assert unknown.status_code == 422 and "没有这个部门" in unknown.text
    taken = pages.post("/users/new", {**NEW_USER, "username": "finance"})
    assert taken.status_code == 409 and 'id="error-username"' in taken.text
    assert _count(rt, User) == before

    me = f"/users/{world['admin'].id}"
    myself = pages.post(f"{me}/deactivate", {})
    assert myself.status_code == 422 and "不能停用自己" in myself.text
    refused = pages.post(me, {"display_name": "admin", "roles": ["finance"], "locale": "zh-CN"})
    assert refused.status_code == 422 and "不能取消自己的管理权限" in refused.text
    with rt.db.reading() as s:
        admin = s.get(User, world["admin"].id)
        assert admin is not None and admin.is_active and admin.roles == ["admin"]


def test_user_pages_are_read_only_for_the_general_manager_and_closed_to_others(
    rt: Runtime, world: World, pages: Pages
) -> None:
    clerk = f"/users/{world['sales_clerk'].id}"
    pages.login("general_manager")
    listing = pages.get("/users").text
    assert "sales_clerk" in listing and 'id="new-user"' not in listing
    page = pages.get(clerk).text
    assert "销售内勤" in page and 'id="user-form"' not in page
    assert pages.get("/users/new").status_code == 403
    assert pages.post(clerk, {"display_name": "x", "roles": ["admin"]}).status_code == 403
    assert pages.post(f"{clerk}/deactivate", {}).status_code == 403
    assert pages.post("/departments", {"code": "D", "name": "D"}).status_code == 403
    assert _count(rt, Department) == 0
    pages.login("sales_clerk")
    assert 'id="nav-users"' not in pages.get("/tasks").text
    assert pages.get("/users").status_code == 403
    assert pages.get("/departments").status_code == 403
    pages.login("admin")
    stranger = f"/users/{world.other_company_user.id}"
    assert pages.get(stranger).status_code == 404
    assert pages.post(f"{stranger}/deactivate", {}).status_code == 404
    assert pages.post(stranger, {"display_name": "x", "roles": ["admin"]}).status_code == 404


def test_the_forms_speak_english_too(pages: Pages) -> None:
    pages.login("technical")
    pages.get("/lang/en")
    bad = pages.post("/products/new", {**PRODUCT, "name": "", "lead_time_days": "-1"})
    assert bad.status_code == 422
    assert "Required" in bad.text and "May not be less than 0" in bad.text
    assert "Price list" in bad.text and "Standard lead time (days)" in bad.text


def test_master_data_pages_need_a_login(pages: Pages) -> None:
    for path in ("/products/new", "/warehouses", "/warehouses/1", "/users", "/departments"):
        answer = pages.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
