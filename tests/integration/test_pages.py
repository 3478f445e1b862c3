"""The web pages: login with CSRF, my tasks, the order list, entry form and order page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from orderflow.app import create_app
from orderflow.core.clock import FrozenClock
from orderflow.core.sweeper import sweep
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from orderflow.sales.service import create_order, get_order
from tests.factories import PASSWORD, World, make_world, order_data


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def browser(rt: Runtime, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as client:
        yield client


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: TestClient, username: str) -> str:
    token = csrf(client.get("/login").text)
    answer = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 303, answer.text
    return csrf(client.get("/tasks").text)


def orders(rt: Runtime) -> int:
    with rt.db.reading() as s:
        return s.scalar(select(func.count()).select_from(SalesOrder)) or 0


def test_pages_need_a_login(browser: TestClient) -> None:
    for path in ("/tasks", "/orders", "/orders/new", "/orders/1", "/notifications"):
        answer = browser.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_login_refuses_a_form_without_the_csrf_token(browser: TestClient) -> None:
    browser.get("/login")
    answer = browser.post("/login", data={"username": "sales_clerk", "password": PASSWORD})
    assert answer.status_code == 403
    assert browser.get("/tasks").status_code == 303  # still not logged in


def test_a_wrong_password_is_told_and_nobody_is_logged_in(browser: TestClient) -> None:
    token = csrf(browser.get("/login").text)
    answer = browser.post(
        "/login", data={"username": "sales_clerk", "password": "nope", "csrf_token": token}
    )
    assert answer.status_code == 401 and "用户名或密码错误" in answer.text


def test_an_order_is_entered_through_the_form(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    token = login(browser, "sales_clerk")
    form = browser.get("/orders/new").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    data = {
        "csrf_token": token,
        "idempotency_key": key,
        "channel": "phone",
        "customer_id": str(world.customer_id),
        "requested_date": (rt.today() + timedelta(days=10)).isoformat(),
        "priority": "urgent",
        "product_id[]": [str(world.products["P1"]), str(world.products["P2"])],
        "quantity[]": ["3", "1"],
        "unit_price[]": ["", ""],
    }
    answer = browser.post("/orders/new", data=data)
    assert answer.status_code == 303, answer.text
    page = browser.get(answer.headers["location"]).text
    assert "SO-2026-000001" in page and "待确认" in page and "¥550.50" in page
    # A double submit of the same form does not make a second order.
    assert browser.post("/orders/new", data=data).status_code == 303
    assert orders(rt) == 1


def test_a_bad_form_shows_each_error_and_saves_nothing(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    token = login(browser, "sales_clerk")
    data = {
        "csrf_token": token,
        "channel": "phone",
        "customer_id": str(world.customer_id),
        "requested_date": "2001-01-01",
        "priority": "normal",
        "product_id[]": [str(world.products["OLD"]), str(world.products["P1"])],
        "quantity[]": ["1", "-2"],
        "unit_price[]": ["", ""],
    }
    answer = browser.post("/orders/new", data=data)
    assert answer.status_code == 422
    assert 'id="error-lines-1-quantity"' in answer.text  # the form's shape is checked first
    assert "必须大于 0" in answer.text  # in the page's language (zh-CN by default)
    assert 'value="2001-01-01"' in answer.text  # what was typed is kept
    data["quantity[]"] = ["1", "2"]
    answer = browser.post("/orders/new", data=data)
    assert answer.status_code == 422
    for field in ("requested_date", "lines-0-product_id"):  # then every business rule at once
        assert f'id="error-{field}"' in answer.text
    assert "日期已过：" in answer.text  # the label, then the service's own words
    english = browser.post("/orders/new?lang=en", data=data)
    assert "日期已过" not in english.text and "The requested date is in the past" in english.text
    assert orders(rt) == 0


def test_the_order_page_offers_only_the_callers_steps(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    order = create_order(rt, world["sales_clerk"], order_data(rt, world))
    login(browser, "finance")
    page = browser.get(f"/orders/{order.id}").text
    assert 'id="do-confirm"' not in page and 'id="do-pay"' not in page
    browser.post("/logout", data={"csrf_token": csrf(page)})
    login(browser, "sales_clerk")
    page = browser.get(f"/orders/{order.id}").text
    assert 'id="do-confirm"' in page and 'id="do-cancel"' in page


def test_a_step_through_the_page_and_a_stale_one(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    order = create_order(rt, world["sales_clerk"], order_data(rt, world))
    token = login(browser, "sales_clerk")
    done = browser.post(
        f"/orders/{order.id}/steps/confirm",
        data={"csrf_token": token, "version": str(order.version)},
    )
    assert done.status_code == 303
    assert get_order(rt, world["sales_clerk"], order.id).state == "confirmed"
    stale = browser.post(
        f"/orders/{order.id}/steps/cancel",
        data={"csrf_token": token, "version": str(order.version), "reason": "late"},
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    assert get_order(rt, world["sales_clerk"], order.id).state == "confirmed"
    no_csrf = browser.post(f"/orders/{order.id}/steps/cancel", data={"version": "2", "reason": "x"})
    assert no_csrf.status_code == 403


def test_another_companys_order_is_not_found(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    order = create_order(rt, world["sales_clerk"], order_data(rt, world))
    login(browser, "stranger")
    assert browser.get(f"/orders/{order.id}").status_code == 404


def test_my_tasks_lists_overdue_first_with_time_left(
    rt: Runtime, world: World, browser: TestClient, clock: FrozenClock
) -> None:
    create_order(rt, world["sales_clerk"], order_data(rt, world))  # due in 24 working hours
    clock.advance(hours=-30)
    create_order(rt, world["sales_clerk"], order_data(rt, world, priority="urgent"))  # long overdue
    clock.advance(hours=30)
    sweep(rt.db, rt.policy, now=clock.now)
    login(browser, "sales_clerk")
    page = browser.get("/tasks").text
    rows = re.findall(r'data-overdue="(true|false)"', page)
    assert rows == ["true", "false"]
    assert "逾期" in page and "剩 24小时" in page


def test_both_languages_render(rt: Runtime, world: World, browser: TestClient) -> None:
    order = create_order(rt, world["sales_clerk"], order_data(rt, world))
    login(browser, "sales_clerk")
    assert "订单记录" in browser.get(f"/orders/{order.id}").text
    browser.get("/lang/en")
    page = browser.get(f"/orders/{order.id}").text
    assert "Timeline" in page and "To confirm" in page
    assert "Order entered" in page


def test_messages_show_urging_notices_and_mask_customer_addresses(
    rt: Runtime, world: World, browser: TestClient, clock: FrozenClock
) -> None:
    order = create_order(
        rt, world["sales_clerk"], order_data(rt, world, priority="urgent", confirm=True)
    )
    assert order.total.amount == str(Decimal("450.50"))
    clock.advance(days=3)
    sweep(rt.db, rt.policy, now=clock.now)
    login(browser, "order_manager")
    page = browser.get("/notifications").text
    assert "liu@example.com" in page  # order managers may edit customers
    browser.post("/logout", data={"csrf_token": csrf(page)})
    login(browser, "general_manager")
    page = browser.get("/notifications").text
    assert "l***@example.com" in page and "liu@example.com" not in page


def test_master_data_pages(rt: Runtime, world: World, browser: TestClient) -> None:
    token = login(browser, "sales_clerk")
    assert "华东客户" in browser.get("/customers").text
    assert "Product P1" in browser.get("/products").text
    assert "Main" in browser.get("/stock").text
    bad = browser.post(
        "/customers/new",
        data={
            "csrf_token": token,
            "code": "C7",
            "name": "",
            "credit_limit": "x",
            "contact_name": "王",
            "contact_email": "nope",
        },
    )
    assert bad.status_code == 422
    assert 'id="error-credit_limit"' in bad.text and 'id="error-contact_email"' in bad.text
    made = browser.post(
        "/customers/new",
        data={
            "csrf_token": token,
            "code": "C7",
            "name": "新客户",
            "credit_limit": "1000",
            "payment_terms_days": "30",
            "price_list": "STD",
            "locale": "zh-CN",
            "contact_name": "王工",
            "address": "工业园 1 号",
        },
    )
    assert made.status_code == 303
    edited = browser.post(
        made.headers["location"],
        data={
            "csrf_token": token,
            "name": "新客户（改）",
            "credit_limit": "2000",
            "payment_terms_days": "45",
            "price_list": "STD",
            "locale": "en",
        },
    )
    assert edited.status_code == 303
    page = browser.get(made.headers["location"]).text
    assert 'value="新客户（改）"' in page and 'value="2000.00"' in page
