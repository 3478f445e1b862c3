"""Every message exists in both languages, and formats follow each locale's conventions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from importlib import resources

import pytest

from orderflow import i18n


def test_both_catalogs_hold_the_same_keys_and_no_empty_text() -> None:
    zh, en = i18n.catalog("zh-CN"), i18n.catalog("en")
    assert set(zh) == set(en)
    assert not [k for k, v in {**zh, **en}.items() if not v.strip()]


def test_each_area_file_has_its_twin() -> None:
    names = {
        f.name for f in resources.files("orderflow.locales").iterdir() if f.name.endswith(".toml")
    }
    for name in names:
        twin = (
            name.replace("zh-CN", "en")
            if "zh-CN" in name
            else name.replace("en.toml", "zh-CN.toml")
        )
        assert twin in names, f"{name} has no {twin}"


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("zh-CN,zh;q=0.9", "zh-CN"),
        ("en-US,en;q=0.8", "en"),
        ("fr-FR", "zh-CN"),
        (None, "zh-CN"),
        ("zh-TW", "zh-CN"),
    ],
)
def test_language_negotiation(header: str | None, locale: str) -> None:
    assert i18n.negotiate(header) == locale


def test_money_dates_and_times_follow_chinese_conventions() -> None:
    assert i18n.money(Decimal("1234.5"), "CNY", "zh-CN") == "¥1,234.50"
    assert i18n.money(Decimal("1234.5"), "CNY", "en") == "CN¥1,234.50"
    assert i18n.day(date(2026, 9, 30), "zh-CN") == "2026-09-30"
    assert (
        i18n.when(datetime(2026, 9, 30, 8, 0, tzinfo=UTC), "Asia/Shanghai", "zh-CN")
        == "2026-09-30 16:00"
    )


def test_messages_take_their_parameters() -> None:
    assert i18n.t("mail.order_shipped.subject", "en", number="SO-1") == "Order SO-1 has shipped"
    assert i18n.t("mail.order_shipped.subject", "zh-CN", number="SO-1") == "订单 SO-1 已发货"
    assert i18n.t("no.such.key", "en") == "no.such.key"
