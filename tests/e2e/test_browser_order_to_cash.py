"""A real browser (Debian's Chromium, driven by Playwright) takes one order from entry to paid:
a clerk enters and confirms it, logistics ships it and records the delivery, finance
invoices it and records the payment, and the timeline shows every step. Then the technical
department adds a price row to a product through its edit form (rows added with HTMX)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from orderflow.runtime import Runtime
from tests.e2e.conftest import Desk, browser_for
from tests.factories import World

pytestmark = pytest.mark.browser


def test_an_order_from_entry_to_paid_in_the_browser(
    chromium: str, server: tuple[str, World, Runtime]
) -> None:
    from playwright.sync_api import expect

    base, world, rt = server
    with browser_for(chromium) as browser:
        page = browser.new_page()
        desk = Desk(page, base)
        login, logout, step = desk.login, desk.logout, desk.step

        state = page.locator("#order-state")

        # The sales clerk enters an order with two lines (the second added with HTMX) and confirms it.
        login("sales_clerk")
        page.goto(base + "/orders/new")
        page.select_option("#customer_id", str(world.customer_id))
        page.fill("#requested_date", (rt.today() + timedelta(days=10)).isoformat())
        page.select_option("#line-0-product", str(world.products["P1"]))
        page.fill("#line-0-quantity", "2")
        page.click("#add-line")
        page.select_option("#line-1-product", str(world.products["P2"]))
        page.fill("#line-1-quantity", "1")
        page.click("#save-order")
        expect(page).to_have_url(re.compile(r"/orders/\d+$"))
        order_url = page.url
        expect(state).to_have_attribute("data-state", "draft")
        expect(page.locator("#order-total")).to_contain_text("450.50")
        step("confirm")
        expect(state).to_have_attribute("data-state", "confirmed")
        logout()

        # Logistics ships it and records the customer's sign-off.
        login("logistics")
        page.goto(order_url)
        step("ship", {"#carrier": "顺丰速运", "#tracking_number": "SF1234567890"})
        expect(state).to_have_attribute("data-state", "shipped")
        expect(page.locator("#shipments")).to_contain_text("SF1234567890")
        step("deliver", {"#signed_by": "刘经理"})
        expect(state).to_have_attribute("data-state", "delivered")
        logout()

        # Finance invoices and records the full payment: the order is completed.
        login("finance")
        page.goto(order_url)
        step("invoice")
        expect(state).to_have_attribute("data-state", "delivered")
        step("pay")
        expect(state).to_have_attribute("data-state", "completed")
        expect(page.locator("#order-outstanding")).to_contain_text("0.00")

        # The timeline shows every step, oldest first.
        events = page.locator("#timeline li").evaluate_all(
            "items => items.map(i => i.dataset.event)"
        )
        assert events == ["create", "confirm", "ship", "deliver", "invoice", "pay"]
        logout()

        # Master data: the technical department gives P1 a second price row (added with
        # HTMX; a stray extra row removed again) and sees it on the product page.
        login("technical")
        page.goto(f"{base}/products/{world.products['P1']}/edit")
        page.click("#add-price")
        page.click("#add-price")
        expect(page.locator("#price-rows tr")).to_have_count(3)
        page.locator("#price-rows tr").nth(2).locator(".remove-price").click()
        page.fill("#price-1-list", "VIP")
        page.fill("#price-1-price", "88.00")
        page.click("#save-product")
        expect(page).to_have_url(re.compile(r"/products/\d+$"))
        expect(page.locator("#prices")).to_contain_text("VIP")
        expect(page.locator("#prices tbody tr")).to_have_count(2)
