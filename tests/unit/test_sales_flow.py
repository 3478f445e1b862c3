"""The sales order's pure rules: state derivation, amounts, credit, the lifecycle table."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from orderflow.sales.flow import (
    COMPLETED,
    CONFIRMED,
    DELIVERED,
    PARTIALLY_SHIPPED,
    SHIPPED,
    LineFacts,
    OrderFacts,
    credit_available,
    derive_state,
    line_amount,
    make_lifecycle,
)
from orderflow.sales.models import SalesOrder


def facts(
    shipped: tuple[str, ...], delivered: tuple[bool, ...] = (), paid: str = "0"
) -> OrderFacts:
    return OrderFacts(
        lines=tuple(LineFacts(D(10), D(s)) for s in shipped),
        shipments_delivered=delivered,
        total=D("1000"),
        paid=D(paid),
    )


@pytest.mark.parametrize(
    ("given", "state"),
    [
        (facts(("0", "0")), CONFIRMED),
        (facts(("0", "0"), paid="1000"), CONFIRMED),
        (facts(("5", "0"), (False,)), PARTIALLY_SHIPPED),
        (facts(("10", "5"), (True,)), PARTIALLY_SHIPPED),
        (facts(("10", "10"), (True, False)), SHIPPED),
        (facts(("10", "10"), (True, True)), DELIVERED),
        (facts(("10", "10"), (True, True), paid="999.99"), DELIVERED),
        (facts(("10", "10"), (True, True), paid="1000"), COMPLETED),
    ],
)
def test_state_follows_from_shipped_delivered_and_paid(given: OrderFacts, state: str) -> None:
    assert derive_state(given) == state


def test_line_amount_rounds_to_cents() -> None:
    assert line_amount(D("3"), D("33.333")) == D("100.00")
    assert line_amount(D("0.5"), D("0.05")) == D("0.03")


def test_new_customers_get_a_share_of_their_credit() -> None:
    assert credit_available(D("100000"), D("20000"), is_new=False, new_factor=D("0.5")) == D(
        "80000"
    )
    assert credit_available(D("100000"), D("20000"), is_new=True, new_factor=D("0.5")) == D("30000")


def test_allowed_steps_depend_on_state_and_role() -> None:
    lifecycle = make_lifecycle()
    order = SalesOrder(state="draft")
    assert set(lifecycle.allowed(order, {"sales_clerk"})) == {"confirm", "cancel"}
    assert lifecycle.allowed(order, {"finance"}) == []
    order.state = "confirmed"
    assert set(lifecycle.allowed(order, {"finance"})) == {"pay"}
    assert set(lifecycle.allowed(order, {"logistics"})) == {"ship"}
    order.state = "completed"
    assert lifecycle.allowed(order, {"admin"}) == []


def test_a_lifecycle_naming_an_unknown_state_is_refused() -> None:
    from orderflow.core.workflow import Lifecycle, step

    with pytest.raises(ValueError, match="unknown states"):
        Lifecycle("x", ("a", "b"), "a", {"go": step("go", ["a"], "c", {"admin"})})
