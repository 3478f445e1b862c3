"""Policy for procurement and quality: deadlines counted back from a date, and bad keys named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from orderflow.core.tasks import anchored_due
from orderflow.policy import PolicyError, load_policy
from orderflow.policy.loader import TaskRule

POLICY = load_policy()
CAL = POLICY.business_calendar


@dataclass
class Doc:
    due_date: date | None


def rule(due: str) -> TaskRule:
    return TaskRule(
        kind="k",
        document="purchase_order",
        role="procurement",
        open_on=["approve"],
        anchor="due_date",
        due=due,
    )


NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai


def test_five_working_days_before_due_is_the_close_of_that_day() -> None:
    # Due Tuesday 2026-12-08: five working days before is Tuesday 12-01, close 17:30.
    due = anchored_due(rule("5wd"), Doc(date(2026, 12, 8)), NOW, CAL)
    assert due.astimezone(POLICY.zone).isoformat() == "2026-12-01T17:30:00+08:00"


def test_on_the_due_day_and_around_weekends_and_holidays() -> None:
    assert (
        anchored_due(rule("0wd"), Doc(date(2026, 12, 8)), NOW, CAL).astimezone(POLICY.zone).day == 8
    )
    # Due on a Sunday: "on the day" is the Friday before.
    sunday = anchored_due(rule("0wd"), Doc(date(2026, 12, 6)), NOW, CAL).astimezone(POLICY.zone)
    assert sunday.date() == date(2026, 12, 4)
    # Counting back across the National Day holiday never lands on a day off.
    back = anchored_due(rule("2wd"), Doc(date(2026, 10, 12)), datetime(2026, 9, 1, tzinfo=UTC), CAL)
    assert CAL.is_working_day(back.astimezone(POLICY.zone).date())


def test_a_deadline_already_past_is_due_at_once_and_no_anchor_means_now() -> None:
    assert anchored_due(rule("5wd"), Doc(date(2026, 11, 25)), NOW, CAL) == NOW
    assert anchored_due(rule("5wd"), Doc(None), NOW, CAL) == NOW


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            '[[tasks]]\nkind="x"\ndocument="purchase_order"\nrole="procurement"\nopen_on=["approve"]\nanchor="due_date"\ndue="2h"\n',
            "tasks[0].due",
        ),
        (
            '[[tasks]]\nkind="x"\ndocument="purchase_order"\nrole="procurement"\nopen_on=["approve"]\ndue="0wd"\n',
            "tasks[0].due",
        ),
        ('[quality]\naql = "3.3"\n', "quality.aql"),
        ('[quality]\nlevel = "IV"\n', "quality.level"),
        ('[quality]\nstage_levels = { final = "S-5" }\n', "quality.stage_levels"),
        ('[quality]\nstage_levels = { packing = "II" }\n', "quality.stage_levels"),
        ('[quality]\nserious_defects = ["bad_luck"]\n', "quality"),
        ('[procurement]\ntransfer_first = "maybe"\n', "procurement.transfer_first"),
        ("[exceptions]\nunknown = 1\n", "exceptions.unknown"),
    ],
)
def test_a_bad_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(write(tmp_path, text))
    assert f"policy key {key}" in str(caught.value)


def test_the_shipped_rules_carry_the_rulebooks_deadlines() -> None:
    by_kind = {r.kind: r for r in POLICY.tasks}
    assert (by_kind["confirm_supplier_date"].anchor, by_kind["confirm_supplier_date"].due) == (
        "due_date",
        "5wd",
    )
    assert by_kind["confirm_supplier_on_time"].due == "2wd"
    assert by_kind["confirm_supplier_shipment"].due == "0wd"
    assert by_kind["consent_reduction"].role == "planner"
    assert POLICY.exceptions.remedies["supplier_late"] == [
        "borrow",
        "expedite",
        "split",
        "cancel_rebuy",
        "change_vendor",
    ]
