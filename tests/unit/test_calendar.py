"""Working-time arithmetic on the Chinese business calendar."""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderflow.core.calendar import BusinessCalendar, CalendarCoverageWarning
from orderflow.core.durations import WorkDuration, parse_duration

CAL = BusinessCalendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def due(start: str, duration: str, cal: BusinessCalendar = CAL) -> str:
    return cal.due(at(start), parse_duration(duration)).isoformat(timespec="minutes")


def test_within_a_morning() -> None:
    assert due("2026-11-24T09:00+08:00", "2h") == "2026-11-24T11:00+08:00"


def test_the_lunch_break_does_not_count() -> None:
    assert due("2026-11-24T11:00+08:00", "2h") == "2026-11-24T14:30+08:00"


def test_ending_exactly_at_the_end_of_the_day_is_that_evening() -> None:
    assert due("2026-11-24T16:00+08:00", "1.5h") == "2026-11-24T17:30+08:00"


def test_across_a_weekend() -> None:
    # Friday 16:00 + 2h: 1.5h on Friday, the rest on Monday morning.
    assert due("2026-11-27T16:00+08:00", "2h") == "2026-11-30T09:00+08:00"


def test_across_national_day() -> None:
    # 1-7 October 2026 are holidays; 30 September 16:00 + 2h lands on 8 October.
    assert not CAL.is_working_day(date(2026, 10, 1))
    assert due("2026-09-30T16:00+08:00", "2h") == "2026-10-08T09:00+08:00"


def test_a_make_up_working_day_counts() -> None:
    # Sunday 20 September 2026 is a make-up working day (调休) before National Day.
    assert CAL.is_working_day(date(2026, 9, 20))
    assert due("2026-09-19T10:00+08:00", "1h") == "2026-09-20T09:30+08:00"  # a Saturday start


def test_normal_order_handling_takes_24_working_hours() -> None:
    assert due("2026-11-24T10:00+08:00", "24h") == "2026-11-27T11:30+08:00"


def test_working_days_keep_the_clock_time() -> None:
    assert due("2026-11-24T10:00+08:00", "5wd") == "2026-12-01T10:00+08:00"
    assert (
        due("2026-11-24T19:00+08:00", "1wd") == "2026-11-26T08:30+08:00"
    )  # counted from next start


def test_a_utc_start_is_counted_in_beijing_time() -> None:
    start = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 Beijing
    assert CAL.due(start, WorkDuration(minutes=60)) == at("2026-11-24T10:00+08:00")


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        CAL.due(datetime(2026, 11, 24, 9, 0), WorkDuration(minutes=60))


def test_time_left_is_negative_when_late() -> None:
    assert (
        CAL.working_minutes_between(at("2026-11-24T11:00+08:00"), at("2026-11-24T14:00+08:00"))
        == 90
    )
    assert (
        CAL.working_minutes_between(at("2026-11-24T14:00+08:00"), at("2026-11-24T11:00+08:00"))
        == -90
    )


def test_working_days_before_a_due_date() -> None:
    # 5 working days before Tuesday 1 December 2026 is Tuesday 24 November.
    assert CAL.working_days_before(date(2026, 12, 1), 5) == date(2026, 11, 24)


def test_an_uncovered_year_falls_back_to_weekends_and_warns_once() -> None:
    cal = BusinessCalendar()
    with pytest.warns(CalendarCoverageWarning, match="2031"):
        assert cal.is_working_day(date(2031, 1, 1))  # a Wednesday; no holiday data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not cal.is_working_day(date(2031, 1, 4))  # Saturday, and no second warning
    assert cal.coverage_warnings([2026, 2031]) == [
        "2031: no holiday data; weekends only until [calendar.published.2031] is in the policy"
    ]


def test_a_published_schedule_from_the_policy_covers_the_year() -> None:
    cal = BusinessCalendar(
        extra_holidays=[date(2031, 1, 1)], extra_workdays=[date(2031, 1, 4)], published_years=[2031]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not cal.is_working_day(date(2031, 1, 1))
        assert cal.is_working_day(date(2031, 1, 4))
        assert cal.coverage_warnings([2031]) == []


starts = st.datetimes(
    min_value=datetime(2026, 1, 5),
    max_value=datetime(2026, 12, 20),
    timezones=st.just(UTC),
)


@settings(max_examples=150, deadline=None)
@given(start=starts, minutes=st.integers(min_value=1, max_value=60 * 60))
def test_due_consumes_exactly_the_working_minutes(start: datetime, minutes: int) -> None:
    start = start.replace(second=0, microsecond=0)
    end = CAL.due(start, WorkDuration(minutes=minutes))
    assert CAL.working_minutes_between(CAL.next_working_start(start), end) == minutes
    assert end >= start
    assert CAL.due(start, WorkDuration(minutes=minutes + 1)) > end


def test_durations_parse_and_format() -> None:
    assert parse_duration("1h30min") == WorkDuration(minutes=90)
    assert parse_duration(" 20m ") == WorkDuration(minutes=20)
    assert parse_duration("1d") == WorkDuration(days=1)
    for text in ("", "soon", "0h", "1.5wd", "2h5wd", "0.5min"):
        with pytest.raises(ValueError):
            parse_duration(text)
    from orderflow.core.durations import format_duration

    assert [format_duration(parse_duration(t)) for t in ("90min", "2h", "5wd")] == [
        "1h30min",
        "2h",
        "5wd",
    ]
    assert timedelta(minutes=parse_duration("1.5h").minutes) == timedelta(hours=1.5)
