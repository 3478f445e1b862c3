"""J2, rule by rule: where an inspector's finding goes, and when a lot passes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from orderflow.policy import load_policy
from orderflow.quality.flow import (
    BATCH_HEADS,
    DESIGN,
    INTERNAL_REWORK,
    OTHER_COMPANY,
    PURCHASED_MATERIAL,
    Finding,
    judge,
    pass_rate,
    route,
)

POLICY = load_policy()
SERIOUS = POLICY.quality.serious_defects
THRESHOLD = POLICY.thresholds.batch_pass_rate


def routed(*findings: Finding, stage: str = "in_process", rate: str = "1") -> list[str]:
    return route(
        findings,
        stage=stage,
        batch_pass_rate=Decimal(rate),
        threshold=THRESHOLD,
        serious_defects=SERIOUS,
    )


def f(category: str | None = None, defect: str = "dimension", severity: str = "major") -> Finding:
    return Finding(category=category, defect=defect, severity=severity)  # type: ignore[arg-type]


def test_internal_reworkable_goes_to_the_operator() -> None:
    assert routed(f("internal")) == [INTERNAL_REWORK]


def test_another_companys_work_goes_to_the_department_head() -> None:
    assert routed(f("other_company")) == [OTHER_COMPANY]


def test_purchased_material_goes_to_the_buyer() -> None:
    assert routed(f("purchased"), stage="incoming", rate="0.98") == [PURCHASED_MATERIAL]


@pytest.mark.parametrize(("rate", "heads"), [("0.95", False), ("0.9499", True), ("0.5", True)])
def test_a_batch_pass_rate_under_95_percent_goes_to_both_heads(rate: str, heads: bool) -> None:
    assert routed(f("purchased"), stage="incoming", rate=rate) == (
        [BATCH_HEADS] if heads else [PURCHASED_MATERIAL]
    )


@pytest.mark.parametrize(
    "defect", ["spec_mismatch", "missing_parts", "appearance", "quantity_mismatch"]
)
def test_a_serious_problem_goes_to_both_heads_whatever_the_rate(defect: str) -> None:
    assert routed(f("purchased", defect=defect), stage="incoming", rate="1") == [BATCH_HEADS]


def test_a_critical_purchased_defect_is_serious_too() -> None:
    assert routed(f("purchased", severity="critical"), stage="incoming") == [BATCH_HEADS]


@pytest.mark.parametrize("category", ["design", "undetermined"])
def test_design_or_undetermined_goes_to_the_head_then_the_gm(category: str) -> None:
    assert routed(f(category)) == [DESIGN]
    rule = next(r for r in POLICY.tasks if r.open_on == ["route:design"])
    assert (rule.role, rule.due) == ("quality_manager", "30min")
    assert POLICY.escalation.chains[rule.chain or ""] == ["general_manager"]


def test_each_route_has_its_deadline_in_the_policy() -> None:
    deadlines = {
        tuple(r.open_on): (r.role, r.due) for r in POLICY.tasks if r.document == "exception_slip"
    }
    assert deadlines[("route:internal_rework",)] == ("production", "20min")
    assert deadlines[("route:other_company",)] == ("quality_manager", "30min")
    assert deadlines[("route:purchased_material",)] == ("procurement", "20min")
    heads = {r.role for r in POLICY.tasks if r.open_on == ["route:batch_heads"]}
    assert heads == {"quality_manager", "procurement_manager"}


def test_the_stage_decides_where_an_unnamed_finding_comes_from() -> None:
    assert routed(f(), stage="incoming", rate="0.99") == [PURCHASED_MATERIAL]
    assert routed(f(), stage="final") == [INTERNAL_REWORK]


def test_several_findings_route_once_each_and_heads_absorb_the_buyer() -> None:
    found = routed(
        f("purchased"),
        f("purchased", defect="missing_parts"),
        f("internal"),
        f("internal"),
        stage="incoming",
    )
    assert found == [BATCH_HEADS, INTERNAL_REWORK]


def test_a_lot_passes_within_the_plan_and_fails_beyond_it() -> None:
    assert judge(inspected=50, defective=3, accept_number=3, findings=[f()]).passed
    failed = judge(inspected=50, defective=4, accept_number=3, findings=[f()])
    assert not failed.passed and failed.pass_rate == Decimal("0.9200")


def test_a_critical_defect_or_an_unmet_customer_standard_fails_the_lot() -> None:
    assert not judge(
        inspected=50, defective=1, accept_number=3, findings=[f(severity="critical")]
    ).passed
    verdict = judge(
        inspected=8, defective=0, accept_number=0, findings=[], standards_met=[True, False]
    )
    assert not verdict.passed and "customer standard" in verdict.because[0]


def test_pass_rate_is_good_units_over_inspected() -> None:
    assert pass_rate(20, 1) == Decimal("0.9500") and pass_rate(3, 1) == Decimal("0.6667")
