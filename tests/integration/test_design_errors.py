"""Design errors found after release (G4): production, quality and supply are told — a task
for each department's head with the policy's deadline and an in-app message to its staff —
each confirms it knows, the order shows it, and an exception slip is raised through the
port when the exceptions area is installed (a fake here)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from orderflow.app import create_app
from orderflow.core import ports
from orderflow.notify.models import Notification
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_pages import login
from tests.integration.test_review_to_effective_api import get, ok, open_tasks, post, step


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt)


@pytest.fixture
def api(rt: Runtime, world: World) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def an_order(rt: Runtime, world: World, api: Api) -> dict[str, Any]:
    return post(
        api,
        "sales_clerk",
        "/api/v1/orders",
        {
            "channel": "phone",
            "customer_id": world.customer_id,
            "requested_date": (rt.today() + timedelta(days=20)).isoformat(),
            "lines": [{"product_code": "P1", "quantity": "20"}],
            "confirm": True,
        },
    )


NOTICE = {
    "drawing": "KG-200-03 柜体图",
    "description": "柜体深度标注 600 mm，应为 800 mm",
    "correction": "已改图 KG-200-03 B 版，深度 800 mm",
}


def test_the_departments_are_told_and_each_confirms(rt: Runtime, world: World, api: Api) -> None:
    order = an_order(rt, world, api)
    refused = api.as_(
        "sales_clerk", "POST", "/api/v1/design-errors", json={"order_id": order["id"], **NOTICE}
    )
    assert refused.status_code == 403
    notice = post(api, "technical", "/api/v1/design-errors", {"order_id": order["id"], **NOTICE})
    assert notice["state"] == "issued"
    # the exceptions area is installed: its slip for the design error names the notice
    from orderflow.exception_slips.models import ExceptionSlip

    with rt.db.reading() as s:
        slip = s.scalar(
            select(ExceptionSlip).where(ExceptionSlip.number == notice["exception_number"])
        )
        assert slip is not None
        assert (slip.kind, slip.source_number, slip.sales_order_id) == (
            "design_error",
            notice["number"],
            order["id"],
        )
    assert [d["department"] for d in notice["departments"]] == [
        "production",
        "quality",
        "procurement",
    ]

    # a task for each department's head, due in the policy's 2 working hours
    tasks = open_tasks(rt, "design_error_notice", notice["id"])
    assert {k: t.role for k, t in tasks.items()} == {
        "ack_design_error_production": "production_manager",
        "ack_design_error_quality": "quality_manager",
        "ack_design_error_procurement": "procurement_manager",
    }
    calendar = rt.policy.business_calendar
    assert {calendar.working_minutes_between(rt.now(), t.due_at) for t in tasks.values()} == {120}
    with rt.db.reading() as s:
        told = set(
            s.scalars(
                select(Notification.recipient_role).where(Notification.kind == "design_error")
            )
        )
    assert told == {
        "production",
        "production_manager",
        "planner",
        "quality",
        "quality_manager",
        "procurement",
        "procurement_manager",
        "materials_control",
    }
    events = [e["name"] for e in get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/events")]
    assert "design_error_reported" in events
    # quality cannot read orders but reads the notice and finds it waiting for it
    assert [
        n["number"] for n in get(api, "quality", "/api/v1/design-errors?mine=true")["items"]
    ] == [notice["number"]]
    assert api.as_("finance", "GET", f"/api/v1/design-errors/{notice['id']}").status_code == 403

    # each department confirms once; the last one closes the notice
    notice = ok(
        step(api, "quality", "design-errors", notice, "acknowledge", note="已通知检验员按新图检验")
    )
    assert "ack_design_error_quality" not in open_tasks(rt, "design_error_notice", notice["id"])
    assert get(api, "quality", "/api/v1/design-errors?mine=true")["items"] == []
    assert step(api, "quality_manager", "design-errors", notice, "acknowledge").status_code == 403
    notice = ok(step(api, "planner", "design-errors", notice, "acknowledge", note="已停止下料"))
    assert step(api, "finance", "design-errors", notice, "acknowledge").status_code == 403
    notice = ok(step(api, "procurement_manager", "design-errors", notice, "acknowledge"))
    assert notice["state"] == "acknowledged"
    assert [(d["department"], d["acknowledged_by"]) for d in notice["departments"]] == [
        ("production", "planner"),
        ("quality", "quality"),
        ("procurement", "procurement_manager"),
    ]
    assert open_tasks(rt, "design_error_notice", notice["id"]) == {}
    events = [e["name"] for e in get(api, "sales_clerk", f"/api/v1/orders/{order['id']}/events")]
    assert events[-1] == "design_error_acknowledged"


def test_an_exception_slip_is_raised_when_the_exceptions_area_is_connected(
    rt: Runtime, world: World, api: Api
) -> None:
    order = an_order(rt, world, api)
    raised: list[ports.ExceptionReport] = []

    def exceptions_area(
        session: Any, runtime: Any, report: ports.ExceptionReport, actor: Any
    ) -> str:
        raised.append(report)
        return "EX-2026-000042"

    with ports.raise_exception.use(exceptions_area):
        notice = post(
            api, "technical_manager", "/api/v1/design-errors", {"order_id": order["id"], **NOTICE}
        )
    [report] = raised
    assert (
        report.kind,
        report.source_document_type,
        report.source_number,
        report.sales_order_id,
    ) == (
        "design_error",
        "design_error_notice",
        notice["number"],
        order["id"],
    )
    assert "800 mm" in report.description
    assert notice["exception_number"] == "EX-2026-000042"
    events = get(api, "technical", f"/api/v1/design-errors/{notice['id']}/events")
    assert (
        events[-1]["name"] == "exception_raised"
        and events[-1]["payload"]["slip"] == "EX-2026-000042"
    )
    # withdrawn by the design department: the remaining tasks close
    notice = ok(step(api, "technical", "design-errors", notice, "withdraw", reason="重复通知"))
    assert notice["state"] == "withdrawn"
    assert open_tasks(rt, "design_error_notice", notice["id"]) == {}


def test_the_pages_report_show_and_confirm_a_design_error(
    rt: Runtime, world: World, api: Api
) -> None:
    order = an_order(rt, world, api)
    with ports.raise_exception.use(None):  # type: ignore[arg-type]  # no exceptions area
        quiet = post(api, "technical", "/api/v1/design-errors", {"order_id": order["id"], **NOTICE})
    assert quiet["exception_number"] is None
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as browser:
        token = login(browser, "technical")
        assert 'id="new-design-error"' in browser.get(f"/orders/{order['id']}").text
        form = browser.get(f"/design-errors/new?order_id={order['id']}").text
        assert "生产部" in form and "质检部" in form and "供应部" in form and "2h" in form
        missing = browser.post(
            f"/design-errors/new?order_id={order['id']}", data={"csrf_token": token, "drawing": "X"}
        )
        assert missing.status_code == 422 and 'id="error-description"' in missing.text
        issued = browser.post(
            f"/design-errors/new?order_id={order['id']}", data={"csrf_token": token, **NOTICE}
        )
        assert issued.status_code == 303
        url = issued.headers["location"]
        assert "design-error-link" in browser.get(f"/orders/{order['id']}").text
        browser.cookies.clear()

        token = login(browser, "quality_manager")
        page = browser.get(url).text
        assert NOTICE["description"] in page and 'id="step-acknowledge"' in page
        assert "确认设计差错（质检）" in browser.get("/tasks").text
        done = browser.post(
            url + "/steps/acknowledge",
            data={
                "csrf_token": token,
                "version": page.split('name="version" value="')[1].split('"')[0],
                "department": "quality",
                "note": "已按新图检验",
            },
        )
        assert done.status_code == 303
        page = browser.get(url).text
        assert 'data-department="quality" data-acknowledged="yes"' in page
        assert 'id="step-acknowledge"' not in page
        assert "KG-200-03" in browser.get("/design-errors").text
        browser.get("/lang/en")
        assert "Departments told" in browser.get(url).text
