"""The policy file: shipped defaults load; a bad key stops loading with the key named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from orderflow.core.durations import WorkDuration
from orderflow.policy import PolicyError, load_policy


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_carry_the_rulebooks_values() -> None:
    policy = load_policy()
    handle = next(rule for rule in policy.tasks if rule.kind == "handle_order")
    assert handle.due == {"normal": "24h", "special": "12h", "urgent": "2h"}
    assert policy.thresholds.review_meeting_amount == Decimal("500000")
    assert policy.thresholds.batch_pass_rate == Decimal("0.95")
    assert policy.deadline("change_answer") == WorkDuration(minutes=30)
    assert policy.deadline("supplier_confirm_before_due") == WorkDuration(days=5)
    assert policy.review.routing.non_regular == [
        "sales_clerk",
        "production",
        "materials_control",
        "technical",
    ]


def test_finished_goods_pass_final_inspection_unless_switched_off(tmp_path: Path) -> None:
    assert load_policy().quality.final_inspection_on_completion is True
    off = load_policy(write(tmp_path, "[quality]\nfinal_inspection_on_completion = false\n"))
    assert off.quality.final_inspection_on_completion is False
    assert off.quality.aql == "2.5"


def test_override_changes_only_the_given_keys(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, '[thresholds]\nreview_meeting_amount = "800000"\n'))
    assert policy.thresholds.review_meeting_amount == Decimal("800000")
    assert policy.thresholds.batch_pass_rate == Decimal("0.95")
    assert policy.calendar.timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[deadlines]\nchange_answer = "thirty minutes"\n', "deadlines.change_answer"),
        ('[calendar]\nwork_periods = ["08:30-12:00", "11:00-17:30"]\n', "calendar.work_periods"),
        ('[calendar]\ntimezone = "Mars/Olympus"\n', "calendar.timezone"),
        ('[thresholds]\nbatch_pass_rate = "high"\n', "thresholds.batch_pass_rate"),
        ("[thresholds]\nunknown_threshold = 3\n", "thresholds.unknown_threshold"),
        (
            '[quality]\nfinal_inspection_on_completion = "no"\n',
            "quality.final_inspection_on_completion",
        ),
        ('[escalation]\ninterval = "soon"\n', "escalation.interval"),
        (
            '[[tasks]]\nkind="x"\ndocument="sales_order"\nrole="finance"\nopen_on=["create"]\ndue={normal="1h"}\n',
            "tasks",
        ),
    ],
)
def test_a_bad_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(write(tmp_path, text))
    assert key in str(caught.value)


def test_a_task_rule_naming_an_unknown_chain_is_refused(tmp_path: Path) -> None:
    text = (
        '[[tasks]]\nkind="x"\ndocument="sales_order"\nrole="finance"\nopen_on=["create"]\n'
        'due="1h"\nchain="nobody"\n'
    )
    with pytest.raises(PolicyError, match="chain"):
        load_policy(write(tmp_path, text))


def test_a_task_rule_names_a_company_column_or_is_refused(tmp_path: Path) -> None:
    text = (
        '[[tasks]]\nkind="x"\ndocument="transfer_order"\nrole="warehouse"\n'
        'open_on=["ship"]\ndue="1wd"\ncompany="warehouse_id"\n'
    )
    with pytest.raises(PolicyError, match=r"tasks\[0\]\.company"):
        load_policy(write(tmp_path, text))


def test_every_task_rule_names_a_company_its_document_has() -> None:
    from orderflow.core.documents import DOCUMENT_TYPES
    from orderflow.models import metadata  # every document type registered

    assert metadata.tables
    for rule in load_policy().tasks:
        model = DOCUMENT_TYPES.get(rule.document)
        if model is not None:
            assert rule.company in model.__table__.columns, (rule.kind, rule.company)
    receipt = next(r for r in load_policy().tasks if r.kind == "receive_transfer")
    assert (receipt.company, receipt.open_on) == ("to_company_id", ["ship"])


def test_missing_and_malformed_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="does not exist"):
        load_policy(tmp_path / "nope.toml")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(write(tmp_path, "[thresholds\n"))


def test_a_task_may_name_a_deadline_and_follows_it(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, '[deadlines]\nproduction_instruction = "2h"\n'))
    rule = next(r for r in policy.tasks if r.kind == "production_instruction")
    assert (rule.due, rule.role, rule.open_on) == ("2h", "planner", ["order_effective"])
    assert "production_released" in rule.close_on


def test_every_routed_reviewer_needs_a_task_rule(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="review.routing.regular: .*'review:quality'"):
        load_policy(write(tmp_path, '[review.routing]\nregular = ["quality"]\n'))
    with pytest.raises(PolicyError, match="review.regular_orders"):
        load_policy(write(tmp_path, '[review]\nregular_orders = "sometimes"\n'))
    with pytest.raises(PolicyError, match="quotes.surcharges"):
        load_policy(write(tmp_path, '[quotes.surcharges]\nmagic = "0.1"\n'))


def test_every_department_told_of_a_design_error_needs_a_known_name_and_a_task(
    tmp_path: Path,
) -> None:
    with pytest.raises(PolicyError, match="changes.design_error_notify: unknown departments"):
        load_policy(write(tmp_path, '[changes]\ndesign_error_notify = ["canteen"]\n'))
    with pytest.raises(PolicyError, match="opens 'notify:logistics'"):
        load_policy(write(tmp_path, '[changes]\ndesign_error_notify = ["logistics"]\n'))
    assert load_policy().changes.design_error_notify == ["production", "quality", "procurement"]
