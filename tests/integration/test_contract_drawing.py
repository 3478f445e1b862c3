"""Drawing a contract with its clauses edited (D3), and the supplementary contract that a
structural change of a contracted order needs before it is applied (G2) — through the API
and from the pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_pages import login
from tests.integration.test_review_to_effective_api import PNG, get, ok, post, step


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def confirmed(rt: Runtime, world: World, api: Api) -> dict[str, Any]:
    return post(
        api,
        "sales_clerk",
        "/api/v1/orders",
        {
            "channel": "phone",
            "customer_id": world.customer_id,
            "requested_date": (rt.today() + timedelta(days=10)).isoformat(),
            "lines": [
                {"product_code": "P1", "quantity": "2"},
                {"product_code": "P2", "quantity": "1"},
            ],
            "confirm": True,
        },
    )


def signed_contract(api: Api, order: dict[str, Any], **body: Any) -> dict[str, Any]:
    contract = post(api, "sales_clerk", "/api/v1/contracts", {"order_id": order["id"], **body})
    return ok(
        api.as_(
            "sales_clerk",
            "POST",
            f"/api/v1/contracts/{contract['id']}/signature",
            files={"file": ("scan.png", PNG, "image/png")},
            data={"signatory": "刘经理"},
            headers={"If-Match": str(contract["version"])},
        )
    )


def structural_change(api: Api, order: dict[str, Any]) -> dict[str, Any]:
    change = post(
        api,
        "sales_clerk",
        "/api/v1/changes",
        {
            "order_id": order["id"],
            "description": "第 2 行改用 P3，另加 P1 两件",
            "patch": {
                "lines": [
                    {"line_no": 2, "product_code": "P3", "unit_price": "300.00"},
                    {"product_code": "P1", "quantity": "2"},
                ]
            },
        },
    )
    change = ok(
        step(api, "sales_clerk", "changes", change, "classify", impact="structural", answer="重审")
    )
    review = get(api, "sales_clerk", f"/api/v1/reviews/{change['review_id']}")
    for who in review["routing"]:
        review = ok(step(api, who, "reviews", review, "sign_off"))
    ok(step(api, "order_manager", "reviews", review, "approve"))
    return get(api, "sales_clerk", f"/api/v1/changes/{change['id']}")


def test_clauses_edited_when_drawing_are_kept_and_recorded(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed(rt, world, api)
    unknown = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/contracts",
        json={"order_id": order["id"], "terms": {"warranty": {"zh": "一年", "en": "One year"}}},
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "terms.warranty"
    contract = post(
        api,
        "sales_clerk",
        "/api/v1/contracts",
        {
            "order_id": order["id"],
            "terms": {
                "disputes": {"zh": "提交上海仲裁委员会仲裁。", "en": "Arbitration in Shanghai."}
            },
        },
    )
    assert contract["terms"]["disputes"]["zh"] == "提交上海仲裁委员会仲裁。"
    assert contract["terms"]["disputes"]["title_zh"] == "争议解决"
    assert order["number"] in contract["terms"]["subject"]["zh"]
    [created] = get(api, "sales_clerk", f"/api/v1/contracts/{contract['id']}/events")
    assert created["payload"]["edited_clauses"] == ["disputes"]


def test_a_structural_change_waits_for_its_signed_supplementary_contract(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed(rt, world, api)
    main = signed_contract(api, order)
    change = structural_change(api, order)
    assert change["supplementary_needed"] and not change["supplementary_signed"]
    early = step(api, "sales_clerk", "changes", change, "apply")
    assert early.status_code == 409 and "supplementary" in early.json()["detail"]

    # drawn for the change: the price difference is proposed (P2 250.50 → P3 300, + 2 × P1)
    supplementary = post(
        api,
        "sales_clerk",
        "/api/v1/contracts",
        {"order_id": order["id"], "kind": "supplementary", "change_id": change["id"]},
    )
    assert supplementary["amount"]["amount"] == "249.50"
    assert supplementary["deposit"]["amount"] == "74.85"
    assert supplementary["parent"]["number"] == main["number"]
    assert supplementary["change_number"] == change["number"]
    assert main["number"] in supplementary["terms"]["subject"]["zh"]
    assert "other_terms" in supplementary["terms"]
    again = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/contracts",
        json={"order_id": order["id"], "kind": "supplementary", "change_id": change["id"]},
    )
    assert again.status_code == 409
    main = get(api, "sales_clerk", f"/api/v1/contracts/{main['id']}")
    assert [s["number"] for s in main["supplements"]] == [supplementary["number"]]
    events = [e["name"] for e in get(api, "sales_clerk", f"/api/v1/changes/{change['id']}/events")]
    assert "supplementary_drawn" in events

    # signed: the change may be applied
    ok(
        api.as_(
            "sales_clerk",
            "POST",
            f"/api/v1/contracts/{supplementary['id']}/signature",
            files={"file": ("scan.png", PNG, "image/png")},
            data={"signatory": "刘经理"},
            headers={"If-Match": str(supplementary["version"])},
        )
    )
    change = get(api, "sales_clerk", f"/api/v1/changes/{change['id']}")
    assert change["supplementary_signed"]
    change = ok(step(api, "sales_clerk", "changes", change, "apply"))
    assert change["state"] == "applied"
    assert get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")["total"]["amount"] == "700.00"


def test_a_supplementary_contract_belongs_to_an_open_structural_change_of_a_contracted_order(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed(rt, world, api)
    change = structural_change(api, order)  # no contract signed: nothing to supplement
    assert not change["supplementary_needed"]
    body = {"order_id": order["id"], "kind": "supplementary", "change_id": change["id"]}
    refused = api.as_("sales_clerk", "POST", "/api/v1/contracts", json=body)
    assert refused.status_code == 409 and "no signed contract" in refused.json()["detail"]
    other = confirmed(rt, world, api)
    wrong = api.as_(
        "sales_clerk", "POST", "/api/v1/contracts", json={**body, "order_id": other["id"]}
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "change_id"
    no_change = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/contracts",
        json={"order_id": order["id"], "kind": "supplementary"},
    )
    assert no_change.status_code == 422


def test_the_pages_draw_a_contract_with_an_edited_clause_and_a_supplementary_one(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed(rt, world, api)
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as browser:
        token = login(browser, "sales_clerk")
        assert 'href="/contracts/new?order_id=' in browser.get(f"/orders/{order['id']}").text
        form = browser.get(f"/contracts/new?order_id={order['id']}").text
        assert 'name="terms.disputes.zh"' in form and "争议解决" in form and "Disputes" in form
        fields = {
            "csrf_token": token,
            "delivery_date": (rt.today() + timedelta(days=12)).isoformat(),
            "terms.disputes.zh": "提交上海仲裁委员会仲裁。",
            "terms.disputes.en": "",
        }
        blank = browser.post(f"/contracts/new?order_id={order['id']}", data=fields)
        assert blank.status_code == 422 and 'id="error-terms-disputes-en"' in blank.text
        drawn = browser.post(
            f"/contracts/new?order_id={order['id']}",
            data={**fields, "terms.disputes.en": "Arbitration in Shanghai."},
        )
        assert drawn.status_code == 303
        contract_url = drawn.headers["location"]
        page = browser.get(contract_url).text
        assert "提交上海仲裁委员会仲裁。" in page and fields["delivery_date"] in page
        contract = get(api, "sales_clerk", "/api/v1" + contract_url)
        assert fields["delivery_date"] in contract["terms"]["delivery"]["zh"]  # left alone
        again = browser.get(f"/contracts/new?order_id={order['id']}")
        assert again.status_code == 409 and "already has contract" in again.text

        ok(
            api.as_(
                "sales_clerk",
                "POST",
                f"/api/v1/contracts/{contract['id']}/signature",
                files={"file": ("scan.png", PNG, "image/png")},
                data={"signatory": "刘经理"},
                headers={"If-Match": str(contract["version"])},
            )
        )
        change = structural_change(api, order)
        page = browser.get(f"/changes/{change['id']}").text
        assert 'id="supplementary-gate"' in page and 'id="draw-supplementary"' in page
        url = f"/contracts/new?order_id={order['id']}&kind=supplementary&change_id={change['id']}"
        form = browser.get(url).text
        assert 'id="contract-amount"' in form and "249.50" in form and "other_terms" in form
        drawn = browser.post(url, data={"csrf_token": token, "amount": "300.00"})
        assert drawn.status_code == 303
        page = browser.get(f"/changes/{change['id']}").text
        assert "supplementary-link" in page and 'id="draw-supplementary"' not in page
        supplementary = browser.get(drawn.headers["location"]).text
        assert 'id="parent-contract"' in supplementary and "300.00" in supplementary
