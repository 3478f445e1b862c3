"""Pure production rules: the buffer before the due date (E1), the breakdown's proposal
(E2), progress never more than reached an operation and completion reconciled with the
reports (E13), finished goods put away after final inspection (J1, I2), cost lines through the BOM (D2), first-pass rate (E10), and the policy's
planning table validated with the key named."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from orderflow.core.errors import ValidationFailed
from orderflow.costing.flow import cost_lines, department_of
from orderflow.planning.bom import Component, Item, Source, Step
from orderflow.policy.loader import PolicyError, load_policy
from orderflow.production.flow import (
    OpState,
    PlanTimes,
    PutAway,
    ReportFields,
    check_completion,
    check_confirmed_date,
    check_report,
    latest_confirmable,
    propose_milestones,
    put_away,
)
from orderflow.samples.flow import first_pass_rate


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def test_the_confirmed_date_keeps_a_working_day_of_buffer() -> None:
    # Due Monday 2026-11-30: with one working day of buffer, Friday the 27th at the latest.
    latest = latest_confirmable(date(2026, 11, 30), 1, weekdays)
    assert latest == date(2026, 11, 27)
    check_confirmed_date(date(2026, 11, 26), latest, date(2026, 11, 24))
    with pytest.raises(ValidationFailed) as refused:
        check_confirmed_date(date(2026, 11, 30), latest, date(2026, 11, 24))
    assert refused.value.errors[0].code == "no_buffer"


def test_the_breakdown_takes_the_plan_where_it_has_it_and_counts_back_where_not() -> None:
    end = datetime(2026, 12, 10, 9, 30, tzinfo=UTC)

    def day_before(moment: datetime) -> datetime:
        return moment - timedelta(days=1)

    planned = PlanTimes(
        start=end - timedelta(days=5),
        finish=end - timedelta(days=2),
        sub_finish=end - timedelta(days=6),
        materials_ready=end - timedelta(days=7),
    )
    got = propose_milestones(
        planned,
        confirmed_end=end,
        needs_design=True,
        has_subassemblies=True,
        buys_material=True,
        day_before=day_before,
    )
    assert list(got) == [
        "design",
        "subcontracting",
        "purchasing",
        "assembly_start",
        "assembly_finish",
        "packing",
    ]
    assert got["assembly_finish"] == planned.finish and got["packing"] == end
    assert got["design"] == planned.start - timedelta(days=1)  # type: ignore[operator]
    unplanned = propose_milestones(
        PlanTimes(None, None, None, None),
        confirmed_end=end,
        needs_design=False,
        has_subassemblies=False,
        buys_material=False,
        day_before=day_before,
    )
    assert list(unplanned) == ["assembly_start", "assembly_finish", "packing"]
    assert unplanned["assembly_finish"] == end - timedelta(days=1)


def test_progress_never_more_than_reached_an_operation_and_output_matches_the_last() -> None:
    ops = [OpState(10, Decimal(8), Decimal(1)), OpState(20, Decimal(5), Decimal(0))]
    check_report(ops, Decimal(10), ReportFields(seq=10, good=Decimal(1)))
    check_report(ops, Decimal(10), ReportFields(seq=20, good=Decimal(3)))
    for fields in (
        ReportFields(seq=10, good=Decimal(2)),
        ReportFields(seq=20, good=Decimal(2), scrap=Decimal(2)),
    ):
        with pytest.raises(ValidationFailed) as refused:
            check_report(ops, Decimal(10), fields)
        assert refused.value.errors[0].code == "more_than_received"
    with pytest.raises(ValidationFailed):
        check_report(ops, Decimal(10), ReportFields(seq=30, good=Decimal(1)))
    check_completion(ops, Decimal(5))
    with pytest.raises(ValidationFailed) as refused:
        check_completion(ops, Decimal(8))
    assert refused.value.errors[0].field == "output_quantity"


def test_an_inspected_lot_leaves_qc_first_then_the_reworked_rejects() -> None:
    D = Decimal
    # First inspection of 4 waiting in QC: 3 pass into storage, 1 is set aside.
    assert put_away(waiting=D(4), held_rejected=D(0), accepted=D(3), rejected=D(1)) == PutAway(
        qc_to_main=D(3), qc_to_rej=D(1), rej_to_main=D(0)
    )
    # The reworked one inspected again passes: out of REJ, nothing left in QC to move.
    assert put_away(waiting=D(0), held_rejected=D(1), accepted=D(1), rejected=D(0)) == PutAway(
        D(0), D(0), D(1)
    )
    # Two reworked, one fails again: it simply stays in REJ.
    assert put_away(waiting=D(0), held_rejected=D(2), accepted=D(1), rejected=D(1)) == PutAway(
        D(0), D(0), D(1)
    )
    with pytest.raises(ValidationFailed) as refused:
        put_away(waiting=D(4), held_rejected=D(0), accepted=D(4), rejected=D(1))
    assert refused.value.errors[0].code == "over_inspected"


def test_cost_lines_through_every_level_with_overage() -> None:
    items = {
        1: Item(
            1,
            "FG",
            Source.MAKE,
            components=(Component(2, Decimal(1)), Component(3, Decimal("2.5"), Decimal("0.04"))),
            steps=(Step(10, 7, 30, Decimal(6)),),
            integral=True,
        ),
        2: Item(
            2,
            "SUB",
            Source.MAKE,
            components=(Component(3, Decimal(1), Decimal("0.1")),),
            steps=(Step(10, 8, 0, Decimal(3)),),
            integral=True,
        ),
        3: Item(3, "STEEL", Source.BUY),
    }
    lines = cost_lines(
        [(1, Decimal(10))],
        items,
        lambda pid, q: Decimal("4.00"),
        {7: Decimal(60), 8: Decimal(30)},
        {7: "PRESS", 8: "ASSY"},
    )
    material = {ln.description: (ln.quantity, ln.amount) for ln in lines if ln.kind == "material"}
    labour = {ln.description: (ln.quantity, ln.amount) for ln in lines if ln.kind == "labour"}
    assert material == {
        "FG → STEEL": (Decimal("26.0000"), Decimal("104.00")),
        "FG → SUB → STEEL": (Decimal("11.0000"), Decimal("44.00")),
    }
    assert labour == {
        "FG 10 @ PRESS": (Decimal(90), Decimal("90.00")),
        "FG → SUB 10 @ ASSY": (Decimal(30), Decimal("15.00")),
    }
    assert department_of(frozenset({"procurement"}), None) == "purchasing"
    assert department_of(frozenset({"planner"}), "sales") is None


def test_first_pass_rate() -> None:
    assert first_pass_rate([1, 1, 2, 3]) == Decimal("0.5")
    assert first_pass_rate([]) is None


def test_the_planning_policy_is_validated_with_its_key(tmp_path: Path) -> None:
    policy = load_policy()
    assert policy.planning.solver == "auto" and policy.planning.release_needs_cost_budget
    assert {r.kind for r in policy.rules_for("production_instruction")} >= {
        "break_down_instruction",
        "notify_packing",
        "milestone_packing",
    }
    bad = tmp_path / "company.toml"
    bad.write_text('[planning]\nsolver = "fastest"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="planning.solver"):
        load_policy(bad)
    bad.write_text(
        '[[tasks]]\nkind = "x"\ndocument = "production_order"\nrole = "production"\nopen_on = ["create"]\ndue = "@tomorrow"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="unknown due resolver '@tomorrow'"):
        load_policy(bad)
