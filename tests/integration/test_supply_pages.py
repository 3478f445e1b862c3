"""The purchasing desk, the warehouse desk and the quality station as a browser sees them:
every page renders for its roles, steps are taken from forms, refusals come back beside
the step, and other companies' documents are 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.runtime import Runtime
from tests.factories import World, make_world
from tests.integration.test_pages import login
from tests.supply_factories import add_customer_supplied, add_sister, add_suppliers


@pytest.fixture
def world(rt: Runtime) -> World:
    world = make_world(rt)
    add_suppliers(rt, world)
    add_sister(rt, world, raw=10)
    add_customer_supplied(rt, world)
    return world


@pytest.fixture
def browser(rt: Runtime, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as client:
        yield client


def version(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found
    return found.group(1)


def post(browser: TestClient, url: str, token: str, **data: str) -> object:
    return browser.post(url, data={"csrf_token": token, **data})


def test_a_requisition_is_bought_and_received_from_the_pages(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    token = login(browser, "procurement")
    assert browser.get("/purchasing").status_code == 200
    form = browser.get("/purchasing/requisitions/new").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    needed = (rt.today() + timedelta(days=6)).isoformat()
    bad = post(
        browser,
        "/purchasing/requisitions/new",
        token,
        idempotency_key=key,
        needed_by=needed,
        **{"lines[0].product_code": "RAW"},
    )
    assert bad.status_code == 422 and "unit_use" in bad.text  # type: ignore[attr-defined]
    made = post(
        browser,
        "/purchasing/requisitions/new",
        token,
        idempotency_key=key,
        needed_by=needed,
        **{"lines[0].product_code": "RAW", "lines[0].unit_use": "2", "lines[0].for_quantity": "50"},
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    req_url = made.headers["location"]  # type: ignore[attr-defined]
    page = browser.get(req_url).text
    assert "SIS" in page and "100" in page
    ordered = post(
        browser,
        req_url + "/order",
        token,
        supplier_id=str(world.extra["suppliers"]["S1"]),
        due_date=needed,
        warehouse_code="W1",
    )
    assert ordered.status_code == 303  # type: ignore[attr-defined]
    po_url = ordered.headers["location"]  # type: ignore[attr-defined]
    page = browser.get(po_url).text
    refused = post(browser, po_url + "/steps/submit", token, version=version(page))
    assert refused.status_code == 422 and "transfer" in refused.text  # type: ignore[attr-defined]
    assert (
        post(
            browser,
            po_url + "/steps/submit",
            token,
            version=version(page),
            no_transfer_reason="规格不同",
        ).status_code
        == 303
    )  # type: ignore[attr-defined]

    token = login(browser, "procurement_manager")
    page = browser.get(po_url).text
    assert post(browser, po_url + "/steps/approve", token, version=version(page)).status_code == 303  # type: ignore[attr-defined]
    token = login(browser, "warehouse")
    assert "PO-" in browser.get("/warehouse").text
    page = browser.get(po_url).text
    assert (
        post(
            browser, po_url + "/steps/receive", token, version=version(page), delivery_note="DN-9"
        ).status_code
        == 303
    )  # type: ignore[attr-defined]
    page = browser.get(po_url).text
    number = re.search(r"(QI-\d{4}-\d{6})", page).group(1)  # type: ignore[union-attr]
    assert number in browser.get("/warehouse").text

    token = login(browser, "quality")
    station = browser.get("/quality").text
    assert number in station
    insp_url = browser.get(f"/quality/inspections/by-number/{number}").headers["location"]
    page = browser.get(insp_url).text
    assert "GB/T 2828.1" in page
    recorded = post(
        browser,
        insp_url + "/steps/record",
        token,
        version=version(page),
        defective="3",
        **{
            "findings[0].defect": "missing_parts",
            "findings[0].quantity": "3",
            "findings[1].severity": "major",
            "findings[1].quantity": "1",
        },
    )
    assert recorded.status_code == 303  # type: ignore[attr-defined]
    page = browser.get(insp_url).text
    assert 'data-state="failed"' in page
    slip_url = re.search(r'href="(/exceptions/\d+)"', page).group(1)  # type: ignore[union-attr]

    token = login(browser, "procurement_manager")
    tasks = browser.get("/tasks").text
    assert slip_url in tasks  # the escalation reached the head's own list
    page = browser.get(slip_url).text
    decided = post(
        browser,
        slip_url + "/steps/decide",
        token,
        version=version(page),
        cause="供应商漏装",
        decision="退货补发",
        remedy="return_replace",
        liability="supplier",
        cost="0",
    )
    assert decided.status_code == 303  # type: ignore[attr-defined]
    page = browser.get(slip_url).text
    assert 'data-state="decided"' in page and "供应商" in page
    assert browser.get("/exceptions?mine=true").status_code == 200
    en = browser.get(slip_url + "?lang=en").text
    assert "Exception slip" in en


def test_the_warehouse_counts_and_signs_in_from_the_pages(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    token = login(browser, "warehouse")
    made = post(
        browser,
        "/warehouse/counts/new",
        token,
        warehouse_code="W1",
        location_code="MAIN",
        reason="抽盘",
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    url = made.headers["location"]  # type: ignore[attr-defined]
    page = browser.get(url).text
    counted = post(
        browser,
        url + "/steps/record",
        token,
        version=version(page),
        **{"lines[0].line_no": "1", "lines[0].counted": "99", "lines[0].reason": "破损"},
    )
    assert counted.status_code == 303, counted.text  # type: ignore[attr-defined]
    page = browser.get(url).text
    assert post(browser, url + "/steps/post", token, version=version(page)).status_code == 303  # type: ignore[attr-defined]
    assert 'data-state="posted"' in browser.get(url).text

    token = login(browser, "sales_clerk")
    made = post(
        browser,
        "/warehouse/customer-supplied/new",
        token,
        customer_code="C1",
        expected_date=(rt.today() + timedelta(days=2)).isoformat(),
        **{"lines[0].product_code": "CS-LABEL", "lines[0].quantity": "100"},
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    url = made.headers["location"]  # type: ignore[attr-defined]
    token = login(browser, "warehouse")
    page = browser.get(url).text
    signed = post(
        browser,
        url + "/steps/sign_in",
        token,
        version=version(page),
        signed_by="客户司机",
        with_list_and_sample="true",
        **{"lines[0].line_no": "1", "lines[0].counted": "100"},
    )
    assert signed.status_code == 303  # type: ignore[attr-defined]
    assert 'data-state="received"' in browser.get(url).text
    assert browser.get("/warehouse?warehouse=W1").status_code == 200
    assert browser.get("/stock").status_code == 200


def test_pages_of_another_company_are_not_found(
    rt: Runtime, world: World, browser: TestClient
) -> None:
    login(browser, "stranger")
    for path in (
        "/purchasing/orders/1",
        "/purchasing/requisitions/1",
        "/quality/inspections/1",
        "/exceptions/1",
        "/warehouse/transfers/1",
    ):
        assert browser.get(path).status_code == 404
