"""Master data by API: customers, products, warehouses and stock, users — scoped and checked."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from orderflow.inventory.models import StockLevel, StockMove
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


CUSTOMER = {
    "code": "C9",
    "name": "苏州新客户有限公司",
    "credit_limit": "300000",
    "payment_terms_days": 45,
    "region": "华东",
    "contacts": [
        {"name": "王工", "phone": "13912345678", "email": "wang@example.com", "is_primary": True}
    ],
    "addresses": [
        {"province": "江苏省", "city": "苏州市", "line": "星湖街 1 号", "is_default": True}
    ],
}


def test_a_customer_is_created_read_listed_and_updated(api: Api) -> None:
    made = api.as_("sales_clerk", "POST", "/api/v1/customers", json=CUSTOMER)
    assert made.status_code == 201, made.text
    customer = made.json()
    assert customer["credit_limit"] == {"amount": "300000.00", "currency": "CNY"}
    assert customer["is_new"] is True and customer["contacts"][0]["email"] == "wang@example.com"
    found = api.as_("sales_clerk", "GET", "/api/v1/customers?q=新客户").json()["items"]
    assert [c["code"] for c in found] == ["C9"]
    changed = api.as_(
        "order_manager",
        "PATCH",
        f"/api/v1/customers/{customer['id']}",
        json={"credit_limit": "500000", "payment_terms_days": 60},
    )
    assert changed.status_code == 200
    assert changed.json()["credit_limit"]["amount"] == "500000.00"
    assert changed.json()["contacts"] == customer["contacts"]  # lists not given stay


def test_customer_refusals_name_the_field_and_change_nothing(api: Api) -> None:
    bad = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/customers",
        json={
            **CUSTOMER,
            "credit_limit": "-1",
            "contacts": [{"name": "x", "email": "not-an-email"}],
        },
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"credit_limit", "contacts[0].email"}
    dup = api.as_("sales_clerk", "POST", "/api/v1/customers", json={**CUSTOMER, "code": "C1"})
    assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "code"
    assert api.as_("finance", "POST", "/api/v1/customers", json=CUSTOMER).status_code == 403
    assert [
        c["code"] for c in api.as_("sales_clerk", "GET", "/api/v1/customers").json()["items"]
    ] == ["C1"]


def test_personal_data_is_masked_for_roles_that_may_not_edit_customers(api: Api) -> None:
    contact = api.as_("finance", "GET", "/api/v1/customers").json()["items"][0]["contacts"][0]
    assert contact["phone"] == "138****5678" and contact["email"] == "l***@example.com"
    assert (
        api.as_("sales_clerk", "GET", "/api/v1/customers").json()["items"][0]["contacts"][0][
            "phone"
        ]
        == "13812345678"
    )


def test_other_companies_see_nothing(api: Api, world: World) -> None:
    token = api.client.post(
        "/api/v1/auth/token", json={"username": "stranger", "password": "correct horse battery"}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert (
        api.client.get(f"/api/v1/customers/{world.customer_id}", headers=headers).status_code == 404
    )
    assert api.client.get("/api/v1/customers", headers=headers).json()["items"] == []
    assert (
        api.client.get(f"/api/v1/products/{world.products['P1']}", headers=headers).status_code
        == 404
    )


def test_products_with_price_lists(api: Api) -> None:
    body = {
        "code": "NEW-1",
        "name": "新产品",
        "model_spec": "X-1 / 220V",
        "unit": "台",
        "kind": "finished",
        "prices": [
            {"price_list": "STD", "unit_price": "99.50"},
            {"price_list": "STD", "min_quantity": "10", "unit_price": "90"},
        ],
    }
    made = api.as_("technical", "POST", "/api/v1/products", json=body)
    assert made.status_code == 201, made.text
    assert [p["unit_price"]["amount"] for p in made.json()["prices"]] == ["99.50", "90.00"]
    bad = api.as_(
        "technical", "POST", "/api/v1/products", json={**body, "code": "NEW-2", "kind": "gadget"}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"
    assert (
        api.as_(
            "sales_clerk", "POST", "/api/v1/products", json={**body, "code": "NEW-3"}
        ).status_code
        == 403
    )
    off = api.as_(
        "technical", "PATCH", f"/api/v1/products/{made.json()['id']}", json={"active": False}
    )
    assert off.json()["active"] is False
    # Saving the price list again with a row kept (same list and quantity) changes it in
    # place; the unique key on (product, list, quantity) must not trip.
    repriced = api.as_(
        "technical",
        "PATCH",
        f"/api/v1/products/{made.json()['id']}",
        json={"prices": [{"price_list": "STD", "unit_price": "95"}]},
    )
    assert repriced.status_code == 200, repriced.text
    assert [(p["min_quantity"], p["unit_price"]["amount"]) for p in repriced.json()["prices"]] == [
        ("0", "95.00")
    ]


def test_stock_adjustments_keep_on_hand_equal_to_the_ledger(
    rt: Runtime, api: Api, world: World
) -> None:
    for qty in ("25", "-5"):
        answer = api.as_(
            "warehouse",
            "POST",
            "/api/v1/stock/adjustments",
            json={"warehouse_code": "W1", "product_code": "P3", "quantity": qty, "reason": "count"},
        )
        assert answer.status_code == 201, answer.text
    assert answer.json()["on_hand"] == "20"
    below = api.as_(
        "warehouse",
        "POST",
        "/api/v1/stock/adjustments",
        json={"warehouse_code": "W1", "product_code": "P3", "quantity": "-21", "reason": "count"},
    )
    assert below.status_code == 422 and below.json()["errors"][0]["field"] == "quantity"
    unknown = api.as_(
        "warehouse",
        "POST",
        "/api/v1/stock/adjustments",
        json={"warehouse_code": "NOPE", "product_code": "P3", "quantity": "1", "reason": "count"},
    )
    assert {e["field"] for e in unknown.json()["errors"]} == {"warehouse_code"}
    with rt.db.reading() as s:
        on_hand = s.scalar(
            select(StockLevel.on_hand).where(StockLevel.product_id == world.products["P3"])
        )
        ledger = s.scalar(
            select(func.sum(StockMove.quantity)).where(StockMove.product_id == world.products["P3"])
        )
    assert on_hand == ledger == Decimal(20)
    stock = api.as_("sales_clerk", "GET", "/api/v1/stock?product_code=P3").json()["items"]
    assert stock[0]["available"] == "20"


def test_warehouses_and_users_are_administered(api: Api) -> None:
    made = api.as_("warehouse", "POST", "/api/v1/warehouses", json={"code": "W2", "name": "二号仓"})
    assert made.status_code == 201
    assert [w["code"] for w in api.as_("planner", "GET", "/api/v1/warehouses").json()["items"]] == [
        "W1",
        "W2",
    ]
    dept = api.as_("admin", "POST", "/api/v1/departments", json={"code": "sales", "name": "销售部"})
    assert dept.status_code == 201
    user = api.as_(
        "admin",
        "POST",
        "/api/v1/users",
        json={
            "username": "new_clerk",
            "display_name": "新内勤",
            "password": "a long password",
            "roles": ["sales_clerk"],
            "department_code": "sales",
        },
    )
    assert user.status_code == 201, user.text
    assert (
        api.client.post(
            "/api/v1/auth/token", json={"username": "new_clerk", "password": "a long password"}
        ).status_code
        == 200
    )
    bad = api.as_(
        "admin",
        "POST",
        "/api/v1/users",
        json={"username": "x2", "display_name": "x", "password": "short", "roles": ["wizard"]},
    )
    assert {e["field"] for e in bad.json()["errors"]} == {"password", "roles"}
    assert api.as_("sales_clerk", "GET", "/api/v1/users").status_code == 403
    off = api.as_("admin", "POST", f"/api/v1/users/{user.json()['id']}/deactivate")
    assert off.json()["is_active"] is False
    assert (
        api.client.post(
            "/api/v1/auth/token", json={"username": "new_clerk", "password": "a long password"}
        ).status_code
        == 401
    )
