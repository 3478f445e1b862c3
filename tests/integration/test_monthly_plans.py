"""E6: the month's sales plan (firm from the orders due in it, tentative from forecast
lines) and procurement plan (the current plan's suggested purchases and transfers needed
in it), by API and page, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.api_client import Api, api_for
from tests.integration.test_pages import login
from tests.integration.test_planning_api import confirmed_order
from tests.production_factories import Plant, make_plant

URL = "/api/v1/planning"


@pytest.fixture
def world(rt: Runtime) -> World:
    return make_world(rt, stock={"P2": 50})


@pytest.fixture
def plant(rt: Runtime, world: World) -> Plant:
    return make_plant(rt, world, raw_stock=6, sister_raw=30)


@pytest.fixture
def api(rt: Runtime, world: World, plant: Plant) -> Iterator[Api]:
    with api_for(rt) as client:
        yield client


def ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def month_of(order: dict[str, Any]) -> str:
    due = date.fromisoformat(order["promised_date"] or order["requested_date"])
    return due.strftime("%Y-%m")


def test_the_sales_plan_is_the_orders_due_in_the_month_plus_the_tentative_lines(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed_order(rt, world, api)  # 5 × P1 and 1 × P2, due in 30 days
    month = month_of(order)
    plan = ok(api.as_("sales", "GET", f"{URL}/sales-plan?month={month}"))
    firm = {line["product_code"]: line for line in plan["lines"]}
    assert (firm["P1"]["firm_quantity"], firm["P1"]["tentative_quantity"]) == ("5", "0")
    assert firm["P2"]["firm_quantity"] == "1"
    assert plan["firm_amount"]["amount"] == order["total"]["amount"]

    added = ok(
        api.as_(
            "sales",
            "POST",
            f"{URL}/sales-plan/forecasts",
            json={"month": month, "product_code": "P1", "quantity": "3", "note": "展会意向"},
        ),
        201,
    )
    assert (added["product_code"], added["quantity"]) == ("P1", "3")
    plan = ok(api.as_("planner", "GET", f"{URL}/sales-plan?month={month}"))
    p1 = next(line for line in plan["lines"] if line["product_code"] == "P1")
    assert (p1["firm_quantity"], p1["tentative_quantity"], p1["total_quantity"]) == ("5", "3", "8")
    assert [f["note"] for f in plan["forecasts"]] == ["展会意向"]
    # Another month holds none of it.
    other = ok(api.as_("sales", "GET", f"{URL}/sales-plan?month=2031-01"))
    assert other["lines"] == [] and other["forecasts"] == []

    # Bad input names its field and saves nothing; the warehouse may not forecast sales.
    def refused(body: dict[str, Any]) -> list[tuple[str, str]]:
        answer = api.as_("sales", "POST", f"{URL}/sales-plan/forecasts", json=body)
        assert answer.status_code == 422, answer.text
        return [(e["field"], e["code"]) for e in answer.json()["errors"]]

    assert refused({"month": month, "product_code": "NOPE", "quantity": "1"}) == [
        ("product_code", "unknown_product")
    ]
    assert refused({"month": "2001-01", "product_code": "P1", "quantity": "1"}) == [
        ("month", "past_date")
    ]
    assert refused({"month": "2026-13", "product_code": "P1", "quantity": "0"}) == [
        ("month", "string_pattern_mismatch"),
        ("quantity", "greater_than"),
    ]
    assert (
        api.as_(
            "warehouse",
            "POST",
            f"{URL}/sales-plan/forecasts",
            json={"month": month, "product_code": "P1", "quantity": "1"},
        ).status_code
        == 403
    )
    bad_month = api.as_("sales", "GET", f"{URL}/sales-plan?month=26-1")
    assert bad_month.status_code == 422 and bad_month.json()["errors"][0]["field"] == "month"
    assert len(ok(api.as_("sales", "GET", f"{URL}/sales-plan?month={month}"))["forecasts"]) == 1


def test_the_procurement_plan_is_the_current_plans_suggestions_needed_in_the_month(
    rt: Runtime, world: World, api: Api
) -> None:
    confirmed_order(rt, world, api)
    empty = ok(api.as_("procurement", "GET", f"{URL}/procurement-plan"))
    assert empty["run_id"] is None and empty["lines"] == []
    ok(api.as_("planner", "POST", f"{URL}/runs"), 201)
    suggestions = ok(api.as_("planner", "GET", f"{URL}/materials"))["suggestions"]
    assert {(s["kind"], s["product_code"]) for s in suggestions} == {
        ("transfer", "RAW"),
        ("purchase", "PART"),
    }
    for s in suggestions:
        month = date.fromisoformat(s["needed_by"]).strftime("%Y-%m")
        plan = ok(api.as_("procurement", "GET", f"{URL}/procurement-plan?month={month}"))
        line = next(
            p
            for p in plan["lines"]
            if (p["kind"], p["product_code"]) == (s["kind"], s["product_code"])
        )
        assert (line["quantity"], line["first_needed"], line["released_quantity"]) == (
            s["quantity"],
            s["needed_by"],
            "0",
        )
    # Handed to procurement, the plan shows it taken up.
    ok(api.as_("materials_control", "POST", f"{URL}/suggestions/release"))
    part = next(s for s in suggestions if s["product_code"] == "PART")
    month = date.fromisoformat(part["needed_by"]).strftime("%Y-%m")
    plan = ok(api.as_("procurement", "GET", f"{URL}/procurement-plan?month={month}"))
    line = next(p for p in plan["lines"] if p["product_code"] == "PART")
    assert line["released_quantity"] == part["quantity"]


def test_the_monthly_plans_page_shows_both_and_takes_a_tentative_line(
    rt: Runtime, world: World, api: Api
) -> None:
    order = confirmed_order(rt, world, api)
    month = month_of(order)
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as web:
        token = login(web, "sales")
        page = web.get(f"/planning/monthly?month={month}")
        assert page.status_code == 200
        assert 'id="sales-plan"' in page.text and 'data-product="P1"' in page.text
        assert 'id="procurement-plan"' in page.text and 'id="forecast-form"' in page.text
        bad = web.post(
            "/planning/monthly/forecasts",
            data={"csrf_token": token, "month": month, "product_code": "P1", "quantity": "-1"},
        )
        assert bad.status_code == 422 and "必须大于 0" in bad.text  # zh-CN by default
        done = web.post(
            "/planning/monthly/forecasts",
            data={"csrf_token": token, "month": month, "product_code": "P1", "quantity": "2"},
        )
        assert done.status_code == 303 and done.headers["location"].endswith(month)
    plan = ok(api.as_("sales", "GET", f"{URL}/sales-plan?month={month}"))
    p1 = next(line for line in plan["lines"] if line["product_code"] == "P1")
    assert p1["tentative_quantity"] == "2"
