"""A real browser (Debian's Chromium, driven by Playwright) takes one order from entry to paid:
a clerk enters and confirms it, logistics ships it and records the delivery, finance
invoices it and records the payment, and the timeline shows every step. Then the technical
department adds a price row to a product through its edit form (rows added with HTMX)."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn

from orderflow.app import create_app
from orderflow.config import Settings
from orderflow.migrate import upgrade
from orderflow.runtime import Runtime
from tests.factories import PASSWORD, World, make_world

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required under CI=true (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    return CHROMIUM


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, World, Runtime]]:
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    upgrade(url)
    rt = Runtime.from_settings(
        Settings(
            database_url=url, secret_key="browser-test-secret-0123456789", embedded_worker=False
        )
    )
    world = make_world(rt)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = uvicorn.Server(
        uvicorn.Config(
            create_app(rt, migrate=False, worker=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
    )
    thread = threading.Thread(target=app.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not app.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.started, "the app did not start"
    yield f"http://127.0.0.1:{port}", world, rt
    app.should_exit = True
    thread.join(timeout=10)
    rt.db.dispose()


def test_an_order_from_entry_to_paid_in_the_browser(
    chromium: str, server: tuple[str, World, Runtime]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, world, rt = server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        page.set_default_timeout(10_000)

        def login(username: str) -> None:
            page.goto(base + "/login")
            page.fill("#username", username)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(re.compile(r"/tasks$"))

        def logout() -> None:
            page.click("header form button")
            expect(page).to_have_url(re.compile(r"/login$"))

        def step(name: str, fields: dict[str, str] | None = None) -> None:
            page.click(f"#step-{name} summary")
            for selector, value in (fields or {}).items():
                page.fill(selector, value)
            page.click(f"#do-{name}")

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
        browser.close()
