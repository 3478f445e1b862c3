"""A real browser (Chromium via Playwright) walks issue 3's story: a non-regular order above
the review-meeting threshold is entered and classified, reviewed by four departments with
one objection on the date, the date negotiated, the meeting recorded and the review
approved; the order is quoted, contracted (a clause edited when drawing, signed scan
uploaded), the deposit verified, the order becomes effective and the production
instruction task opens; then a structural change re-opens the review and waits for its
supplementary contract, drawn and signed from the change's page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from orderflow.runtime import Runtime
from tests.e2e.conftest import Desk, browser_for
from tests.factories import World

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_non_regular_order_from_entry_to_effective_and_changed(
    chromium: str,
    server: tuple[str, World, Runtime],
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    base, world, rt = server
    scan = tmp_path / "签字合同.png"
    scan.write_bytes(PNG)
    with browser_for(chromium) as browser:
        page = browser.new_page()
        desk = Desk(page, base)
        login, logout, step = desk.login, desk.logout, desk.step

        def as_(username: str, url: str) -> None:
            logout()
            login(username)
            page.goto(url)

        late = (rt.today() + timedelta(days=40)).isoformat()

        # The clerk enters a custom-designed order above 500,000: classified non-regular.
        login("sales_clerk")
        page.goto(base + "/orders/new")
        page.select_option("#customer_id", str(world.customer_id))
        page.fill("#requested_date", (rt.today() + timedelta(days=20)).isoformat())
        page.select_option("#line-0-product", str(world.products["P1"]))
        page.fill("#line-0-quantity", "5001")
        page.fill("#technical_requirements", "按客户图纸改型")
        page.check("#custom_design")
        page.click("#save-order")
        expect(page).to_have_url(re.compile(r"/orders/\d+$"))
        order_url = page.url
        expect(page.locator("#order-regularity")).to_have_attribute(
            "data-regularity", "non_regular"
        )
        expect(page.locator("#classification-reasons")).to_contain_text("需重新设计")
        expect(page.locator("#order-review-state")).to_have_attribute(
            "data-review-state", "in_review"
        )
        expect(page.locator("#no-promise")).to_be_visible()
        page.click(".review-link")
        review_url = page.url
        expect(page.locator("#review-state")).to_have_attribute("data-state", "open")

        # Four departments review; production objects to the date.
        step("sign_off", {"#sign-comment": "资料齐全"})
        for department in ("materials_control", "technical"):
            as_(department, review_url)
            step("sign_off")
        as_("production", review_url)
        step(
            "object",
            {
                "select#object-topic": "delivery_date",
                "#object-reason": "产能不足，需 40 天",
                "#object-feasible": late,
            },
        )
        expect(page.locator("#review-state")).to_have_attribute("data-state", "negotiating")

        # The clerk negotiates: the customer accepts the later date.
        as_("sales_clerk", review_url)
        step("request_extension", {"#proposed-date": late, "#extension-message": "请确认"})
        step("customer_accepts", {"#agreed-date-input": late})
        expect(page.locator("#agreed-date")).to_be_visible()

        # Order management records the review meeting and approves.
        as_("order_manager", review_url)
        step(
            "record_meeting",
            {
                "#meeting-attendees": "赵订单, 孙生产, 吴工程师",
                "#meeting-minutes": "技术交底：柜体加深",
                "#meeting-decisions": "按 40 天交货",
            },
        )
        step("approve")
        expect(page.locator("#review-state")).to_have_attribute("data-state", "passed")

        # The clerk confirms the order and asks for a quote.
        as_("sales_clerk", order_url)
        step("confirm", {"select#on_shortage": "wait"})
        expect(page.locator("#order-state")).to_have_attribute("data-state", "confirmed")
        page.click("#new-quote")
        expect(page).to_have_url(re.compile(r"/quotes/\d+$"))
        quote_url = page.url
        as_("order_manager", quote_url)
        step("price")
        step("sign")
        as_("technical_manager", quote_url)
        step("sign")
        expect(page.locator("#quote-state")).to_have_attribute("data-state", "signed")
        as_("sales_clerk", quote_url)
        step("send")
        step("accept")
        expect(page.locator("#quote-state")).to_have_attribute("data-state", "accepted")

        # The contract: drawn with a clause edited, sent, the signed scan uploaded, filed, the
        # deposit verified.
        page.goto(order_url)
        page.click("#new-contract")
        page.fill("#clause-disputes-zh", "提交上海仲裁委员会仲裁。")
        page.fill("#clause-disputes-en", "Arbitration by the Shanghai Arbitration Commission.")
        page.click("#draw-contract")
        expect(page).to_have_url(re.compile(r"/contracts/\d+$"))
        expect(page.locator("#contract-terms")).to_contain_text("提交上海仲裁委员会仲裁。")
        contract_url = page.url
        step("send")
        page.click("#step-record_signature summary")
        page.set_input_files("#signature-file", str(scan))
        page.fill("#signatory", "刘经理")
        page.click("#do-record_signature")
        expect(page.locator("#contract-state")).to_have_attribute("data-state", "signed")
        as_("order_manager", contract_url)
        step("file")
        expect(page.locator("#filed-to")).to_contain_text("财务部")
        as_("finance", contract_url)
        step("verify_deposit", {"#deposit-reference": "BANK-778"})
        expect(page.locator("#contract-state")).to_have_attribute("data-state", "effective")

        # The order is effective and the planner's production instruction task is open.
        page.goto(order_url)
        expect(page.locator("#order-effective")).to_have_attribute("data-effective", "yes")
        expect(page.locator("#order-tasks")).to_contain_text("下达生产指令单")

        # A structural change re-opens the review.
        as_("sales_clerk", order_url)
        page.click("#new-change")
        page.fill("#description", "改用 P3，结构变化")
        page.select_option("#line_no", "1")
        page.fill("#line_product", "P3")
        page.click("#save-change")
        expect(page).to_have_url(re.compile(r"/changes/\d+$"))
        step("classify", {"select#impact": "structural", "#answer": "按非常规订单重新评审"})
        expect(page.locator("#change-state")).to_have_attribute("data-state", "in_review")
        page.goto(order_url)
        expect(page.locator("#order-review-state")).to_have_attribute(
            "data-review-state", "in_review"
        )
        expect(page.locator(".review-link")).to_have_count(2)

        # The contract is signed, so the change waits for a supplementary contract.
        page.click(".change-link")
        expect(page.locator("#supplementary-gate")).to_be_visible()
        page.click("#draw-supplementary")
        page.fill("#contract-amount", "12000.00")
        page.click("#draw-contract")
        expect(page).to_have_url(re.compile(r"/contracts/\d+$"))
        expect(page.locator("#parent-contract")).to_be_visible()
        page.click("#step-record_signature summary")
        page.set_input_files("#signature-file", str(scan))
        page.fill("#signatory", "刘经理")
        page.click("#do-record_signature")
        expect(page.locator("#contract-state")).to_have_attribute("data-state", "signed")
        page.click("#contract-change")
        expect(page.locator("#supplementary-signed")).to_be_visible()
