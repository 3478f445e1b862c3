"""A quote request for a customer's enquiry, without an order (D1), from the quotes page:
customer and lines with their non-regular reasons, priced with the policy's surcharges."""

from __future__ import annotations

from fastapi.testclient import TestClient

from orderflow.app import create_app
from orderflow.quotes import service as quotes
from orderflow.runtime import Runtime
from tests.factories import make_world
from tests.integration.test_pages import login


def test_an_enquiry_is_requested_from_the_quotes_page_and_priced(rt: Runtime) -> None:
    world = make_world(rt)
    with TestClient(create_app(rt, migrate=False, worker=False), follow_redirects=False) as browser:
        login(browser, "technical")
        assert 'id="new-enquiry"' not in browser.get("/quotes").text  # reads, may not request
        browser.cookies.clear()
        token = login(browser, "sales_clerk")
        assert 'id="new-enquiry"' in browser.get("/quotes").text
        form = browser.get("/quotes/new").text
        assert "华东客户" in form and "P1 · Product P1" in form and "需重新设计 +15.0%" in form
        row = browser.get("/quotes/new/line?index=3").text
        assert 'name="lines[3].product_code"' in row and 'name="lines[3].reasons"' in row

        empty = browser.post(
            "/quotes/new", data={"csrf_token": token, "customer_id": str(world.customer_id)}
        )
        assert empty.status_code == 422 and 'id="quote-error"' in empty.text
        unknown = browser.post(
            "/quotes/new",
            data={
                "csrf_token": token,
                "customer_id": str(world.customer_id),
                "lines[0].product_code": "OLD",
                "lines[0].quantity": "1",
            },
        )
        assert unknown.status_code == 422 and 'id="error-lines-0-product_code"' in unknown.text
        created = browser.post(
            "/quotes/new",
            data={
                "csrf_token": token,
                "customer_id": str(world.customer_id),
                "lines[0].product_code": "P1",
                "lines[0].quantity": "10",
                "lines[0].reasons": ["custom_design", "rush"],
                "lines[0].note": "柜体加深",
                "lines[1].product_code": "",
                "lines[1].quantity": "",
                "lines[2].product_code": "P2",
                "lines[2].quantity": "2",
                "note": "展会询价",
            },
        )
        assert created.status_code == 303, created.text
        page = browser.get(created.headers["location"]).text
        assert "询价（无订单）" in page and "柜体加深" in page and "展会询价" in page
        quote_id = int(created.headers["location"].rsplit("/", 1)[1])
    quote = quotes.apply_step(
        rt, world["order_manager"], quote_id, "price", {}, expected_version=None
    )
    custom, plain = quote.versions[0].lines
    assert (custom["surcharge_share"], custom["unit_price"]) == ("0.25", "125.00")
    assert (plain["line_no"], plain["unit_price"]) == (2, "250.50")
    assert quote.order_id is None and quote.total.amount == "1751.00"
