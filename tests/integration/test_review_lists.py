"""The lists of reviews, quotes, contracts and change notices page like /api/v1/orders:
newest first, keyset by id, an opaque cursor in ``next``; the pages link to the next one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.changes.schemas import ChangeCreate
from orderflow.changes.service import create_change
from orderflow.contracts.schemas import ContractCreate
from orderflow.contracts.service import create_contract
from orderflow.quotes.schemas import QuoteCreate
from orderflow.quotes.service import create_quote
from orderflow.runtime import Runtime
from orderflow.sales.service import create_order
from tests.factories import World, make_world, order_data
from tests.integration.api_client import api_for
from tests.integration.test_pages import login


@pytest.fixture
def world(rt: Runtime) -> World:
    world = make_world(rt)
    clerk = world["sales_clerk"]
    for _ in range(3):
        # a custom design is reviewed on entry; a plain confirmed order takes a contract
        custom = create_order(
            rt,
            clerk,
            order_data(
                rt,
                world,
                custom_design=True,
                requested_date=(rt.today() + timedelta(days=30)).isoformat(),
            ),
        )
        create_quote(rt, clerk, QuoteCreate(order_id=custom.id))
        create_change(
            rt,
            clerk,
            ChangeCreate.model_validate(
                {"order_id": custom.id, "description": "备注", "patch": {"notes": "x"}}
            ),
        )
        plain = create_order(rt, clerk, order_data(rt, world, confirm=True))
        create_contract(rt, clerk, ContractCreate(order_id=plain.id))
    return world


def walk(api: Any, url: str) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        answer = api.as_(
            "order_manager",
            "GET",
            url,
            params={"limit": 2, **({"cursor": cursor} if cursor else {})},
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        pages.append([item["number"] for item in body["items"]])
        cursor = body["next"]
        if cursor is None:
            return pages


def test_each_list_pages_newest_first_with_a_cursor(rt: Runtime, world: World) -> None:
    with api_for(rt) as api:
        for collection in ("reviews", "quotes", "contracts", "changes"):
            pages = walk(api, f"/api/v1/{collection}")
            numbers = [n for page in pages for n in page]
            assert [len(p) for p in pages] == [2, 1], collection
            assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == 3
            bad = api.as_("order_manager", "GET", f"/api/v1/{collection}?cursor=nonsense")
            assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


def test_the_list_pages_link_to_the_next_page(
    rt: Runtime, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("orderflow.core.paging.DEFAULT_LIMIT", 2)
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as browser:
        login(browser, "order_manager")
        for url in ("/reviews", "/quotes", "/contracts?everyone=true", "/changes"):
            first = browser.get(url)
            assert first.status_code == 200 and 'id="more"' in first.text, url
            more = first.text.split('id="more" href="')[1].split('"')[0].replace("&amp;", "&")
            assert "cursor=" in more and ("everyone=true" in more) == ("everyone" in url)
            second = browser.get(more)
            assert second.status_code == 200 and 'id="more"' not in second.text, url
