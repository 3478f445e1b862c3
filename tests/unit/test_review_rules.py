"""Classification (C1), routing (C2), the review gate on confirmation, and approval rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from orderflow.core.errors import FieldError, PermissionDenied, ReviewRequired, ValidationFailed
from orderflow.policy import load_policy
from orderflow.review import classify as c
from orderflow.review.flow import (
    APPROVED,
    OBJECTED,
    PENDING,
    OpinionFacts,
    all_agreed,
    approval_blockers,
    latest_feasible,
    open_date_objections,
    pick_role,
)
from orderflow.sales.assignment import Candidate, pick_handler
from orderflow.sales.flow import ConfirmFields, review_gate

POLICY = load_policy()
CAL = POLICY.business_calendar
TUESDAY = date(2026, 11, 24)


def facts(**overrides: Any) -> c.OrderFacts:
    base: dict[str, Any] = {
        "lines": (c.LineFacts("P1", Decimal(2), lead_time_days=10, available=Decimal(100)),),
        "today": TUESDAY,
        "requested_date": date(2026, 12, 8),
        "priority": "normal",
        "total": Decimal("450.50"),
    }
    base.update(overrides)
    return c.OrderFacts(**base)


def classify(**overrides: Any) -> c.Classification:
    return c.classify(
        facts(**overrides),
        rules=POLICY.classification,
        meeting_amount=POLICY.thresholds.review_meeting_amount,
        calendar=CAL,
    )


def test_an_ordinary_order_in_stock_is_regular_and_general_with_no_reasons() -> None:
    result = classify()
    assert (result.regularity, result.category, result.rush, result.meeting) == (
        "regular",
        "general",
        False,
        False,
    )
    assert result.reasons == ()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"custom_design": True}, "custom_design"),
        (
            {"lines": (c.LineFacts("OLD", Decimal(1), 0, active=False, available=Decimal(5)),)},
            "discontinued_product",
        ),
        ({"quality_requirements": "盐雾试验 500 h"}, "quality_beyond_standard"),
        (
            {
                "lines": (c.LineFacts("KG", Decimal(1), 20, available=Decimal(0)),),
                "late_penalty": True,
            },
            "tight_date_with_penalty",
        ),
    ],
)
def test_each_non_regular_rule_gives_its_reason(overrides: dict[str, Any], reason: str) -> None:
    result = classify(**overrides)
    assert result.regularity == "non_regular"
    assert reason in result.reasons


def test_special_orders_are_export_or_urgent_with_a_penalty() -> None:
    assert classify(customer_region="Export").category == "special"
    assert classify(priority="urgent", late_penalty=True).reasons == ("urgent_with_penalty",)
    assert classify(priority="urgent").category == "general"  # urgent alone is not special


def test_a_date_shorter_than_the_lead_time_of_missing_stock_is_a_rush() -> None:
    short = (c.LineFacts("KG", Decimal(3), 20, available=Decimal(1)),)
    result = classify(lines=short, requested_date=date(2026, 12, 1))
    assert result.rush and "rush" in result.reasons and result.regularity == "regular"
    # the same date is fine when stock covers the line
    assert not classify(requested_date=date(2026, 11, 25)).rush


def test_the_lead_time_counts_working_days_across_a_weekend() -> None:
    lines = (c.LineFacts("KG", Decimal(1), 5, available=None),)
    assert c.ready_date(lines, TUESDAY, CAL) == date(2026, 12, 1)  # Tue + 5 wd = next Tue


def test_above_the_threshold_a_meeting_is_needed() -> None:
    result = classify(total=Decimal("500000.01"))
    assert result.meeting and "over_meeting_threshold" in result.reasons
    assert not classify(total=Decimal("500000")).meeting


@pytest.mark.parametrize(
    ("kwargs", "mode", "state"),
    [
        ({}, "when_short", c.IF_SHORT),
        ({}, "automatic", c.NOT_REQUIRED),
        ({}, "always", c.REQUIRED),
        ({"regularity": "non_regular"}, "automatic", c.REQUIRED),
        ({"project": True}, "automatic", c.REQUIRED),
        ({"rush": True}, "automatic", c.REQUIRED),
        ({"meeting": True}, "automatic", c.REQUIRED),
    ],
)
def test_which_orders_must_be_reviewed(kwargs: dict[str, Any], mode: str, state: str) -> None:
    args: dict[str, Any] = {"regularity": "regular", "project": False, "rush": False}
    args.update(kwargs)
    assert (
        c.review_state_for(meeting=args.pop("meeting", False), regular_orders=mode, **args) == state
    )


def test_routing_follows_the_policy() -> None:
    routing = POLICY.review.routing
    assert c.routing_for(regularity="regular", project=False, routing=routing) == [
        "sales_clerk",
        "production",
        "materials_control",
    ]
    assert (
        c.routing_for(regularity="non_regular", project=False, routing=routing)[-1] == "technical"
    )
    assert c.routing_for(regularity="regular", project=True, routing=routing) == [
        "sales_clerk",
        "production",
        "materials_control",
        "finance",
        "technical",
    ]


def test_confirmation_waits_for_the_review() -> None:
    def order(state: str) -> Any:
        return SimpleNamespace(number="SO-1", review_state=state)

    review_gate(order(c.NOT_REQUIRED), ConfirmFields())
    review_gate(order(c.PASSED), ConfirmFields(on_shortage="wait"))
    review_gate(order(c.IF_SHORT), ConfirmFields(on_shortage="split"))
    for state in (c.REQUIRED, c.IN_REVIEW, c.DECLINED):
        with pytest.raises(ReviewRequired):
            review_gate(order(state), ConfirmFields())
    with pytest.raises(ReviewRequired, match="wait for stock"):
        review_gate(order(c.IF_SHORT), ConfirmFields(on_shortage="wait"))


def test_approval_needs_every_department_and_the_meeting() -> None:
    ops = [OpinionFacts("sales_clerk", APPROVED), OpinionFacts("production", PENDING)]
    assert approval_blockers(ops, meeting_needed=True, meeting_held=False) == [
        "production: no answer yet",
        "the review meeting (technical briefing) is not recorded yet",
    ]
    date_objection = OpinionFacts("production", OBJECTED, "delivery_date", date(2026, 12, 20))
    assert open_date_objections([date_objection])
    assert latest_feasible([date_objection, OpinionFacts("x", APPROVED)]) == date(2026, 12, 20)
    settled = OpinionFacts("production", OBJECTED, "delivery_date", date(2026, 12, 20), True)
    assert all_agreed([OpinionFacts("sales_clerk", APPROVED), settled])
    assert not all_agreed([OpinionFacts("sales_clerk", OBJECTED, "price")])
    assert approval_blockers([settled], meeting_needed=True, meeting_held=True) == []


def test_a_reviewer_signs_for_their_routed_department() -> None:
    routed = ["sales_clerk", "production", "materials_control"]
    assert pick_role(routed, {"production"}, None) == "production"
    with pytest.raises(PermissionDenied):
        pick_role(routed, {"finance"}, None)
    with pytest.raises(ValidationFailed) as caught:
        pick_role(routed, {"production", "materials_control"}, None)
    assert caught.value.errors == [
        FieldError(
            "role",
            "Say which department you sign for: ['production', 'materials_control']",
            "ambiguous_role",
        )
    ]
    assert pick_role(routed, {"production", "materials_control"}, "materials_control")


def test_assignment_picks_by_rule_then_by_workload() -> None:
    from orderflow.policy.loader import AssignmentPolicy, AssignmentRule

    people = {
        "li": Candidate(1, "li", 5),
        "wang": Candidate(2, "wang", 2),
        "export": Candidate(3, "export", 9),
    }
    policy = AssignmentPolicy(
        rules=[
            AssignmentRule(regions=["Export"], handlers=["export"]),
            AssignmentRule(products=["KG-*"], handlers=["li"]),
        ]
    )
    pick = pick_handler
    assert (
        pick(policy, product_codes=["VF-55"], region="Export", candidates=people)[0]
        == people["export"]
    )
    assert pick(policy, product_codes=["KG-200"], region="华东", candidates=people) == (
        people["li"],
        "rule 2",
    )
    assert pick(policy, product_codes=["VF-55"], region="华东", candidates=people) == (
        people["wang"],
        "workload",
    )
    assert pick(AssignmentPolicy(), product_codes=["X"], region=None, candidates={}) == (
        None,
        "no candidate",
    )
