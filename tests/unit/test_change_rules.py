"""Change notices' pure rules: what a patch looks like at first sight, and what it does to
the order's price (the supplementary contract's proposed price, G2)."""

from __future__ import annotations

from decimal import Decimal as D

from orderflow.changes.flow import ChangePatch, patched_total, suggested_impact

LINES = {1: (D("2"), D("100.00")), 2: (D("1"), D("250.50"))}


def list_price(code: str, quantity: D) -> D | None:
    return {"P1": D("100.00"), "P3": D("80.00")}.get(code)


def patch(**body: object) -> ChangePatch:
    return ChangePatch.model_validate(body)


def test_a_changed_price_or_quantity_is_priced_on_its_line() -> None:
    assert patched_total(
        LINES, patch(lines=[{"line_no": 2, "unit_price": "300"}]), list_price
    ) == D("500.00")
    assert patched_total(LINES, patch(lines=[{"line_no": 1, "quantity": "3"}]), list_price) == D(
        "550.50"
    )


def test_a_new_line_takes_the_list_price_unless_priced_and_a_removed_line_drops_out() -> None:
    added = patch(lines=[{"product_code": "P3", "quantity": "5"}, {"line_no": 2, "remove": True}])
    assert patched_total(LINES, added, list_price) == D("600.00")
    priced = patch(lines=[{"product_code": "X9", "quantity": "1", "unit_price": "9.99"}])
    assert patched_total(LINES, priced, list_price) == D("460.49")
    assert (
        patched_total(LINES, patch(lines=[{"product_code": "X9", "quantity": "1"}]), list_price)
        is None
    )


def test_a_header_change_leaves_the_price_and_the_first_look_follows_the_patch() -> None:
    assert patched_total(LINES, patch(notes="木箱"), list_price) == D("450.50")
    assert suggested_impact(patch(notes="木箱")) == "minor"
    assert suggested_impact(patch(lines=[{"line_no": 1, "quantity": "3"}])) == "date"
    assert suggested_impact(patch(lines=[{"line_no": 1, "product_code": "P3"}])) == "structural"
