"""Promise dates (ATP/CTP) against a loaded plan: from stock today, from supply on its
date, by transfer or purchase lead time, by capacity left on the work centres, plus the
production buffer; with what limits the date; and never earlier for more."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from orderflow.core.ports import Supply
from orderflow.planning.bom import Component, Item, Source, Step
from orderflow.planning.plans import PlanKind, achievement, judge, period_of, rolling_days
from orderflow.planning.promise import Capacity, LoadedPlan, promise

TODAY = date(2026, 11, 23)  # Monday


def weekdays(day: date) -> bool:
    return day.weekday() < 5


ITEMS = {
    1: Item(
        1,
        "CABINET",
        Source.MAKE,
        components=(Component(2, Decimal(10), Decimal("0.05")), Component(3, Decimal(1))),
        steps=(Step(10, 100, 30, Decimal(45)), Step(20, 101, 0, Decimal(30))),
        integral=True,
    ),
    2: Item(2, "STEEL", Source.BUY, lead_time_days=7),
    3: Item(3, "LOCK", Source.BUY, lead_time_days=3, integral=True),
    4: Item(4, "TRADED", Source.BUY, lead_time_days=12, integral=True),
    5: Item(5, "LABEL", Source.CUSTOMER),
    6: Item(
        6,
        "TAGGED",
        Source.MAKE,
        components=(Component(5, Decimal(1)),),
        steps=(Step(10, 100, 0, Decimal(1)),),
    ),
}


def plan(
    stock: dict[tuple[int, int], Decimal] | None = None,
    supplies: list[tuple[Supply, Decimal]] | None = None,
    busy_days: int = 0,
) -> LoadedPlan:
    """Press (100) and assembly (101), one unit each, 450 min a day; the loaded plan fills
    the press for ``busy_days`` days."""

    def is_open(wc: int, day: int) -> bool:
        return weekdays(TODAY + timedelta(days=day))

    free = {
        100: [0 if day < busy_days else (450 if is_open(100, day) else 0) for day in range(60)],
        101: [450 if is_open(101, day) else 0 for day in range(60)],
    }
    return LoadedPlan(
        today=TODAY,
        items=ITEMS,
        stock=stock or {},
        supplies=supplies or [],
        capacity=Capacity(TODAY, {100: 450, 101: 450}, {100: 1, 101: 1}, free, is_open),
        is_working_day=weekdays,
        transfer_days=2,
        buffer_days=1,
    )


def test_from_stock_today_and_from_a_purchase_after_its_lead_time() -> None:
    loaded = plan(stock={(1, 4): Decimal(5)})
    assert promise(loaded, [(4, Decimal(5))], company_id=1, companies=[1]).date == TODAY
    short = promise(
        loaded, [(4, Decimal(6))], company_id=1, companies=[1], requested=TODAY + timedelta(days=5)
    )
    assert (short.date, short.limited_by, short.feasible) == (
        TODAY + timedelta(days=12),
        "purchase:4:12",
        False,
    )


def test_a_sister_company_transfer_comes_before_buying() -> None:
    loaded = plan(stock={(2, 4): Decimal(9)})
    got = promise(loaded, [(4, Decimal(9))], company_id=1, companies=[1, 2])
    assert (got.date, got.limited_by) == (TODAY + timedelta(days=2), "transfer:2:4")


def test_a_made_product_waits_for_material_then_capacity_then_the_buffer() -> None:
    # 2 cabinets: 21 kg steel (on stock) and 2 locks (one PO arrives Thursday).
    po = Supply(1, 3, Decimal(2), TODAY + timedelta(days=3), "purchase", "PO-7")
    loaded = plan(stock={(1, 2): Decimal(100)}, supplies=[(po, Decimal(2))])
    got = promise(loaded, [(1, Decimal(2))], company_id=1, companies=[1])
    # Thursday: the locks; press 120 min and assembly 60 min that day; +1 working day.
    assert (got.date, got.limited_by) == (TODAY + timedelta(days=4), "supply:PO-7")

    busy = plan(stock={(1, 2): Decimal(100), (1, 3): Decimal(10)}, busy_days=8)
    got = promise(busy, [(1, Decimal(2))], company_id=1, companies=[1])
    # The press is full until Tuesday next week (day 8): made that day, shipped Wednesday.
    assert (got.date, got.limited_by) == (TODAY + timedelta(days=9), "capacity:100")


def test_customer_material_without_a_date_cannot_be_promised() -> None:
    got = promise(plan(), [(6, Decimal(1))], company_id=1, companies=[1])
    assert (got.date, got.limited_by, got.feasible) == (None, "customer_material:5", False)


def test_lines_of_one_order_share_the_stock() -> None:
    loaded = plan(stock={(1, 4): Decimal(5)})
    got = promise(loaded, [(4, Decimal(5)), (4, Decimal(1))], company_id=1, companies=[1])
    assert [line.ready for line in got.lines] == [TODAY, TODAY + timedelta(days=12)]
    # and the loaded plan itself is untouched by a promise
    assert promise(loaded, [(4, Decimal(5))], company_id=1, companies=[1]).date == TODAY


@given(
    st.integers(1, 40),
    st.integers(0, 40),
    st.integers(0, 20),
    st.sampled_from([1, 4]),
)
@settings(max_examples=200, deadline=None)
def test_more_never_promises_sooner(small: int, extra: int, busy: int, product: int) -> None:
    loaded = plan(
        stock={(1, 2): Decimal(150), (1, 3): Decimal(8), (1, 4): Decimal(20)}, busy_days=busy
    )
    a = promise(loaded, [(product, Decimal(small))], company_id=1, companies=[1])
    b = promise(loaded, [(product, Decimal(small + extra))], company_id=1, companies=[1])
    assert a.date is not None and b.date is not None and a.date <= b.date


def test_plan_periods_rolling_days_and_achievement() -> None:
    assert period_of(PlanKind.MONTHLY, date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_of(PlanKind.WEEKLY, date(2026, 11, 26)) == (
        date(2026, 11, 23),
        date(2026, 11, 29),
    )
    assert rolling_days(date(2026, 11, 27), weekdays) == [
        date(2026, 11, 27),
        date(2026, 11, 30),
        date(2026, 12, 1),
    ]
    # Over-producing one order does not hide a shortfall on another.
    got = achievement({"A": Decimal(10), "B": Decimal(10)}, {"A": Decimal(15), "B": Decimal(9)})
    assert got == Decimal("0.95")
    assert judge(got, Decimal("0.98")).met is False and judge(got, Decimal("0.95")).met is True
    assert achievement({}, {"A": Decimal(1)}) is None
