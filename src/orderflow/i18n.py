"""Messages in zh-CN and English, from one catalog file per locale.

Keys are stable ids (``order.state.confirmed``); a test checks both catalogs hold the same
keys, so no page or message exists in only one language. Numbers, money and dates are
formatted by Babel with each locale's conventions.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal

LOCALES = ("zh-CN", "en")
_BABEL = {"zh-CN": "zh_Hans_CN", "en": "en_US"}


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def catalog(locale: str) -> dict[str, str]:
    """``locales/<locale>.toml`` plus every area's ``locales/<area>.<locale>.toml``."""
    out: dict[str, str] = {}
    folder = resources.files("orderflow.locales")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(f"{locale}.toml"))
    for name in names:
        if name == f"{locale}.toml" or name.endswith(f".{locale}.toml"):
            _flatten("", tomllib.loads(folder.joinpath(name).read_text(encoding="utf-8")), out)
    return out


def negotiate(value: str | None, default: str = "zh-CN") -> str:
    """Pick a supported locale from a cookie value or an Accept-Language header."""
    if not value:
        return default
    for part in value.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return default


def t(key: str, locale: str = "zh-CN", **params: Any) -> str:
    """The message for ``key``; an unknown key shows itself, so a gap is visible, not fatal."""
    text = catalog(locale if locale in LOCALES else "zh-CN").get(key, key)
    return text.format(**params) if params else text


def money(amount: Decimal | None, currency: str = "CNY", locale: str = "zh-CN") -> str:
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=_BABEL[locale])


def number(value: Decimal | int | None, locale: str = "zh-CN") -> str:
    return "" if value is None else format_decimal(value, locale=_BABEL[locale])


def when(moment: datetime | None, zone: str = "Asia/Shanghai", locale: str = "zh-CN") -> str:
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(zone))
    # Chinese convention: 2026-09-30 16:00, 24-hour clock.
    return (
        local.strftime("%Y-%m-%d %H:%M")
        if locale == "zh-CN"
        else format_datetime(local, "yyyy-MM-dd HH:mm", locale=_BABEL[locale])
    )


def day(value: date | None, locale: str = "zh-CN") -> str:
    return "" if value is None else format_date(value, "yyyy-MM-dd", locale=_BABEL[locale])
