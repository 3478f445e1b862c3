"""Working-time durations as the policy writes them: "30min", "2h", "1h30min", "5wd"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(wd|d|h|min|m)")
FORMS = "'30min', '20m', '2h', '1.5h', '1h30min', '5wd' or '1d' (working days)"


@dataclass(frozen=True)
class WorkDuration:
    """Working minutes (counted on working hours) or whole working days; never both."""

    minutes: int = 0
    days: int = 0


def parse_duration(text: str) -> WorkDuration:
    raw = text.strip().lower().replace(" ", "")
    if not raw:
        raise ValueError(f"{text!r} is not a duration; use {FORMS}")
    pos, minutes, days = 0, Decimal(0), 0
    for match in _PART.finditer(raw):
        if match.start() != pos:
            break
        pos = match.end()
        try:
            value = Decimal(match.group(1))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
            raise ValueError(f"{text!r} is not a duration; use {FORMS}") from exc
        unit = match.group(2)
        if unit in ("wd", "d"):
            if value != value.to_integral_value():
                raise ValueError(f"{text!r}: working days must be whole")
            days += int(value)
        else:
            minutes += value * 60 if unit == "h" else value
    if pos != len(raw):
        raise ValueError(f"{text!r} is not a duration; use {FORMS}")
    if days and minutes:
        raise ValueError(f"{text!r}: give working days or hours/minutes, not both")
    if minutes != minutes.to_integral_value():
        raise ValueError(f"{text!r}: durations are counted in whole minutes")
    if days <= 0 and minutes <= 0:
        raise ValueError(f"{text!r}: a duration must be positive")
    return WorkDuration(minutes=int(minutes), days=days)


def format_duration(duration: WorkDuration) -> str:
    if duration.days:
        return f"{duration.days}wd"
    hours, minutes = divmod(duration.minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}min" if minutes else "")
