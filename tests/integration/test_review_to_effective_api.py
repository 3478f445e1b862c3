"""From a non-regular order to an effective one through the API: review with an objection
and a negotiated date, the meeting, quote, contract, deposit, production instruction."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from orderflow.core.events import SYSTEM
from orderflow.core.tasks import Task
from orderflow.notify.models import Notification
from orderflow.runtime import Runtime
from orderflow.sales.service import ORDERS
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Any:
    with api_for(rt) as client:
        yield client


def post(api: Api, user: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = api.as_(user, "POST", url, json=body)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def step(
    api: Api, user: str, collection: str, doc: dict[str, Any], name: str, **fields: Any
) -> Any:
    return api.as_(
        user,
        "POST",
        f"/api/v1/{collection}/{doc['id']}/transitions/{name}",
        json=fields,
        headers={"If-Match": str(doc["version"])},
    )


def ok(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 200, answer.text
    return answer.json()


def get(api: Api, user: str, url: str) -> Any:
    answer = api.as_(user, "GET", url)
    assert answer.status_code == 200, answer.text
    return answer.json()


def open_tasks(rt: Runtime, doc_type: str, doc_id: int) -> dict[str, Task]:
    with rt.db.reading() as s:
        rows = s.scalars(
            select(Task).where(
                Task.document_type == doc_type, Task.document_id == doc_id, Task.state == "open"
            )
        )
        return {t.kind: t for t in rows}


def big_order(rt: Runtime, world: World, **extra: Any) -> dict[str, Any]:
    return {
        "channel": "visit",
        "customer_id": world.customer_id,
        "requested_date": (rt.today() + timedelta(days=20)).isoformat(),
        "custom_design": True,
        "technical_requirements": "按客户图纸 KG-200 改型，柜体加深 200mm",
        "lines": [{"product_code": "P1", "quantity": "5001"}],
        **extra,
    }


def test_a_non_regular_order_over_the_threshold_becomes_effective(
    rt: Runtime, world: World, api: Api
) -> None:
    # Given a non-regular order above 500,000 entered with confirm asked for
    order = post(api, "sales_clerk", "/api/v1/orders", big_order(rt, world, confirm=True))
    assert (order["state"], order["regularity"], order["review_state"]) == (
        "draft",
        "non_regular",
        "in_review",
    )
    assert set(order["classification_reasons"]) == {"custom_design", "over_meeting_threshold"}
    assert order["promised_date"] is None
    refused = api.step("sales_clerk", order, "confirm", {"on_shortage": "wait"})
    assert refused.status_code == 409 and refused.json()["type"].endswith("review_required")

    # Then its review went to four departments, each with a task, and to the meeting
    [summary] = get(api, "sales_clerk", f"/api/v1/reviews?order_id={order['id']}")["items"]
    review = get(api, "sales_clerk", f"/api/v1/reviews/{summary['id']}")
    assert review["routing"] == ["sales_clerk", "production", "materials_control", "technical"]
    # Planning is installed: the review's date comes from its promise (ATP/CTP).
    assert review["meeting_needed"] and review["estimate_source"] == "planning"
    assert review["stock"][0]["available"] == "100" and review["customer"]["code"] == "C1"
    tasks = open_tasks(rt, "order_review", review["id"])
    assert set(tasks) == {
        "review_sales_clerk",
        "review_production",
        "review_materials_control",
        "review_technical",
        "review_meeting",
    }
    assert tasks["review_sales_clerk"].assignee_id == world["sales_clerk"].id
    assert [r["number"] for r in get(api, "technical", "/api/v1/reviews?mine=true")["items"]] == [
        review["number"]
    ]

    # When three departments sign off and production objects to the date
    for who in ("sales_clerk", "materials_control", "technical"):
        review = ok(step(api, who, "reviews", review, "sign_off", comment="可行"))
    assert step(api, "finance", "reviews", review, "sign_off").status_code == 403
    late = (rt.today() + timedelta(days=40)).isoformat()
    no_date = step(
        api, "production", "reviews", review, "object", topic="delivery_date", reason="产能不足"
    )
    assert no_date.status_code == 422 and no_date.json()["errors"][0]["field"] == "feasible_date"
    review = ok(
        step(
            api,
            "production",
            "reviews",
            review,
            "object",
            topic="delivery_date",
            reason="产能不足，需 40 天",
            feasible_date=late,
        )
    )
    assert review["state"] == "negotiating"
    assert "negotiate_date" in open_tasks(rt, "order_review", review["id"])

    # the clerk asks the customer for the later date, who accepts it
    early = (rt.today() + timedelta(days=30)).isoformat()
    too_early = step(
        api, "sales_clerk", "reviews", review, "request_extension", proposed_date=early
    )
    assert too_early.status_code == 422
    review = ok(
        step(api, "sales_clerk", "reviews", review, "request_extension", proposed_date=late)
    )
    review = ok(step(api, "sales_clerk", "reviews", review, "customer_accepts", agreed_date=late))
    assert review["state"] == "open" and review["agreed_date"] == late

    # approval waits for the meeting record (C5)
    blocked = step(api, "order_manager", "reviews", review, "approve")
    assert blocked.status_code == 409 and "meeting" in blocked.json()["detail"]
    review = ok(
        step(
            api,
            "order_manager",
            "reviews",
            review,
            "record_meeting",
            attendees=["赵订单", "孙生产", "吴工程师"],
            minutes="技术交底",
            decisions="按 40 天交货",
        )
    )
    review = ok(step(api, "order_manager", "reviews", review, "approve"))
    assert review["state"] == "passed"
    order = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")
    assert (order["review_state"], order["requested_date"]) == ("passed", late)

    # the order is confirmed with the negotiated date promised
    order = ok(api.step("sales_clerk", order, "confirm", {"on_shortage": "wait"}))
    assert order["state"] == "confirmed" and order["promised_date"] == late

    # A quote: price list plus the custom-design surcharge, two signatures, PDF sent
    quote = post(api, "sales_clerk", "/api/v1/quotes", {"order_id": order["id"]})
    quote = ok(step(api, "order_manager", "quotes", quote, "price", notes="含安装指导"))
    line = quote["versions"][0]["lines"][0]
    assert (line["list_price"], line["surcharge_share"], line["unit_price"]) == (
        "100.00",
        "0.15",
        "115.00",
    )
    assert quote["total"]["amount"] == "575115.00"
    assert step(api, "sales_clerk", "quotes", quote, "send").status_code == 409
    quote = ok(step(api, "order_manager", "quotes", quote, "sign"))
    assert quote["state"] == "priced"
    quote = ok(step(api, "technical_manager", "quotes", quote, "sign"))
    assert quote["state"] == "signed"
    quote = ok(step(api, "sales_clerk", "quotes", quote, "send"))
    [pdf] = [f for f in quote["files"] if f["purpose"] == "quote_pdf"]
    text = (
        PdfReader(io.BytesIO(api.as_("sales", "GET", pdf["url"]).content)).pages[0].extract_text()
    )
    assert "报价单" in text and "Quotation" in text and "575115.00" in text
    quote = ok(step(api, "sales_clerk", "quotes", quote, "accept"))
    order = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")
    assert order["total"]["amount"] == "575115.00"

    # A contract from the template, signed (scan), filed, deposit verified
    contract = post(api, "sales_clerk", "/api/v1/contracts", {"order_id": order["id"]})
    assert contract["deposit"]["amount"] == "172534.50"
    assert set(contract["terms"]) >= {"delivery", "key_vendors", "penalties", "disputes"}
    contract = ok(step(api, "sales_clerk", "contracts", contract, "send"))
    signed = api.as_(
        "sales_clerk",
        "POST",
        f"/api/v1/contracts/{contract['id']}/signature",
        files={"file": ("签字扫描.png", PNG, "image/png")},
        data={"signatory": "刘经理"},
        headers={"If-Match": str(contract["version"])},
    )
    contract = ok(signed)
    assert contract["state"] == "signed" and contract["customer_signatory"] == "刘经理"
    contract = ok(step(api, "order_manager", "contracts", contract, "file"))
    for user in ("finance", "production", "procurement", "logistics"):
        listed = get(api, user, "/api/v1/contracts?filed_to_me=true")["items"]
        assert [c["number"] for c in listed] == [contract["number"]], user
    short = step(
        api, "finance", "contracts", contract, "verify_deposit", amount="1000.00", reference="B1"
    )
    assert short.status_code == 422
    contract = ok(
        step(
            api,
            "finance",
            "contracts",
            contract,
            "verify_deposit",
            amount="172534.50",
            reference="BANK-778",
        )
    )
    assert contract["state"] == "effective"

    # Then the order is effective, the deposit is booked, production's instruction is due in 4 h
    order = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")
    assert order["effective_by"] == "contract" and order["paid"]["amount"] == "172534.50"
    instruction = open_tasks(rt, "sales_order", order["id"])["production_instruction"]
    assert instruction.role == "planner"
    assert rt.policy.business_calendar.working_minutes_between(rt.now(), instruction.due_at) == 240
    events = [e["name"] for e in get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/events")]
    assert "order_effective" in events and "review_passed" in events

    # and planning's "production released" closes it
    with rt.db.transaction() as s:
        doc = ORDERS.load(s, world["planner"], order["id"])
        ORDERS.fact(s, rt, doc, "production_released", actor=SYSTEM)
    assert "production_instruction" not in open_tasks(rt, "sales_order", order["id"])
    with rt.db.reading() as s:
        kinds = [n.kind for n in s.scalars(select(Notification).order_by(Notification.id))]
    assert {"negotiation_request", "quote_sent", "contract_sent", "order_confirmed"} <= set(kinds)


def test_a_customer_who_refuses_the_date_is_declined_by_the_general_manager(
    rt: Runtime, world: World, api: Api
) -> None:
    order = post(api, "sales_clerk", "/api/v1/orders", big_order(rt, world))
    [summary] = get(api, "sales_clerk", f"/api/v1/reviews?order_id={order['id']}")["items"]
    review = get(api, "production", f"/api/v1/reviews/{summary['id']}")
    late = (rt.today() + timedelta(days=60)).isoformat()
    review = ok(
        step(
            api,
            "production",
            "reviews",
            review,
            "object",
            topic="production_cycle",
            reason="需新开模具",
            feasible_date=late,
        )
    )
    review = ok(
        step(api, "sales_clerk", "reviews", review, "customer_refuses", reason="客户不接受延期")
    )
    assert review["state"] == "decline_requested"
    assert "approve_decline" in open_tasks(rt, "order_review", review["id"])
    assert (
        step(api, "order_manager", "reviews", review, "approve_decline", reason="x").status_code
        == 403
    )
    review = ok(
        step(
            api,
            "general_manager",
            "reviews",
            review,
            "approve_decline",
            reason="交期无法满足，不接此单",
        )
    )
    assert review["state"] == "declined"
    order = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")
    assert (order["state"], order["review_state"]) == ("cancelled", "declined")


def test_a_stock_up_notice_makes_the_order_effective_before_the_contract(
    rt: Runtime, world: World, api: Api
) -> None:
    order = post(
        api,
        "sales_clerk",
        "/api/v1/orders",
        {
            "channel": "phone",
            "customer_id": world.customer_id,
            "requested_date": (rt.today() + timedelta(days=10)).isoformat(),
            "lines": [{"product_code": "P1", "quantity": "2"}],
            "confirm": True,
        },
    )
    refused = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/stock-up-notices",
        json={"order_id": order["id"], "reason": "x"},
    )
    assert refused.status_code == 403
    notice = post(
        api,
        "order_manager",
        "/api/v1/stock-up-notices",
        {"order_id": order["id"], "reason": "交期紧，先备货"},
    )
    assert notice["number"].startswith("BH-")
    assert "production_instruction" in open_tasks(rt, "sales_order", order["id"])
    again = api.as_(
        "order_manager",
        "POST",
        "/api/v1/stock-up-notices",
        json={"order_id": order["id"], "reason": "y"},
    )
    assert again.status_code == 409
    assert get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")["effective_by"] == "stock_up"


def test_uploads_are_checked_and_served_only_to_those_who_may_see_them(
    rt: Runtime, world: World, api: Api
) -> None:
    order = post(
        api,
        "sales_clerk",
        "/api/v1/orders",
        {
            "channel": "phone",
            "customer_id": world.customer_id,
            "requested_date": (rt.today() + timedelta(days=10)).isoformat(),
            "lines": [{"product_code": "P1", "quantity": "2"}],
            "confirm": True,
        },
    )
    contract = post(api, "sales_clerk", "/api/v1/contracts", {"order_id": order["id"]})
    url = f"/api/v1/contracts/{contract['id']}/signature"
    headers = {"If-Match": str(contract["version"])}
    bad_type = api.as_(
        "sales_clerk",
        "POST",
        url,
        files={"file": ("x.exe", b"MZ\x90\x00", "image/png")},
        data={"signatory": "刘"},
        headers=headers,
    )
    assert bad_type.status_code == 422 and bad_type.json()["errors"][0]["field"] == "file"
    rt.settings.upload_max_bytes, before = 2048, rt.settings.upload_max_bytes
    try:
        big = api.as_(
            "sales_clerk",
            "POST",
            url,
            files={"file": ("a.png", PNG + b"\x00" * 4096, "image/png")},
            data={"signatory": "刘"},
            headers=headers,
        )
        assert big.status_code == 422 and big.json()["errors"][0]["code"] == "file_too_large"
    finally:
        rt.settings.upload_max_bytes = before
    contract = ok(
        api.as_(
            "sales_clerk",
            "POST",
            url,
            files={"file": ("a.png", PNG, "image/png")},
            data={"signatory": "刘"},
            headers=headers,
        )
    )
    [scan] = contract["files"]
    assert api.as_("finance", "GET", scan["url"]).content == PNG
    token = api.client.post(
        "/api/v1/auth/token", json={"username": "stranger", "password": "correct horse battery"}
    )
    stranger = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert api.client.get(scan["url"], headers=stranger).status_code == 404
    assert api.as_("quality", "GET", scan["url"]).status_code == 403


def test_the_promise_date_comes_from_planning_when_it_is_connected(
    rt: Runtime, world: World, api: Api
) -> None:
    from datetime import date

    from orderflow.core import ports

    asked: list[ports.PromiseQuery] = []

    def planning(session: Any, runtime: Any, query: ports.PromiseQuery) -> ports.PromiseAnswer:
        asked.append(query)
        return ports.PromiseAnswer(date(2027, 1, 15), "WC-ASSEMBLY 装配线", False)

    with ports.promise_date.use(planning):
        order = post(api, "sales_clerk", "/api/v1/orders", big_order(rt, world))
    [summary] = get(api, "sales_clerk", f"/api/v1/reviews?order_id={order['id']}")["items"]
    review = get(api, "sales_clerk", f"/api/v1/reviews/{summary['id']}")
    assert (review["estimated_date"], review["estimate_source"], review["estimate_note"]) == (
        "2027-01-15",
        "planning",
        "WC-ASSEMBLY 装配线",
    )
    assert asked[0].lines[0].quantity == Decimal("5001")
