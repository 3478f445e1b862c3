"""The review, quote, contract, change and versions pages render in both languages, and
their forms drive the documents (the browser story walks the whole path)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.changes.schemas import ChangeCreate
from orderflow.changes.service import create_change
from orderflow.quotes import service as quotes
from orderflow.quotes.schemas import QuoteCreate
from orderflow.runtime import Runtime
from orderflow.sales.service import create_order
from tests.factories import World, make_world, order_data
from tests.integration.test_pages import csrf, login


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def browser(rt: Runtime, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as client:
        yield client


def test_every_page_of_the_path_renders_and_takes_its_forms(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    clerk = world["sales_clerk"]
    order = create_order(
        rt,
        clerk,
        order_data(
            rt,
            world,
            custom_design=True,
            requested_date=(rt.today() + timedelta(days=20)).isoformat(),
        ),
    )
    quote = quotes.create_quote(rt, clerk, QuoteCreate(order_id=order.id))
    change = create_change(
        rt,
        clerk,
        ChangeCreate.model_validate(
            {"order_id": order.id, "description": "改备注", "patch": {"notes": "加急"}}
        ),
    )
    token = login(browser, "sales_clerk")
    page = browser.get(f"/orders/{order.id}").text
    assert "非常规订单" in page and "需重新设计" in page and "评审通过前不承诺交期" in page
    review_url = f"/reviews/{order.id}"
    review = browser.get(review_url).text
    assert "订单评审" in review and "销售内勤" in review and "签字同意" in review
    signed = browser.post(
        f"{review_url}/steps/sign_off", data={"csrf_token": token, "comment": "同意"}
    )
    assert signed.status_code == 303
    assert 'data-role="sales_clerk" data-state="approved"' in browser.get(review_url).text
    refused = browser.post(
        f"{review_url}/steps/object",
        data={"csrf_token": token, "topic": "price", "reason": ""},
    )
    assert refused.status_code == 422 and "reason" in refused.text  # a reason is required
    for url in (
        "/reviews",
        "/quotes",
        "/contracts",
        "/changes",
        f"/quotes/{quote.id}",
        f"/changes/{change.id}",
        f"/orders/{order.id}/versions",
        f"/changes/new?order_id={order.id}",
        "/tasks",
    ):
        assert browser.get(url).status_code == 200, url
    browser.get("/lang/en")
    assert "Non-regular order" in browser.get(f"/orders/{order.id}").text
    assert "Approved" in browser.get(review_url).text
    assert csrf(browser.get("/reviews").text)
