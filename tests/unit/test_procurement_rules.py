"""The pure rules of buying: H2's check, transfer before buying (A5), the order's state,
over-delivery (H5), reductions (H6) and the on-time rate (H7)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from orderflow.core.ports import BomUse
from orderflow.procurement.flow import (
    CANCELLED,
    CONFIRMED,
    ORDERED,
    RECEIVED,
    RECEIVING,
    DeliveryFact,
    LineCheck,
    LineFacts,
    LineQuantity,
    basis_of,
    derive_state,
    differs_from_bom,
    on_time_rates,
    over_delivery,
    reduction_problems,
    requirement,
    submit_problems,
)

D = Decimal
TODAY = date(2026, 11, 24)


def problems(
    *lines: LineCheck, due: date = date(2026, 12, 10), reason: str = "", agreed: date | None = None
) -> dict[str, str]:
    return {
        p.field: p.code
        for p in submit_problems(
            lines,
            due_date=due,
            today=TODAY,
            transfer_first=True,
            no_transfer_reason=reason,
            supplier_promised_date=agreed,
        )
    }


def test_requirement_is_unit_use_times_quantity_with_allowance() -> None:
    assert requirement(D(2), D(50), D("0.05")) == D("105.00")


def test_a_line_beyond_its_requirement_is_refused() -> None:
    assert problems(LineCheck(0, D(106), D(105))) == {"lines[0].quantity": "over_requirement"}
    assert problems(LineCheck(0, D(105), D(105))) == {}


def test_a_sales_order_line_without_its_basis_is_refused() -> None:
    assert problems(LineCheck(1, D(5), None, missing_basis=True)) == {
        "lines[1].unit_use": "missing_basis"
    }


BOM = BomUse(unit_use=D("2.1"), for_quantity=D(10))


def basis(bom: BomUse | None = BOM, **typed: Decimal) -> tuple[object, ...]:
    b = basis_of(
        unit_use=typed.get("unit_use"),
        for_quantity=typed.get("for_quantity"),
        allowance=typed.get("allowance"),
        bom=bom,
        default_allowance=D("0.02"),
    )
    return (b.unit_use, b.for_quantity, b.allowance, b.source, b.bom_unit_use)


def test_a_line_without_unit_use_takes_the_boms_which_holds_its_overage_already() -> None:
    assert basis() == (D("2.1"), D(10), D(0), "bom", D("2.1"))
    # The quantity it is for may be the user's (a part of the order) with the BOM's unit use.
    assert basis(for_quantity=D(4)) == (D("2.1"), D(4), D(0), "bom", D("2.1"))


def test_a_typed_unit_use_is_kept_with_the_allowance_it_is_checked_with() -> None:
    assert basis(unit_use=D("2.5")) == (D("2.5"), D(10), D("0.02"), "entered", D("2.1"))
    assert basis(unit_use=D(2), allowance=D("0.05")) == (
        D(2),
        D(10),
        D("0.05"),
        "entered",
        D("2.1"),
    )


def test_without_a_bom_the_line_is_as_typed() -> None:
    assert basis(None, unit_use=D(2), for_quantity=D(5)) == (D(2), D(5), None, "entered", None)
    assert basis(None) == (None, None, None, None, None)


def test_a_typed_unit_use_differs_from_the_bom_only_when_with_its_allowance_it_does() -> None:
    assert differs_from_bom(D(2), D("0.05"), D("2.1")) is False
    assert differs_from_bom(D("2.5"), D(0), D("2.1")) is True
    assert differs_from_bom(D("2.5"), None, None) is False


def test_free_group_stock_is_transferred_first_unless_the_buyer_says_why_not() -> None:
    line = LineCheck(0, D(5), None, group_free=D(40))
    assert problems(line) == {"lines[0].quantity": "transfer_first"}
    assert problems(line, reason="the sister company needs it for its own rush order") == {}


def test_the_lead_time_must_fit_unless_the_supplier_agreed_a_date() -> None:
    slow = LineCheck(0, D(5), None, lead_time_days=20, earliest=date(2026, 12, 14))
    assert problems(slow) == {"due_date": "lead_time"}
    assert problems(slow, agreed=date(2026, 12, 9)) == {}
    assert problems(LineCheck(0, D(5), None), due=date(2026, 11, 1)) == {"due_date": "past_date"}


def facts(
    q: str,
    received: str = "0",
    accepted: str = "0",
    rejected: str = "0",
    returned: str = "0",
    cancelled: str = "0",
) -> LineFacts:
    return LineFacts(D(q), D(cancelled), D(received), D(accepted), D(rejected), D(returned))


def test_the_order_is_received_only_when_everything_wanted_passed_inspection() -> None:
    assert derive_state(CONFIRMED, [facts("10")]) == CONFIRMED
    assert derive_state(CONFIRMED, [facts("10", received="10")]) == RECEIVING
    assert (
        derive_state(RECEIVING, [facts("10", received="10", accepted="8", rejected="2")])
        == RECEIVING
    )
    assert derive_state(RECEIVING, [facts("10", received="10", accepted="10")]) == RECEIVED
    assert (
        derive_state(RECEIVING, [facts("10", received="6", accepted="6", cancelled="4")])
        == RECEIVED
    )
    assert derive_state(ORDERED, [facts("10", cancelled="10")]) == CANCELLED


def test_over_delivery_is_refused() -> None:
    assert over_delivery(D(5), D("5.0001")) and not over_delivery(D(5), D(5))


def test_a_reduction_lowers_a_line_but_not_below_what_arrived() -> None:
    current = {1: (D(100), D(30))}
    asked = [
        LineQuantity(line_no=1, quantity=D(100)),
        LineQuantity(line_no=1, quantity=D(20)),
        LineQuantity(line_no=2, quantity=D(1)),
    ]
    assert [p.code for p in reduction_problems(current, asked)] == [
        "not_a_reduction",
        "below_received",
        "unknown_line",
    ]
    assert reduction_problems(current, [LineQuantity(line_no=1, quantity=D(30))]) == []


def test_on_time_rate_counts_complete_lines_and_lines_past_due() -> None:
    rates = on_time_rates(
        [
            DeliveryFact("S1", date(2026, 11, 10), date(2026, 11, 10)),  # on time
            DeliveryFact("S1", date(2026, 11, 10), date(2026, 11, 12)),  # late
            DeliveryFact("S1", date(2026, 11, 20), None),  # open past due: late
            DeliveryFact("S1", date(2026, 12, 20), None),  # not due yet: not counted
            DeliveryFact("S2", date(2026, 12, 20), None),
        ],
        TODAY,
    )
    assert (rates["S1"].on_time, rates["S1"].late, rates["S1"].rate) == (1, 2, D("0.3333"))
    assert rates["S2"].rate is None


@given(
    st.lists(st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(0, 40))), max_size=30)
)
def test_on_time_and_late_never_exceed_the_lines(rows: list[tuple[int, int | None]]) -> None:
    base = date(2026, 11, 1)
    from datetime import timedelta

    fs = [
        DeliveryFact(
            "S", base + timedelta(days=due), None if done is None else base + timedelta(days=done)
        )
        for due, done in rows
    ]
    rate = on_time_rates(fs, TODAY).get("S")
    if rate is not None:
        assert rate.counted <= len(rows)
        assert rate.rate is None or D(0) <= rate.rate <= D(1)
