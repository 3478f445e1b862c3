"""GB/T 2828.1 sampling, normal single sampling at every inspection level: the plans inspectors use."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderflow.policy.loader import SUPPORTED_AQL
from orderflow.quality.sampling import LEVELS, code_letter, lot_units, plan_for


@pytest.mark.parametrize(
    ("lot", "aql", "letter", "n", "ac"),
    [
        (300, "2.5", "H", 50, 3),
        (1000, "2.5", "J", 80, 5),
        (120, "2.5", "F", 20, 1),
        (60, "2.5", "D", 8, 0),  # E's arrow points up to D's plan
        (20000, "2.5", "M", 315, 14),
        (100000, "2.5", "N", 500, 21),
        (200000, "2.5", "N", 500, 21),  # past the last plan: back up to it
        (300, "4.0", "H", 50, 5),
        (300, "6.5", "H", 50, 7),
        (300, "1.0", "H", 50, 1),
        (2000, "1.5", "K", 125, 5),
        (5, "2.5", "D", 5, 0),  # the sample is the whole lot
    ],
)
def test_known_plans(lot: int, aql: str, letter: str, n: int, ac: int) -> None:
    plan = plan_for(lot, aql)
    assert (plan.code_letter, plan.sample_size, plan.accept, plan.reject) == (letter, n, ac, ac + 1)


def test_every_policy_aql_has_plans() -> None:
    for aql in SUPPORTED_AQL:
        assert plan_for(500, aql).sample_size > 0
    with pytest.raises(ValueError):
        plan_for(500, "3.0")


@given(st.integers(1, 10**7), st.integers(1, 10**7), st.sampled_from(SUPPORTED_AQL))
def test_a_bigger_lot_never_gets_a_smaller_sample_or_a_stricter_plan(
    a: int, b: int, aql: str
) -> None:
    small, big = plan_for(min(a, b), aql), plan_for(max(a, b), aql)
    assert small.sample_size <= big.sample_size and small.accept <= big.accept
    assert small.sample_size <= min(a, b)


def test_part_units_count_as_one() -> None:
    assert lot_units(Decimal("0.5")) == 1 and lot_units(Decimal("12.01")) == 13


@pytest.mark.parametrize(
    ("lot", "level", "aql", "letter", "n", "ac"),
    [
        (300, "I", "2.5", "F", 20, 1),
        (300, "III", "2.5", "J", 80, 5),
        (300, "S-3", "2.5", "D", 8, 0),
        (1000, "S-4", "2.5", "F", 20, 1),
        (5000, "S-1", "2.5", "D", 8, 0),  # C lies above AQL 2.5's first plan: down to D
        (600000, "III", "0.65", "R", 2000, 21),  # level III reaches letter R
        (600000, "III", "2.5", "N", 500, 21),  # past AQL 2.5's last plan: back up to N
        (12, "III", "6.5", "B", 3, 0),  # C is an arrow cell at AQL 6.5: up to B
    ],
)
def test_known_plans_at_other_levels(
    lot: int, level: str, aql: str, letter: str, n: int, ac: int
) -> None:
    plan = plan_for(lot, aql, level)
    assert (plan.code_letter, plan.sample_size, plan.accept) == (letter, n, ac)


@given(st.integers(1, 10**7))
def test_levels_run_from_the_least_to_the_most_discriminating(lot: int) -> None:
    letters = [code_letter(lot, level) for level in LEVELS]
    assert letters == sorted(letters, key="ABCDEFGHJKLMNPQR".index)


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="inspection level"):
        plan_for(500, "2.5", "IV")
