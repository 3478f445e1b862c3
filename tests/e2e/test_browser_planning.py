"""A real browser plans a set of orders and follows them on the floor: the planner releases
two orders and runs the plan; the board shows their operations on the work centres with
the late one marked; plans are published; a worker reports progress from a phone; the
plan's achievement and the board update."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from orderflow.costing.schemas import BudgetCreate
from orderflow.costing.service import create_budget, step_budget
from orderflow.inventory.ledger import receive
from orderflow.runtime import Runtime
from tests.e2e.conftest import Desk, browser_for
from tests.factories import World
from tests.production_factories import make_plant, ready_order

pytestmark = pytest.mark.browser


def _orders(rt: Runtime, world: World) -> list[tuple[str, int]]:
    """Two orders short of stock (P1: 100 in stock), reviewed, confirmed, effective, their
    cost budgets approved: an urgent one the plan makes at once, and one due in two days
    that cannot make it."""
    plant = make_plant(rt, world, raw_stock=5000)
    with rt.db.transaction() as s:
        receive(
            s,
            warehouse_id=world.warehouse_id,
            product_id=plant.products["PART"],
            quantity=Decimal(5000),
            reason="opening_balance",
            at=rt.now(),
        )
    made = []
    for quantity, days, priority in ((110, 20, "urgent"), (130, 2, "normal")):
        order_id = ready_order(rt, world, [("P1", quantity)], days=days, priority=priority)
        budget = create_budget(rt, world["sales_clerk"], BudgetCreate(sales_order_id=order_id))
        for role in ("sales_clerk", "procurement", "planner"):
            step_budget(rt, world[role], budget.id, "sign", {}, expected_version=None)
        step_budget(rt, world["general_manager"], budget.id, "approve", {}, expected_version=None)
        made.append((budget.sales_order_number, order_id))
    return made


@pytest.fixture
def story(
    server: tuple[str, World, Runtime],
) -> Iterator[tuple[str, World, Runtime, list[tuple[str, int]]]]:
    base, world, rt = server  # the server runs on the real clock
    yield base, world, rt, _orders(rt, world)


def test_plan_orders_report_progress_and_see_board_and_achievement_update(
    chromium: str,
    story: tuple[str, World, Runtime, list[tuple[str, int]]],
) -> None:
    from playwright.sync_api import expect

    base, world, rt, ((on_time, on_time_id), (rush, rush_id)) = story
    with browser_for(chromium) as browser:
        desk = browser.new_page()
        Desk(desk, base).login("planner")

        # The planner releases both orders to production from the production page.
        for order_id in (on_time_id, rush_id):
            desk.goto(base + "/production")
            desk.select_option("#sales_order_id", str(order_id))
            desk.click("#do-release")
            expect(desk).to_have_url(re.compile(r"/production/instructions/\d+$"))
            expect(desk.locator("#pi-state")).to_have_attribute("data-state", "issued")
            expect(desk.locator("#production-orders")).to_contain_text("P1")

        # Runs the plan: the board shows the operations; the rush order is marked late.
        desk.goto(base + "/planning")
        desk.click("#run-plan")
        expect(desk.locator("#plan-run")).to_have_attribute("data-run", re.compile(r"\d+"))
        expect(desk.locator("#board .bar").first).to_be_visible()
        assert desk.locator(f'#board .bar.late[data-order="{rush}"]').count() > 0
        assert desk.locator(f'#board .bar[data-order="{on_time}"][data-late="false"]').count() > 0
        expect(desk.locator(f'#late-orders tr[data-order="{rush}"]')).to_be_visible()
        first_run = desk.locator("#plan-run").get_attribute("data-run")

        # Publishes the plans (month, week, rolling 3 days): the urgent order's P1 is due to
        # be finished in them, nothing done yet.
        desk.goto(base + "/planning/plans")
        desk.click("#publish-plans")
        expect(desk.locator('#plans tr[data-kind="daily"]').first).to_be_visible()
        expect(desk.locator("#plans")).to_contain_text("P1 0/10")

        # A worker on a phone reports the press and the assembly of the on-time order's P1.
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        Desk(phone, base).login("production")
        for seq in (10, 20):
            phone.goto(base + "/shopfloor")
            card = (
                phone.locator(".op", has_text=on_time)
                .filter(has_text=f"· {seq} ")
                .filter(has_text="P1")
            )
            expect(card.first).to_be_visible()
            card.first.locator("button").click()
            expect(phone.locator("#reported")).to_contain_text(f"/{seq}")

        # The planner sees the month's achievement move and, after replanning, the board
        # without the finished work.
        desk.goto(base + "/planning/plans")
        expect(desk.locator("#plans")).to_contain_text("P1 10/10")
        achieved = desk.locator("#plans .achievement").all_inner_texts()
        assert any(re.search(r"[1-9]\d*(\.\d)?%", text) for text in achieved), achieved
        desk.goto(base + "/planning")
        desk.click("#run-plan")
        expect(desk.locator("#plan-run")).not_to_have_attribute("data-run", first_run or "")
        assert (
            desk.locator(f'#board .bar[data-order="{on_time}"]').evaluate_all(
                "bars => bars.filter(b => /P1\\/(10|20)/.test(b.textContent)).length"
            )
            == 0
        )
