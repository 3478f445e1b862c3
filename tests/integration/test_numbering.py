"""Document numbers: unique per company, prefix and year; gapless where policy says so."""

from __future__ import annotations

import pytest

from orderflow.core.numbering import next_number
from orderflow.runtime import Runtime
from tests.factories import make_world


class Boom(Exception):
    pass


def _take_then_fail(rt: Runtime, company_id: int, prefix: str, *, gapless: bool) -> None:
    with pytest.raises(Boom), rt.db.transaction() as s:
        next_number(s, company_id=company_id, prefix=prefix, year=2026, gapless=gapless)
        raise Boom


def _take(rt: Runtime, company_id: int, prefix: str, *, gapless: bool) -> str:
    with rt.db.transaction() as s:
        return next_number(s, company_id=company_id, prefix=prefix, year=2026, gapless=gapless)


def test_a_gapless_number_comes_back_when_the_request_fails(rt: Runtime) -> None:
    world = make_world(rt)
    assert _take(rt, world.company_id, "INV", gapless=True) == "INV-2026-000001"
    _take_then_fail(rt, world.company_id, "INV", gapless=True)
    assert _take(rt, world.company_id, "INV", gapless=True) == "INV-2026-000002"


def test_other_numbers_are_taken_outside_the_request_on_postgresql(rt: Runtime) -> None:
    world = make_world(rt)
    assert _take(rt, world.company_id, "SO", gapless=False) == "SO-2026-000001"
    _take_then_fail(rt, world.company_id, "SO", gapless=False)
    # PostgreSQL committed the failed request's number on its own connection: a gap, and
    # no creator ever waited on the counter. SQLite (one writer) takes it in the request.
    expected = "SO-2026-000003" if rt.db.dialect == "postgresql" else "SO-2026-000002"
    assert _take(rt, world.company_id, "SO", gapless=False) == expected


def test_the_policy_names_the_gapless_prefixes(rt: Runtime) -> None:
    assert rt.policy.numbering.gapless == ["INV", "PAY"]
