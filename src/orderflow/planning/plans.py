"""Production plans and their achievement (E6, §计划 4.3).

Monthly, weekly and daily plans say how much of each production order should be
finished in the period; a rolling daily plan is made for three working days at a time
(三天为一周期，滚动制定日计划). Achievement is what was finished of what was planned:

    achievement = Σ min(finished, planned) / Σ planned      (per plan)

so over-production on one order does not hide a shortfall on another. Targets come from
the policy (daily 98 %, weekly 95 %, monthly 85 %).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

K = TypeVar("K")


class PlanKind(StrEnum):
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    DAILY = "daily"


def period_of(kind: PlanKind | str, day: date) -> tuple[date, date]:
    """The period (first day, last day) of ``kind`` that contains ``day``."""
    if kind == PlanKind.MONTHLY:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    if kind == PlanKind.WEEKLY:
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    if kind == PlanKind.DAILY:
        return day, day
    raise ValueError(f"unknown plan kind {kind!r}")


def rolling_days(today: date, is_working_day: Callable[[date], bool], n: int = 3) -> list[date]:
    """The next ``n`` working days, today first if it is one."""
    out: list[date] = []
    day = today
    while len(out) < n:
        if is_working_day(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def achievement(planned: Mapping[K, Decimal], finished: Mapping[K, Decimal]) -> Decimal | None:
    """Share of the plan achieved, 0..1 (None when nothing was planned)."""
    total = sum((q for q in planned.values() if q > 0), Decimal(0))
    if total <= 0:
        return None
    done = sum(
        (
            min(max(finished.get(key, Decimal(0)), Decimal(0)), qty)
            for key, qty in planned.items()
            if qty > 0
        ),
        Decimal(0),
    )
    return (done / total).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Verdict:
    achievement: Decimal | None
    target: Decimal
    met: bool | None


def judge(achieved: Decimal | None, target: Decimal) -> Verdict:
    return Verdict(achieved, target, None if achieved is None else achieved >= target)
