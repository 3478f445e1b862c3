"""Netting across the group: every requirement covered exactly once, no stock or supply
used twice, own stock before transfers before purchases, customer material never bought."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from orderflow.core.ports import Supply
from orderflow.planning.bom import Item, Requirement, Source
from orderflow.planning.netting import MISSING, PURCHASE, STOCK, SUPPLY, TRANSFER, net

TODAY = date(2026, 11, 24)
ITEMS = {
    10: Item(10, "STEEL", Source.BUY, lead_time_days=7),
    11: Item(11, "MOTOR", Source.BUY, lead_time_days=20, integral=True),
    12: Item(12, "LABEL", Source.CUSTOMER),
}
COMPANIES = (1, 2, 3)
quantities = st.decimals(min_value=Decimal(0), max_value=Decimal(60), places=1)


@st.composite
def situations(
    draw: st.DrawFn,
) -> tuple[list[tuple[Requirement, date]], dict[tuple[int, int], Decimal], list[Supply]]:
    needs = []
    for n in range(draw(st.integers(1, 12))):
        order = draw(st.integers(1, 4))
        req = Requirement(
            f"R{n}",
            order,
            draw(st.sampled_from(COMPANIES)),
            draw(st.sampled_from(sorted(ITEMS))),
            draw(quantities),
            TODAY + timedelta(days=30),
            draw(st.integers(0, 2)),
            1,
            f"J{n}",
        )
        needs.append((req, TODAY + timedelta(days=draw(st.integers(0, 30)))))
    stock = {(c, p): draw(quantities) for c in COMPANIES for p in ITEMS if draw(st.booleans())}
    supplies = [
        Supply(
            draw(st.sampled_from(COMPANIES)),
            draw(st.sampled_from(sorted(ITEMS))),
            draw(quantities),
            TODAY + timedelta(days=draw(st.integers(0, 40))),
            draw(st.sampled_from(["purchase", "customer_supplied", "transfer"])),
            f"S{i}",
            draw(st.none() | st.integers(1, 4)),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    return needs, stock, supplies


@given(situations())
@settings(max_examples=300, deadline=None)
def test_netting_covers_each_requirement_once_and_uses_nothing_twice(situation) -> None:  # type: ignore[no-untyped-def]
    needs, stock, supplies = situation
    got = net(needs, ITEMS, stock, supplies, today=TODAY, transfer_days=2)

    used_stock: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    used_supply: dict[str, Decimal] = defaultdict(Decimal)
    bought: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    moved: dict[tuple[int, int, int, int], Decimal] = defaultdict(Decimal)
    by_ref = {s.reference: s for s in supplies}
    for req, _need in needs:
        parts = got.allocations[req.key]
        assert sum((a.quantity for a in parts), Decimal(0)) == req.quantity
        for a in parts:
            assert a.quantity > 0
            if a.source in (STOCK, TRANSFER):
                used_stock[(a.company_id, req.product_id)] += a.quantity  # type: ignore[index]
            if a.source == STOCK:
                assert a.company_id == req.company_id and a.ready == TODAY
            if a.source == TRANSFER:
                assert a.company_id != req.company_id and a.ready == TODAY + timedelta(days=2)
                moved[(a.company_id, req.company_id, req.product_id, req.order_id)] += a.quantity  # type: ignore[index]
            if a.source == SUPPLY:
                supply = by_ref[a.reference]
                used_supply[a.reference] += a.quantity
                assert (supply.company_id, supply.product_id) == (req.company_id, req.product_id)
                assert supply.sales_order_id in (
                    None,
                    req.order_id,
                )  # bought per order: only its own
                assert a.ready == supply.available_on
            if a.source == PURCHASE:
                bought[(req.company_id, req.product_id, req.order_id)] += a.quantity
                assert a.ready == TODAY + timedelta(days=ITEMS[req.product_id].lead_time_days)
            if ITEMS[req.product_id].source is Source.CUSTOMER:
                assert a.source not in (PURCHASE, TRANSFER)  # 客供: never bought or moved
            assert (a.source == MISSING) == (a.ready is None)
        readies = [a.ready for a in parts]
        expected = None if None in readies else max([TODAY, *readies])  # type: ignore[type-var]
        assert got.ready[req.key] == expected

    for key, free in stock.items():
        assert used_stock[key] <= max(free, Decimal(0))
        assert got.stock_left.get(key, Decimal(0)) == max(free, Decimal(0)) - used_stock[key]
    for ref, qty in used_supply.items():
        assert qty <= by_ref[ref].quantity
    # Own stock first, then the group's, then buy: whatever is bought, no company of the
    # group has that material left over.
    for _company, product, _ in bought:
        assert all(got.stock_left.get((c, product), Decimal(0)) == 0 for c in COMPANIES)
    for _source, target, product, _ in moved:
        assert got.stock_left.get((target, product), Decimal(0)) == 0
    # The suggestions are exactly what was allocated to purchases and transfers.
    assert {
        (p.company_id, p.product_id, p.sales_order_id): p.quantity for p in got.purchases
    } == dict(bought)
    assert {
        (t.from_company_id, t.to_company_id, t.product_id, t.sales_order_id): t.quantity
        for t in got.transfers
    } == dict(moved)
    for p in got.purchases:
        assert p.needed_by == min(
            n
            for r, n in needs
            if (r.company_id, r.product_id, r.order_id)
            == (p.company_id, p.product_id, p.sales_order_id)
            and any(a.source == PURCHASE for a in got.allocations[r.key])
        )


def test_stock_in_a_sister_company_is_transferred_before_buying() -> None:
    req = Requirement("R1", 1, 1, 10, Decimal(50), TODAY, 2, 1, "J1")
    got = net(
        [(req, TODAY + timedelta(days=5))],
        ITEMS,
        {(1, 10): Decimal(20), (2, 10): Decimal(25)},
        [],
        today=TODAY,
        transfer_days=2,
    )
    assert [(a.source, a.quantity, a.company_id) for a in got.allocations["R1"]] == [
        (STOCK, 20, 1),
        (TRANSFER, 25, 2),
        (PURCHASE, 5, 1),
    ]
    assert [(t.from_company_id, t.to_company_id, t.quantity) for t in got.transfers] == [(2, 1, 25)]
    assert [(p.company_id, p.quantity, p.needed_by) for p in got.purchases] == [
        (1, 5, TODAY + timedelta(days=5))
    ]
    assert got.ready["R1"] == TODAY + timedelta(days=7)  # the purchase lead time limits it


def test_the_earliest_need_is_served_first_and_late_supply_beats_a_longer_purchase() -> None:
    early = Requirement("EARLY", 1, 1, 11, Decimal(10), TODAY, 2, 1, "J1")
    late = Requirement("LATE", 2, 1, 11, Decimal(10), TODAY, 2, 1, "J2")
    po = Supply(1, 11, Decimal(10), TODAY + timedelta(days=12), "purchase", "PO-9")
    got = net(
        [(late, TODAY + timedelta(days=20)), (early, TODAY + timedelta(days=3))],
        ITEMS,
        {(1, 11): Decimal(10)},
        [po],
        today=TODAY,
        transfer_days=2,
    )
    assert [a.source for a in got.allocations["EARLY"]] == [STOCK]
    assert [(a.source, a.reference) for a in got.allocations["LATE"]] == [(SUPPLY, "PO-9")]
    assert got.purchases == []


def test_customer_material_without_a_promised_arrival_is_missing() -> None:
    req = Requirement("R1", 1, 1, 12, Decimal(3), TODAY, 2, 1, "J1")
    promised = Supply(
        1, 12, Decimal(2), TODAY + timedelta(days=4), "customer_supplied", "客供-1", 1
    )
    got = net(
        [(req, TODAY)], ITEMS, {(2, 12): Decimal(100)}, [promised], today=TODAY, transfer_days=2
    )
    assert [(a.source, a.quantity) for a in got.allocations["R1"]] == [(SUPPLY, 2), (MISSING, 1)]
    assert got.ready["R1"] is None and got.purchases == [] and got.transfers == []
