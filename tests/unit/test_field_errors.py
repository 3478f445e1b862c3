"""A refusal reads in the page's language, with the limit or the detail the rule named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import orderflow
from orderflow.core.errors import FieldError
from orderflow.i18n import catalog
from orderflow.web.field_errors import field_messages, message


@pytest.mark.parametrize(
    ("error", "zh", "en"),
    [
        (
            FieldError("password", "String should have at least 10 characters", "string_too_short"),
            "至少 10 个字符",
            "At least 10 characters",
        ),
        (
            FieldError("name", "String should have at least 1 character", "string_too_short"),
            "必填",
            "Required",
        ),
        (
            FieldError(
                "prices[2].unit_price",
                "Input should be greater than or equal to 0",
                "greater_than_equal",
            ),
            "不能小于 0",
            "May not be less than 0",
        ),
        (
            FieldError(
                "contacts[0].email", "value is not a valid email address: no @", "value_error"
            ),
            "电子邮箱地址无效",
            "Not a valid e-mail address",
        ),
        (FieldError("code", "Already used", "duplicate"), "已被使用", "Already used"),
    ],
)
def test_a_refusal_in_both_languages(error: FieldError, zh: str, en: str) -> None:
    assert message(error, "zh-CN") == zh
    assert message(error, "en") == en


def test_an_unknown_code_keeps_the_services_words() -> None:
    error = FieldError("body", "Something new went wrong", "brand_new_code")
    assert message(error, "zh-CN") == "Something new went wrong"


def test_refusals_land_on_their_inputs_and_two_on_one_input_are_both_shown() -> None:
    errors = [
        FieldError("contacts[0].name", "Field required", "missing"),
        FieldError("code", "Already used", "duplicate"),
        FieldError("code", "String should match pattern", "string_pattern_mismatch"),
    ]
    shown = field_messages(errors, "en", {"contacts[0].name": "contact_name"})
    assert shown == {
        "contact_name": "Required",
        "code": "Already used; Letters, digits and . _ - only",
    }


def test_a_rule_of_the_service_keeps_its_detail_under_the_label() -> None:
    error = FieldError(
        "customer_id", "Credit limit exceeded: 300 ordered, 100 available", "credit_limit"
    )
    assert (
        message(error, "zh-CN") == "超出信用额度：Credit limit exceeded: 300 ordered, 100 available"
    )
    assert message(error, "en") == "Credit limit exceeded: 300 ordered, 100 available"


def test_every_refusal_code_the_services_use_reads_in_chinese() -> None:
    """A new rule with a new code must bring its words: scan the services for the codes
    they refuse with (the last argument of FieldError(...) / problems.add(...))."""
    source = Path(orderflow.__file__).parent
    call = re.compile(r"(?:\.add|FieldError)\(\s*(.*?)\)\s*(?:\n|\]|,)", re.S)
    codes = {
        found.group(1)
        for path in source.rglob("*.py")
        for args in call.findall(path.read_text(encoding="utf-8"))
        if "," in args and (found := re.search(r'"([a-z_]+)"\s*,?\s*$', args.strip()))
    }
    assert len(codes) > 50  # the scan itself still finds them
    chinese = catalog("zh-CN")
    missing = sorted(c for c in codes if f"field_error.{c}" not in chinese)
    assert missing == []
