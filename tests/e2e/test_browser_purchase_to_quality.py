"""A real browser (Debian's Chromium, driven by Playwright) follows one purchase: a buyer's
requisition becomes a purchase order and is approved; the supplier confirms a later date,
which is an exception slip at once; the goods arrive and wait for inspection; the
inspector fails the batch (pass rate under 95 %), which reaches both the quality and the
procurement heads; the procurement head decides and closes the slip."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from orderflow.runtime import Runtime
from tests.e2e.conftest import Desk, browser_for
from tests.factories import World
from tests.supply_factories import add_suppliers

pytestmark = pytest.mark.browser


def test_a_purchase_from_requisition_to_a_closed_quality_slip(
    chromium: str,
    server: tuple[str, World, Runtime],
) -> None:
    from playwright.sync_api import expect

    base, world, rt = server
    add_suppliers(rt, world)
    with browser_for(chromium) as browser:
        page = browser.new_page()
        desk = Desk(page, base)
        login, logout, step = desk.login, desk.logout, desk.step

        needed_by = (rt.today() + timedelta(days=14)).isoformat()

        # The buyer raises a requisition (2 per unit × 50 units × 5 % overage) and buys it.
        login("procurement")
        page.goto(base + "/purchasing")
        page.click("#new-requisition")
        page.fill("#needed_by", needed_by)
        page.select_option("#line-0-product", "RAW")
        page.fill("#line-0-unit_use", "2")
        page.fill("#line-0-for_quantity", "50")
        page.fill("#line-0-allowance", "0.05")
        page.click("#save-requisition")
        expect(page.locator("#requisition-state")).to_have_attribute("data-state", "open")
        expect(page.locator("#requisition-lines")).to_contain_text("105")
        page.select_option("#supplier_id", str(world.extra["suppliers"]["S1"]))
        page.click("#do-order")
        po_state = page.locator("#po-state")
        expect(po_state).to_have_attribute("data-state", "draft")
        po_url = page.url
        expect(page.locator("#po-total")).to_contain_text("126.00")
        step("submit")
        expect(po_state).to_have_attribute("data-state", "pending_approval")
        logout()

        # The procurement head approves it (H2).
        login("procurement_manager")
        page.goto(po_url)
        step("approve")
        expect(po_state).to_have_attribute("data-state", "ordered")
        logout()

        # The supplier confirms a date after the planned one: late, an exception slip at once.
        login("procurement")
        page.goto(po_url)
        step("confirm_date", {"#promised_date": (rt.today() + timedelta(days=18)).isoformat()})
        expect(page.locator("#po-late")).to_be_visible()
        page.click("#po-exception")
        expect(page.locator("#slip-kind")).to_have_text(re.compile("供应商延期|Supplier late"))
        expect(page.locator("#slip-owners")).to_contain_text("采购主管")
        logout()

        # The goods arrive: they wait in QC for the incoming inspection.
        login("warehouse")
        page.goto(po_url)
        step("receive", {"#delivery_note": "DN-20261124"})
        expect(po_state).to_have_attribute("data-state", "receiving")
        inspection = page.locator("a.inspection-link").first.inner_text()
        logout()

        # The inspector fails the batch: 5 of a sample of 20 out of dimension (75 % < 95 %).
        login("quality")
        page.goto(base + "/quality")
        page.click(f"#pending-inspections >> text={inspection}")
        expect(page.locator("#sampling-plan")).to_contain_text("20")
        page.fill("#defective", "5")
        page.select_option("#finding-0-defect", "dimension")
        page.fill("#finding-0-quantity", "5")
        page.fill("#finding-0-note", "超差 0.3mm")
        page.click("#do-record")
        expect(page.locator("#inspection-state")).to_have_attribute("data-state", "failed")
        expect(page.locator("#pass-rate")).to_contain_text("75.0%")
        slip_url = page.locator("#inspection-exception").get_attribute("href")
        assert slip_url
        logout()

        # The escalation reaches both heads: each has the slip among their own tasks.
        login("quality_manager")
        expect(page.locator("#tasks")).to_contain_text(
            re.compile("批量质量问题|Batch quality problem")
        )
        logout()
        login("procurement_manager")
        page.click(f"#tasks a[href='{slip_url}']")
        expect(page.locator("#slip-state")).to_have_attribute("data-state", "open")

        # The procurement head decides (return and replace, the supplier is liable) and closes it.
        step(
            "decide",
            {
                "#cause": "供应商模具磨损",
                "#decision": "整批退货补发，供应商承担运费",
                "#cost": "200",
                "#remedy": "return_replace",
                "#liability": "supplier",
            },
        )
        expect(page.locator("#slip-state")).to_have_attribute("data-state", "decided")
        expect(page.locator("#slip-liability")).to_have_text(re.compile("供应商|Supplier"))
        step("close", {"#closure": "补发到货检验合格"})
        expect(page.locator("#slip-state")).to_have_attribute("data-state", "closed")
        events = page.locator("#timeline li").evaluate_all(
            "items => items.map(i => i.dataset.event)"
        )
        assert events[0] == "create" and events[-2:] == ["decide", "close"]
