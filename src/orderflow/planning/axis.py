"""A work centre's working time as a straight line of working minutes.

Scheduling needs two conversions, thousands of times a second: a moment on the clock to
"how many working minutes of this work centre have passed", and back. A work centre works
the same periods (its shifts) on every open day, and is closed on the business calendar's
holidays and weekends (make-up working days open) and on its own closed days. So working
minute ``w`` falls on the ``w // day_minutes``-th open day, at offset ``w % day_minutes``
into that day's periods: both conversions are a division and a short loop.

Clock time is counted in whole minutes from local midnight of the plan's first day (the
*origin*), so the whole plan is integer arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY = 1440


class WorkAxis:
    def __init__(
        self,
        origin: date,
        periods: Sequence[tuple[int, int]],
        is_open: Callable[[date], bool],
    ) -> None:
        """``periods``: (start, end) minutes after midnight, in order, not overlapping."""
        if not periods:
            raise ValueError("a work centre needs at least one working period")
        self.origin = origin
        self.periods = tuple(periods)
        self.day_minutes = sum(end - start for start, end in self.periods)
        # (start, end, offset of the start within the day's working minutes) per period.
        acc, triples = 0, []
        for start, end in self.periods:
            triples.append((start, end, acc))
            acc += end - start
        self._triples = tuple(triples)
        self._is_open = is_open
        #: Day indexes (from origin) of the open days, in order, as far as computed.
        self.open_days: list[int] = []
        #: Per day index computed so far: how many open days came before it, and whether
        #: it is open itself.
        self._open_before: list[int] = []
        self._open: list[bool] = []

    # --- the open days, computed as far as needed ---------------------------------------

    def _extend_to_day(self, day_index: int) -> None:
        origin, is_open = self.origin, self._is_open
        while len(self._open_before) <= day_index:
            i = len(self._open_before)
            self._open_before.append(len(self.open_days))
            flag = is_open(origin + timedelta(days=i))
            self._open.append(flag)
            if flag:
                self.open_days.append(i)

    def _extend_to_open(self, k: int) -> None:
        guard = 0
        while len(self.open_days) <= k:
            self._extend_to_day(len(self._open_before) + 6)
            guard += 1
            if guard > 12 * 50:
                raise ValueError("no open day within 50 years: is every day closed?")

    def is_open_day(self, day_index: int) -> bool:
        if day_index >= len(self._open):
            self._extend_to_day(day_index)
        return self._open[day_index]

    # --- conversions (hot: kept to plain integer arithmetic) -----------------------------

    def to_work(self, minute: int) -> int:
        """Working minutes elapsed before clock minute ``minute`` (a moment outside working
        time counts as the start of the next working period)."""
        if minute < 0:
            minute = 0
        day, in_day = divmod(minute, DAY)
        if day >= len(self._open):
            self._extend_to_day(day)
        base = self._open_before[day] * self.day_minutes
        if not self._open[day]:
            return base
        for start, end, offset in self._triples:
            if in_day < end:
                return base + offset + (in_day - start if in_day > start else 0)
        return base + self.day_minutes

    def start_at(self, work: int) -> int:
        """The clock minute at which working minute ``work`` begins (a start time)."""
        k, rest = divmod(work, self.day_minutes)
        if k >= len(self.open_days):
            self._extend_to_open(k)
        day = self.open_days[k]
        for start, end, offset in self._triples:
            if rest < offset + end - start:
                return day * DAY + start + rest - offset
        raise AssertionError("unreachable: rest < day_minutes")

    def end_at(self, work: int) -> int:
        """The clock minute at which working minute ``work`` is reached (an end time): the
        end of a period rather than the start of the next one."""
        if work <= 0:
            return self.start_at(0)
        k, rest = divmod(work - 1, self.day_minutes)
        if k >= len(self.open_days):
            self._extend_to_open(k)
        day = self.open_days[k]
        for start, end, offset in self._triples:
            if rest < offset + end - start:
                return day * DAY + start + rest - offset + 1
        raise AssertionError("unreachable: rest < day_minutes")

    def day_of_work(self, work: int) -> int:
        """The day index on which working minute ``work`` (a start) falls."""
        k = work // self.day_minutes
        if k >= len(self.open_days):
            self._extend_to_open(k)
        return self.open_days[k]

    def add(self, minute: int, work: int) -> tuple[int, int]:
        """(start, end) clock minutes of ``work`` working minutes begun at ``minute``."""
        w = self.to_work(minute)
        return self.start_at(w), self.end_at(w + work)

    def open_days_before(self, day_index: int) -> int:
        if day_index >= len(self._open):
            self._extend_to_day(day_index)
        return self._open_before[day_index]


def minute_of(moment: datetime, origin: date, zone: ZoneInfo) -> int:
    """Clock minutes from the origin's local midnight to ``moment`` (rounded up)."""
    local = moment.astimezone(zone)
    start = datetime.combine(origin, time(0), zone)
    seconds = (local.replace(tzinfo=None) - start.replace(tzinfo=None)).total_seconds()
    return int(-(-seconds // 60))


def moment_of(minute: int, origin: date, zone: ZoneInfo) -> datetime:
    """The aware local time ``minute`` clock minutes after the origin's local midnight."""
    day, in_day = divmod(minute, DAY)
    return datetime.combine(origin + timedelta(days=day), time(0), zone) + timedelta(minutes=in_day)


def day_of(minute: int, origin: date) -> date:
    """The local date of clock minute ``minute``; an end at midnight belongs to the day before."""
    return origin + timedelta(days=max(0, minute - 1) // DAY)


def periods_from(texts: Sequence[str]) -> list[tuple[int, int]]:
    """'08:30-12:00' → (510, 720); validated like the policy's working periods."""
    out: list[tuple[int, int]] = []
    for text in texts:
        try:
            a, b = (time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a period like '08:30-12:00'") from exc
        start, end = a.hour * 60 + a.minute, b.hour * 60 + b.minute
        if end <= start:
            raise ValueError(f"{text!r} ends before it starts")
        if out and start < out[-1][1]:
            raise ValueError("periods must be in order and not overlap")
        out.append((start, end))
    return out
