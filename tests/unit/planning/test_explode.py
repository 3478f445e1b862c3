"""Explosion through multi-level bills of material: unit consumption and overage (抛数) at
every level, whole units for pieces, and a structure that contains itself refused."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderflow.planning.bom import (
    BomCycle,
    Component,
    Demand,
    Item,
    Source,
    Step,
    direct_requirements,
    explode,
    round_up,
)

DUE = date(2026, 12, 18)
STEP = (Step(10, 1, 10, Decimal(1)),)


def reference(items: dict[int, Item], product: int, quantity: Decimal) -> Counter[int]:
    """What each bought item totals for ``quantity`` of ``product``, by plain recursion."""
    item = items[product]
    if item.source is not Source.MAKE:
        return Counter({product: quantity})
    out: Counter[int] = Counter()
    for c in item.components:
        child = items[c.product_id]
        out.update(
            reference(
                items,
                c.product_id,
                round_up(quantity * c.quantity * (1 + c.overage), child.integral),
            )
        )
    return out


@st.composite
def structures(draw: st.DrawFn) -> dict[int, Item]:
    """Three levels: finished goods (1..), sub-assemblies (100..), bought materials (200..)."""
    quantities = st.decimals(min_value=Decimal("0.1"), max_value=Decimal(8), places=2)
    overages = st.sampled_from([Decimal(0), Decimal("0.03"), Decimal("0.05"), Decimal("0.1")])
    bought = {
        pid: Item(
            pid,
            f"B{pid}",
            draw(st.sampled_from([Source.BUY, Source.CUSTOMER])),
            5,
            integral=draw(st.booleans()),
        )
        for pid in range(200, 200 + draw(st.integers(1, 5)))
    }
    subs = {}
    for pid in range(100, 100 + draw(st.integers(0, 3))):
        parts = draw(st.lists(st.sampled_from(sorted(bought)), min_size=1, max_size=3, unique=True))
        subs[pid] = Item(
            pid,
            f"S{pid}",
            Source.MAKE,
            components=tuple(Component(p, draw(quantities), draw(overages)) for p in parts),
            steps=STEP,
            integral=True,
        )
    finished = {}
    for pid in range(1, 1 + draw(st.integers(1, 3))):
        parts = draw(
            st.lists(
                st.sampled_from(sorted(subs) + sorted(bought)), min_size=1, max_size=4, unique=True
            )
        )
        finished[pid] = Item(
            pid,
            f"F{pid}",
            Source.MAKE,
            components=tuple(Component(p, draw(quantities), draw(overages)) for p in parts),
            steps=STEP,
            integral=True,
        )
    return {**bought, **subs, **finished}


@given(structures(), st.data())
@settings(max_examples=150, deadline=None)
def test_requirements_add_up_to_consumption_times_overage_at_every_level(
    items: dict[int, Item], data: st.DataObject
) -> None:
    finished = [pid for pid in items if pid < 100]
    demands = [
        Demand(
            f"SO{n}/1",
            n,
            1,
            data.draw(st.sampled_from(finished)),
            Decimal(data.draw(st.integers(1, 50))),
            DUE,
            2,
        )
        for n in range(data.draw(st.integers(1, 4)))
    ]
    got = explode(demands, items)

    expected: Counter[int] = Counter()
    for d in demands:
        expected.update(reference(items, d.product_id, d.quantity))
    totals: Counter[int] = Counter()
    for r in got.requirements:
        totals[r.product_id] += r.quantity
    assert totals == expected

    jobs = {j.key: j for j in got.jobs}
    for r in got.requirements:
        parent = jobs[r.job]  # every material belongs to the job that consumes it
        component = next(
            c for c in items[parent.product_id].components if c.product_id == r.product_id
        )
        exact = parent.quantity * component.quantity * (1 + component.overage)
        assert r.quantity >= exact  # the overage is never lost to rounding
        if items[r.product_id].integral:
            assert r.quantity == r.quantity.to_integral_value() and r.quantity - exact < 1
        assert r.level == parent.level + 1 and r.due == parent.due and r.order_id == parent.order_id
    for j in got.jobs:
        assert (j.parent is None) == (j.level == 0)
        if j.parent is not None:
            assert jobs[j.parent].level == j.level - 1


def test_a_garment_order_with_fabric_overage() -> None:
    # 单件用量 1.35 m of fabric per shirt with 3 % 抛数; 200 shirts → 278.1 m
    items = {
        1: Item(
            1,
            "SHIRT",
            Source.MAKE,
            components=(Component(2, Decimal("1.35"), Decimal("0.03")), Component(3, Decimal(6))),
            steps=STEP,
            integral=True,
        ),
        2: Item(2, "FABRIC", Source.BUY, 10),
        3: Item(3, "BUTTON", Source.CUSTOMER, integral=True),
    }
    got = explode([Demand("SO-1/1", 1, 1, 1, Decimal(200), DUE)], items)
    assert [(r.product_id, r.quantity) for r in got.requirements] == [
        (2, Decimal("278.1000")),
        (3, Decimal(1200)),
    ]
    assert [j.key for j in got.jobs] == ["SO-1/1"]


def test_a_bought_line_is_a_requirement_of_the_order_itself() -> None:
    items = {7: Item(7, "TRADED", Source.BUY, 3)}
    got = explode([Demand("SO-1/2", 1, 1, 7, Decimal(4), DUE)], items)
    assert got.jobs == [] and [(r.key, r.job, r.quantity) for r in got.requirements] == [
        ("SO-1/2", None, 4)
    ]


def test_a_structure_that_contains_itself_is_refused() -> None:
    items = {
        1: Item(1, "A", Source.MAKE, components=(Component(2, Decimal(1)),), steps=STEP),
        2: Item(2, "B", Source.MAKE, components=(Component(1, Decimal(1)),), steps=STEP),
    }
    with pytest.raises(BomCycle):
        explode([Demand("SO-1/1", 1, 1, 1, Decimal(1), DUE)], items)


def test_a_released_job_needs_only_its_own_bought_materials() -> None:
    items = {
        1: Item(
            1,
            "FG",
            Source.MAKE,
            components=(Component(2, Decimal(2)), Component(3, Decimal(1))),
            steps=STEP,
        ),
        2: Item(2, "SUB", Source.MAKE, components=(Component(3, Decimal(5)),), steps=STEP),
        3: Item(3, "RAW", Source.BUY, 4),
    }
    top = explode([Demand("SO-1/1", 1, 1, 1, Decimal(3), DUE)], items).jobs[0]
    assert [(r.product_id, r.quantity) for r in direct_requirements(top, items)] == [
        (3, Decimal(3))
    ]
