"""Finite-capacity scheduling: whatever the jobs, no unit runs two operations at once,
operations keep their routing's order, run only in working time on open days and take
exactly their working minutes, start after their material and sub-assemblies, and the
solver's plan obeys the same rules and is never later than the heuristic's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from orderflow.core.calendar import BusinessCalendar
from orderflow.planning.axis import DAY, WorkAxis, day_of, minute_of, moment_of
from orderflow.planning.cpsat import improve
from orderflow.planning.engine import SolverOptions
from orderflow.planning.schedule import (
    JobSpec,
    Operation,
    Placer,
    WorkCentreSpec,
    decode,
    heuristic,
    objective,
    violations,
)

ORIGIN = date(2026, 11, 23)  # a Monday
DAY_SHIFT = ((510, 720), (810, 1050))
TWO_SHIFTS = ((480, 720), (780, 1020), (1050, 1290))
SHORT = ((540, 600),)  # one hour a day: operations cross many days


def weekdays(day: date) -> bool:
    return day.weekday() < 5


@st.composite
def plants(draw: st.DrawFn) -> list[WorkCentreSpec]:
    return [
        WorkCentreSpec(
            wc,
            f"WC{wc}",
            draw(st.integers(1, 3)),
            draw(st.sampled_from([DAY_SHIFT, TWO_SHIFTS, SHORT])),
            frozenset(
                ORIGIN + timedelta(days=d) for d in draw(st.lists(st.integers(0, 20), max_size=3))
            ),
        )
        for wc in range(1, 1 + draw(st.integers(1, 3)))
    ]


@st.composite
def workloads(draw: st.DrawFn, centres: list[WorkCentreSpec]) -> list[JobSpec]:
    ids = [wc.id for wc in centres]
    jobs: list[JobSpec] = []
    for n in range(draw(st.integers(1, 9))):
        ops = tuple(
            Operation(10 * (k + 1), None, 0, draw(st.integers(1, 2)))
            if draw(st.integers(0, 9)) == 0
            else Operation(10 * (k + 1), draw(st.sampled_from(ids)), draw(st.integers(1, 600)))
            for k in range(draw(st.integers(1, 4)))
        )
        # A job may use earlier jobs as its sub-assemblies (each sub-assembly has one user).
        used = {dep for job in jobs for dep in job.after}
        free = [job.key for job in jobs if job.key not in used]
        after = (
            tuple(draw(st.lists(st.sampled_from(free), max_size=2, unique=True))) if free else ()
        )
        release = (
            draw(st.none() | st.integers(0, 6 * DAY))
            if draw(st.integers(0, 7)) == 0
            else draw(st.integers(0, 6 * DAY))
        )
        jobs.append(
            JobSpec(
                f"J{n}",
                ops,
                ORIGIN + timedelta(days=draw(st.integers(0, 20))),
                draw(st.integers(0, 2)),
                release,
                after,
                counts=True,
            )
        )
    return jobs


def placer(centres: list[WorkCentreSpec], now: int = 600) -> Placer:
    return Placer(ORIGIN, now, centres, weekdays, DAY_SHIFT)


@given(st.data())
@settings(max_examples=200, deadline=None)
def test_every_heuristic_schedule_obeys_capacity_order_calendar_and_material(
    data: st.DataObject,
) -> None:
    centres = data.draw(plants())
    jobs = data.draw(workloads(centres))
    now = data.draw(st.integers(0, 2 * DAY))
    result = heuristic(jobs, placer(centres, now))
    assert violations(result, jobs, placer(centres, now)) == []
    # A job waits (blocked) exactly when its material has no date or a sub-assembly waits.
    for job in jobs:
        waits = job.release is None or any(dep in result.blocked for dep in job.after)
        assert (job.key in result.blocked) == waits


@given(st.data())
@settings(max_examples=150, deadline=None)
def test_any_operation_order_decodes_to_a_valid_schedule(data: st.DataObject) -> None:
    centres = data.draw(plants())
    jobs = data.draw(workloads(centres))
    priority = {
        (job.key, i): data.draw(st.integers(0, 10_000))
        for job in jobs
        for i in range(len(job.operations))
    }
    result = decode(jobs, placer(centres), priority, "test")
    assert violations(result, jobs, placer(centres)) == []


@given(st.data())
@settings(max_examples=15, deadline=None)
def test_the_solver_is_never_later_than_the_heuristic_and_obeys_the_same_rules(
    data: st.DataObject,
) -> None:
    centres = data.draw(plants())
    jobs = data.draw(workloads(centres))
    baseline = heuristic(jobs, placer(centres))
    improved, status, used = improve(
        jobs,
        lambda: placer(centres),
        baseline,
        SolverOptions(time_limit_seconds=1, workers=1),
        day_minutes={wc.id: sum(b - a for a, b in wc.periods) for wc in centres},
        periods=DAY_SHIFT,
    )
    if improved is not None:
        assert objective(improved, jobs) < objective(baseline, jobs)
        assert violations(improved, jobs, placer(centres)) == []
    assert status


def test_two_urgent_orders_go_first_and_the_rest_queue_on_the_bottleneck() -> None:
    centre = [WorkCentreSpec(1, "PRESS", 1, DAY_SHIFT)]
    jobs = [
        JobSpec("normal", (Operation(10, 1, 450),), ORIGIN + timedelta(days=1), 2),
        JobSpec("urgent", (Operation(10, 1, 450),), ORIGIN + timedelta(days=3), 0),
    ]
    result = heuristic(jobs, placer(centre, now=0))
    assert result.finish_day("urgent") == ORIGIN  # a whole working day, Monday
    assert result.finish_day("normal") == ORIGIN + timedelta(days=1)
    assert result.lateness_days(jobs[0]) == 0


def test_an_operation_pauses_over_the_weekend_and_holidays_of_the_business_calendar() -> None:
    # Wednesday 2026-09-30 16:00: 4 working hours left to do. 1.5 h that day, then the
    # National Day week is closed, so work resumes Thursday 2026-10-08 08:30.
    calendar = BusinessCalendar()
    origin = date(2026, 9, 30)
    axis = WorkAxis(origin, DAY_SHIFT, calendar.is_working_day)
    zone = calendar.zone
    start = minute_of(datetime(2026, 9, 30, 8, 0, tzinfo=UTC), origin, zone)
    begun, end = axis.add(start, 240)
    assert moment_of(begun, origin, zone) == datetime(2026, 9, 30, 16, 0, tzinfo=zone)
    assert moment_of(end, origin, zone) == datetime(2026, 10, 8, 11, 0, tzinfo=zone)
    # Saturday 2026-10-10 is a make-up working day (调休): open.
    assert axis.is_open_day((date(2026, 10, 10) - origin).days)
    assert day_of(end, origin) == date(2026, 10, 8)


@given(
    st.integers(0, 60 * DAY), st.integers(1, 5000), st.sampled_from([DAY_SHIFT, TWO_SHIFTS, SHORT])
)
def test_working_minutes_are_counted_only_inside_periods(minute: int, work: int, periods) -> None:  # type: ignore[no-untyped-def]
    axis = WorkAxis(ORIGIN, periods, weekdays)
    start, end = axis.add(minute, work)
    assert start >= minute and axis.to_work(end) - axis.to_work(start) == work
    assert axis.start_at(axis.to_work(start)) == start
    assert weekdays(day_of(start + 1, ORIGIN)) and weekdays(day_of(end, ORIGIN))
    in_day = start % DAY
    assert any(a <= in_day < b for a, b in periods)
