"""The business calendar: working hours, weekends, Chinese statutory holidays and make-up
working days (调休), and the arithmetic every "within N working hours / days" rule needs.

Holidays come from the maintained ``chinesecalendar`` library. For a year it does not cover
yet (the State Council publishes each schedule late in the year before), the policy can
supply the published schedule; otherwise the calendar falls back to plain weekends and
warns once per year.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from orderflow.core.durations import WorkDuration


class CalendarCoverageWarning(UserWarning):
    """A year the holiday data does not cover: weekends only until the policy supplies it."""


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


class BusinessCalendar:
    def __init__(
        self,
        *,
        timezone: str = "Asia/Shanghai",
        work_periods: Sequence[tuple[time, time]] = (
            (time(8, 30), time(12, 0)),
            (time(13, 30), time(17, 30)),
        ),
        weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        published_years: Iterable[int] = (),
    ) -> None:
        self.zone = ZoneInfo(timezone)
        self.periods = [(_minutes(a), _minutes(b)) for a, b in work_periods]
        self.day_minutes = sum(b - a for a, b in self.periods)
        self.weekdays = frozenset(weekdays)
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self.published_years = frozenset(published_years)
        self._cache: dict[date, bool] = {}
        self._warned: set[int] = set()

    # --- which days work -------------------------------------------------------------

    def covered(self, year: int) -> bool:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: date) -> bool:
        known = self._cache.get(day)
        if known is None:
            known = self._cache[day] = self._working(day)
        return known

    def _working(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if day.year not in self.published_years:
            try:
                on_holiday, name = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError:
                self._warn(day.year)
            else:
                if day.weekday() in self.weekdays:
                    return not (on_holiday and name is not None)  # a statutory holiday
                # A weekend day the State Council made a working day (调休).
                return day.weekday() >= 5 and not on_holiday
        return day.weekday() in self.weekdays

    def _warn(self, year: int) -> None:
        if year not in self._warned:
            self._warned.add(year)
            warnings.warn(
                f"no Chinese holiday data for {year}: counting weekends only; add the published "
                f"schedule under [calendar.published.{year}] in the policy",
                CalendarCoverageWarning,
                stacklevel=4,
            )

    def coverage_warnings(self, years: Iterable[int]) -> list[str]:
        return [
            f"{y}: no holiday data; weekends only until [calendar.published.{y}] is in the policy"
            for y in sorted(set(years))
            if y not in self.published_years and not self.covered(y)
        ]

    def close_of_working_day(self, day: date, before: int = 0) -> datetime:
        """The end of the working day ``before`` working days ahead of ``day`` (0: of
        ``day`` itself, or of the last working day before it if ``day`` is not one)."""
        if before:
            day = self.working_days_before(day, before)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return self._at(day, self.periods[-1][1])

    def working_days_before(self, day: date, n: int) -> date:
        while n > 0:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    # --- arithmetic -------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("a business-calendar time needs its UTC offset (naive datetime given)")
        return moment.astimezone(self.zone)

    def _at(self, day: date, minute: int) -> datetime:
        return datetime.combine(day, time(minute // 60, minute % 60), self.zone)

    def next_working_start(self, moment: datetime) -> datetime:
        """``moment`` if it is inside working hours, else the start of the next period."""
        local = self._local(moment)
        day = local.date()
        minute = local.hour * 60 + local.minute + (local.second * 1e6 + local.microsecond) / 60e6
        while True:
            if self.is_working_day(day):
                for start, end in self.periods:
                    if minute < end:
                        return local if minute >= start else self._at(day, start)
            day, minute = day + timedelta(days=1), 0

    def due(self, start: datetime, duration: WorkDuration) -> datetime:
        """When ``duration`` of working time after ``start`` ends.

        Minutes count only inside working periods; a deadline that ends exactly at a
        period's end is that end (16:00 + 1.5h → 17:30, not next morning). Working days
        keep the clock time: Tuesday 10:00 + 1wd is the next working day at 10:00; a
        start outside working hours counts from the next working start.
        """
        local = self.next_working_start(start)
        if duration.days:
            day = local.date()
            for _ in range(duration.days):
                day += timedelta(days=1)
                while not self.is_working_day(day):
                    day += timedelta(days=1)
            return datetime.combine(day, local.timetz().replace(tzinfo=None), self.zone)
        left: float = duration.minutes
        day = local.date()
        cursor = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 60e6
        while True:
            if self.is_working_day(day):
                if cursor == 0 and left > self.day_minutes:
                    left -= self.day_minutes  # a whole working day at once
                else:
                    for start_m, end_m in self.periods:
                        if cursor >= end_m:
                            continue
                        begin = max(cursor, start_m)
                        if left <= end_m - begin:
                            moment = datetime.combine(day, time(0), self.zone) + timedelta(
                                minutes=begin + left
                            )
                            return moment
                        left -= end_m - begin
                        cursor = end_m
            day, cursor = day + timedelta(days=1), 0

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes from start to end; negative when end is earlier (time overdue)."""
        a, b = self._local(start), self._local(end)
        if b < a:
            return -self.working_minutes_between(end, start)
        total = 0.0
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                lo = a.hour * 60 + a.minute + a.second / 60 if day == a.date() else 0
                hi = b.hour * 60 + b.minute + b.second / 60 if day == b.date() else 24 * 60
                for s, e in self.periods:
                    total += max(0.0, min(e, hi) - max(s, lo))
            day += timedelta(days=1)
        return int(total)
