"""B6: a confirmation that finds a stock shortage tells the customer at once — which lines,
and the options wait / split / substitute — in their language, through a real SMTP server
on loopback; once per shortage; and the mail after the clerk's choice still goes out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from orderflow.app import create_app
from orderflow.config import Settings
from orderflow.notify.models import Notification
from orderflow.notify.service import dispatch_email
from orderflow.parties.models import Customer
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_mail_dispatch import Inbox, smtp  # noqa: F401  (the fixture)
from tests.integration.test_pages import login
from tests.integration.test_review_to_effective_api import post


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def short_order(rt: Runtime, world: World, api: Api) -> dict[str, Any]:
    return post(
        api,
        "sales_clerk",
        "/api/v1/orders",
        {
            "channel": "phone",
            "customer_id": world.customer_id,
            "requested_date": (rt.today() + timedelta(days=10)).isoformat(),
            "lines": [
                {"product_code": "P2", "quantity": "60"},
                {"product_code": "P1", "quantity": "1"},
            ],
        },
    )


def mails(rt: Runtime) -> list[str]:
    with rt.db.reading() as s:
        return list(s.scalars(select(Notification.kind).order_by(Notification.id)))


def test_the_customer_is_told_of_the_shortage_and_the_options_at_once(
    rt: Runtime,
    world: World,
    api: Api,
    smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, port = smtp
    with rt.db.transaction() as s:  # an English-speaking customer
        s.execute(update(Customer).values(locale="en"))
    order = short_order(rt, world, api)
    refused = api.step("sales_clerk", order, "confirm")
    assert refused.status_code == 409 and refused.json()["customer_told"] is True
    assert mails(rt) == ["stock_shortage_options"]
    api.step("sales_clerk", order, "confirm")  # the same shortage again: not mailed twice
    assert mails(rt) == ["stock_shortage_options"]

    settings = Settings(
        database_url=rt.db.url, secret_key="x" * 20, smtp_host="127.0.0.1", smtp_port=port
    )
    assert dispatch_email(rt.db, settings, now=rt.now()).sent == 1
    [mail] = inbox.messages
    assert mail["To"] == "liu@example.com"
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject == f"Order {order['number']}: some items short of stock, please choose"
    body = mail.get_payload(decode=True).decode()
    assert "line 1 P2 Product P2: 60 ordered, 50 in stock" in body
    assert "(1) wait" in body and "(2) split" in body and "(3) substitute" in body

    # the clerk's choice (same version: nothing changed on the order) is mailed as before
    done = api.step("sales_clerk", order, "confirm", {"on_shortage": "split"})
    assert done.status_code == 200 and done.json()["state"] == "confirmed"
    assert mails(rt)[-2:] == ["stock_shortage", "order_confirmed"]


def test_the_order_page_says_the_customer_was_told(rt: Runtime, world: World, api: Api) -> None:
    order = short_order(rt, world, api)
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as browser:
        token = login(browser, "sales_clerk")
        refused = browser.post(
            f"/orders/{order['id']}/steps/confirm",
            data={"csrf_token": token, "version": str(order["version"])},
        )
        assert refused.status_code == 409
        assert 'id="customer-told"' in refused.text and "等待 / 分批 / 替代" in refused.text
    with rt.db.reading() as s:
        [body] = s.scalars(
            select(Notification.body).where(Notification.kind == "stock_shortage_options")
        )
    assert "第 1 行 P2 Product P2：订购 60，现有 50" in body and "① 等待" in body


def test_a_failing_follow_up_never_hides_the_refusal(
    rt: Runtime, world: World, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> bool:
        raise RuntimeError("mail template missing")

    monkeypatch.setattr("orderflow.sales.shortage.tell_customer", broken)
    order = short_order(rt, world, api)
    refused = api.step("sales_clerk", order, "confirm")
    assert refused.status_code == 409 and refused.json()["options"] == [
        "wait",
        "split",
        "substitute",
    ]
    assert mails(rt) == []
