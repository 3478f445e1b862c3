"""Change notices through the API (G1-G4): the 30-minute answer, the three impacts, the
customer's written approval for technical changes, and every order version with a diff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_review_to_effective_api import PNG, get, ok, open_tasks, post, step


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Any:
    with api_for(rt) as client:
        yield client


def confirmed_order(rt: Runtime, world: World, api: Api) -> dict[str, Any]:
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


def test_a_minor_change_is_answered_adjusted_and_applied_as_a_new_version(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed_order(rt, world, api)
    change = post(
        api,
        "sales_clerk",
        "/api/v1/changes",
        {
            "order_id": order["id"],
            "description": "客户要求更改备注与包装说明",
            "patch": {"notes": "木箱包装，外贴中英文唛头"},
        },
    )
    assert change["suggested_impact"] == "minor"
    answer = open_tasks(rt, "change_notice", change["id"])["answer_change"]
    assert rt.policy.business_calendar.working_minutes_between(rt.now(), answer.due_at) == 30
    again = api.as_(
        "sales_clerk",
        "POST",
        "/api/v1/changes",
        json={"order_id": order["id"], "description": "x", "patch": {"notes": "y"}},
    )
    assert again.status_code == 409  # one open change per order
    change = ok(
        step(
            api,
            "sales_clerk",
            "changes",
            change,
            "classify",
            impact="minor",
            answer="不影响结构与交期",
        )
    )
    assert change["state"] == "classified"
    assert "adjust_production" in open_tasks(rt, "change_notice", change["id"])
    change = ok(
        step(api, "production_manager", "changes", change, "acknowledge", note="已通知车间")
    )
    change = ok(step(api, "sales_clerk", "changes", change, "apply"))
    assert (change["state"], change["from_version"], change["to_version"]) == ("applied", 1, 2)
    diff = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/versions/diff?a=1&b=2")
    assert diff["rows"] == [{"field": "notes", "before": "", "after": "木箱包装，外贴中英文唛头"}]
    bad = api.as_("sales_clerk", "GET", f"/api/v1/orders/{order['id']}/versions/diff?a=1&b=9")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "b"


def test_a_technical_structural_change_needs_approval_and_reopens_the_review(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed_order(rt, world, api)
    change = post(
        api,
        "sales_clerk",
        "/api/v1/changes",
        {
            "order_id": order["id"],
            "technical": True,
            "description": "改用 P3 替代 P2，结构变化",
            "patch": {"lines": [{"line_no": 2, "product_code": "P3", "unit_price": "300.00"}]},
        },
    )
    assert change["suggested_impact"] == "structural"
    refused = step(
        api, "sales_clerk", "changes", change, "classify", impact="structural", answer="重新评审"
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "approval"
    bad = api.as_(
        "sales_clerk",
        "POST",
        f"/api/v1/changes/{change['id']}/approval",
        files={"file": ("a.txt", b"hello", "text/plain")},
    )
    assert bad.status_code == 422
    change = ok(
        api.as_(
            "sales_clerk",
            "POST",
            f"/api/v1/changes/{change['id']}/approval",
            files={"file": ("客户确认函.png", PNG, "image/png")},
        )
    )
    assert change["approval_file_id"] == change["files"][0]["id"]
    change = ok(
        step(
            api,
            "sales_clerk",
            "changes",
            change,
            "classify",
            impact="structural",
            answer="按非常规订单重新评审",
        )
    )
    assert change["state"] == "in_review" and change["review_id"]
    review = get(api, "sales_clerk", f"/api/v1/reviews/{change['review_id']}")
    assert review["kind"] == "structural_change" and "technical" in review["routing"]
    assert get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")["review_state"] == "in_review"
    early = step(api, "sales_clerk", "changes", change, "apply")
    assert early.status_code == 409
    for who in review["routing"]:
        review = ok(step(api, who, "reviews", review, "sign_off"))
    review = ok(step(api, "order_manager", "reviews", review, "approve"))
    change = get(api, "sales_clerk", f"/api/v1/changes/{change['id']}")
    assert change["review_passed"]
    change = ok(step(api, "sales_clerk", "changes", change, "apply", note="补充协议另签"))
    order = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")
    assert order["lines"][1]["product_code"] == "P3" and order["regularity"] == "non_regular"
    assert order["total"]["amount"] == "500.00"
    versions = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/versions")
    assert [v["version_no"] for v in versions] == [1, 2]
    rows = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/versions/diff?a=1&b=2")["rows"]
    assert {r["field"] for r in rows} >= {"lines[2].product_code", "lines[2].unit_price", "total"}


def test_a_date_change_is_reviewed_by_production_and_materials_control(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed_order(rt, world, api)
    later = (rt.today() + timedelta(days=30)).isoformat()
    change = post(
        api,
        "sales_clerk",
        "/api/v1/changes",
        {
            "order_id": order["id"],
            "description": "数量增加",
            "patch": {"lines": [{"line_no": 1, "quantity": "150"}]},
        },
    )
    change = ok(
        step(
            api, "sales_clerk", "changes", change, "classify", impact="date", answer="重新评审交期"
        )
    )
    review = get(api, "production", f"/api/v1/reviews/{change['review_id']}")
    assert review["routing"] == ["production", "materials_control"] and not review["meeting_needed"]
    review = ok(
        step(
            api,
            "production",
            "reviews",
            review,
            "object",
            topic="delivery_date",
            reason="缺料",
            feasible_date=later,
        )
    )
    review = ok(
        step(api, "sales_clerk", "reviews", review, "customer_refuses", reason="客户不同意延期")
    )
    review = ok(
        step(api, "general_manager", "reviews", review, "approve_decline", reason="维持原订单")
    )
    change = get(api, "sales_clerk", f"/api/v1/changes/{change['id']}")
    assert change["state"] == "rejected"
    order = get(api, "sales_clerk", f"/api/v1/orders/{order['id']}")
    assert order["state"] == "confirmed" and order["lines"][0]["quantity"] == "2"
