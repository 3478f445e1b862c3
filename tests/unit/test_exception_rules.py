"""Exception slips: routing to owners by policy, who may decide, remedies, KPI counts."""

from __future__ import annotations

from decimal import Decimal

from orderflow.exception_slips.flow import (
    CANCELLED,
    CLOSED,
    DEFAULT_ROUTE,
    OPEN,
    count_by_class,
    count_by_kind,
    may_decide,
    owner_roles,
    remedy_problem,
)
from orderflow.policy import load_policy

POLICY = load_policy()


def test_a_late_supplier_is_the_procurement_heads_to_decide() -> None:
    assert owner_roles(POLICY, "supplier_late", []) == (["procurement_manager"], [])


def test_quality_routes_give_their_owners() -> None:
    roles, routes = owner_roles(POLICY, "quality", ["batch_heads", "internal_rework"])
    assert set(roles) == {"quality_manager", "procurement_manager", "production"}
    assert routes == ["batch_heads", "internal_rework"]


def test_a_kind_no_rule_knows_takes_the_default_route() -> None:
    assert owner_roles(POLICY, "data_error", []) == (["order_manager"], [DEFAULT_ROUTE])


def test_owners_and_heads_decide_others_do_not() -> None:
    assert may_decide({"procurement"}, ["procurement"])
    assert may_decide({"general_manager"}, ["procurement"])
    assert not may_decide({"warehouse"}, ["procurement"])


def test_remedies_come_from_the_policy() -> None:
    assert remedy_problem(POLICY, "supplier_late", "expedite") is None
    assert remedy_problem(POLICY, "supplier_late", None)
    assert "borrow" in (remedy_problem(POLICY, "supplier_late", "pray") or "")
    assert remedy_problem(POLICY, "data_error", None) is None  # free text


def test_counts_by_kind_and_by_class() -> None:
    rows = [
        ("quality", OPEN, None, Decimal(0)),
        ("quality", CLOSED, "supplier", Decimal("120.50")),
        ("supplier_late", CLOSED, "supplier", Decimal(0)),
        ("supplier_late", CANCELLED, "internal", Decimal(99)),
        ("data_error", OPEN, None, Decimal(0)),
    ]
    counts = count_by_kind(rows)
    by = {c.kind: c for c in counts}
    assert [c.kind for c in counts] == ["data_error", "quality", "supplier_late"]
    assert (by["quality"].raised, by["quality"].open, by["quality"].closed) == (2, 1, 1)
    assert by["quality"].cost == Decimal("120.50") and by["quality"].by_liability == {"supplier": 1}
    assert by["supplier_late"].cost == 0 and by["supplier_late"].cancelled == 1
    assert count_by_class(POLICY, counts) == {
        "quality": 2,
        "quantity": 0,
        "delivery": 1,
        "other": 1,
    }
