"""Finite-capacity scheduling (E8, E12): operations placed on work centres.

Every placement respects, and ``violations`` checks:

- the routing's order (an operation starts when the one before it has finished);
- capacity (a work centre has ``units`` identical lines or machines; one operation per
  unit at a time, never overlapping);
- the calendar (operations run only in the work centre's working periods on open days,
  pausing over breaks, nights, weekends and holidays, and take exactly their working
  minutes);
- material availability (a job starts no earlier than its materials are ready, the
  customer's promised arrival for customer-supplied material included; a job whose
  material has no date is *blocked*, not guessed);
- structure (a sub-assembly finishes before the job that uses it starts).

The heuristic takes the orders by priority, then due date, then most work first (E8:
urgency, due date, process complexity), places each order's sub-assemblies before it,
and puts every operation at the earliest time a unit of its work centre is free long
enough, filling earlier gaps before extending the end. It is linear in the number of
operations, so it plans tens of thousands of orders in seconds. ``cpsat`` improves small
plans with a solver and decodes the result through the same placement, so both obey the
same rules.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from orderflow.planning.axis import WorkAxis, day_of

INF = 1 << 60
#: Gaps remembered per unit; older ones are forgotten (only ever costs a little idle time).
MAX_GAPS = 48
#: Gaps tried per placement before going to the end of the unit's load.
MAX_SCAN = 12
#: Weight of a day late per priority (urgent, special, normal) in the objective.
PRIORITY_WEIGHTS = (10, 3, 1)


class Operation(NamedTuple):
    seq: int
    #: None: outsourced (外协): takes ``days`` working days, holds no work centre.
    work_centre_id: int | None
    minutes: int
    days: int = 0


class JobSpec(NamedTuple):
    key: str
    operations: tuple[Operation, ...]
    #: The day the job must be finished by (for an order: its due date less the buffer).
    due: date
    priority: int = 2
    #: Clock minute from which the job may start (materials ready); None: blocked.
    release: int | None = 0
    #: Jobs that must finish before this one starts (its sub-assemblies).
    after: tuple[str, ...] = ()
    #: Whether lateness counts: the order's own job does, a sub-assembly's only through it.
    counts: bool = True
    #: Why the release is what it is (the material that limits it), for people.
    release_reason: str = ""


@dataclass(frozen=True, slots=True)
class WorkCentreSpec:
    id: int
    code: str
    units: int
    #: Working periods of an open day, (start, end) minutes after midnight.
    periods: tuple[tuple[int, int], ...]
    closed: frozenset[date] = frozenset()


class Placement(NamedTuple):
    job: str
    seq: int
    work_centre_id: int | None
    unit: int
    start: int
    end: int
    minutes: int
    #: The start in the work centre's working minutes (the end is start + minutes).
    work_start: int = 0


@dataclass
class ScheduleResult:
    origin: date
    now: int
    placements: dict[str, list[Placement]]
    finish: dict[str, int]
    blocked: dict[str, str]
    method: str = "heuristic"
    #: The work centre whose queue delayed each job most (for "why late").
    waited_on: dict[str, int | None] = field(default_factory=dict)
    waited_minutes: dict[str, int] = field(default_factory=dict)

    def finish_day(self, job: str) -> date:
        return day_of(self.finish[job], self.origin)

    def lateness_days(self, job: JobSpec) -> int:
        if job.key not in self.finish:
            return 0
        return max(0, (self.finish_day(job.key) - job.due).days)

    def all_placements(self) -> Iterable[Placement]:
        for ops in self.placements.values():
            yield from ops


def objective(result: ScheduleResult, jobs: Sequence[JobSpec]) -> int:
    """Weighted days late of the jobs that count (lower is better); blocked jobs add nothing
    here (they are reported separately), so plans are compared on what could be placed."""
    total = 0
    for job in jobs:
        if job.counts and job.key in result.finish:
            total += PRIORITY_WEIGHTS[min(job.priority, 2)] * result.lateness_days(job)
    return total


class Placer:
    """The work centres' units and their free gaps, in each work centre's working minutes."""

    def __init__(
        self,
        origin: date,
        now: int,
        work_centres: Iterable[WorkCentreSpec],
        is_working_day: Callable[[date], bool],
        default_periods: Sequence[tuple[int, int]],
    ) -> None:
        self.origin, self.now = origin, now
        self.centres: dict[int, WorkCentreSpec] = {}
        self.axes: dict[int, WorkAxis] = {}
        self.gaps: dict[int, list[tuple[list[int], list[int]]]] = {}
        for wc in work_centres:
            closed = wc.closed

            def open_(day: date, closed: frozenset[date] = closed) -> bool:
                return day not in closed and is_working_day(day)

            axis = WorkAxis(origin, wc.periods, open_)
            self.centres[wc.id] = wc
            self.axes[wc.id] = axis
            first = axis.to_work(now)
            self.gaps[wc.id] = [([first], [INF]) for _ in range(max(1, wc.units))]
        #: Outsourced operations count working days on the company calendar.
        self.company = WorkAxis(origin, default_periods, is_working_day)

    def earliest(self, wc_id: int, minute: int, minutes: int) -> tuple[int, int, int, int]:
        """(unit, gap index, working-minute start, working minute asked for) of the earliest
        fit at or after clock minute ``minute``."""
        t = self.axes[wc_id].to_work(minute)
        best_unit, best_j, best_s = 0, 0, INF
        for unit, (starts, ends) in enumerate(self.gaps[wc_id]):
            last = len(starts) - 1
            if last == 0 or ends[last - 1] <= t:
                # No gap before the unit's free end reaches past t: only the end counts.
                j = last
            else:
                j, scanned = bisect_right(ends, t), 0
                while j < last and scanned < MAX_SCAN:
                    if (starts[j] if starts[j] > t else t) + minutes <= ends[j]:
                        break
                    j += 1
                    scanned += 1
                else:
                    j = last
            s = starts[j] if starts[j] > t else t
            if s < best_s:
                best_unit, best_j, best_s = unit, j, s
                if s == t:
                    break  # nothing can start sooner than asked
        return best_unit, best_j, best_s, t

    def occupy(self, wc_id: int, unit: int, j: int, s: int, minutes: int) -> tuple[int, int]:
        starts, ends = self.gaps[wc_id][unit]
        g0, g1 = starts[j], ends[j]
        e = s + minutes
        new_starts, new_ends = [], []
        if s > g0:
            new_starts.append(g0)
            new_ends.append(s)
        if e < g1:
            new_starts.append(e)
            new_ends.append(g1)
        starts[j : j + 1] = new_starts
        ends[j : j + 1] = new_ends
        if len(starts) > MAX_GAPS:
            del starts[0], ends[0]
        axis = self.axes[wc_id]
        return axis.start_at(s), axis.end_at(e)

    def place(self, job: str, op: Operation, minute: int) -> tuple[Placement, int]:
        """Put ``op`` at the earliest free time at or after clock minute ``minute``; also
        answers how many working minutes it waited for a free unit."""
        if op.work_centre_id is None:
            axis = self.company
            w = axis.to_work(minute)
            start = axis.start_at(w)
            end = axis.end_at(w + op.days * axis.day_minutes)
            return Placement(job, op.seq, None, -1, start, end, 0), 0
        unit, j, s, t = self.earliest(op.work_centre_id, minute, op.minutes)
        start, end = self.occupy(op.work_centre_id, unit, j, s, op.minutes)
        return Placement(job, op.seq, op.work_centre_id, unit, start, end, op.minutes, s), s - t


def _order_key(job: JobSpec) -> tuple[int, date, int, str]:
    work = sum(op.minutes for op in job.operations)
    return (job.priority, job.due, -work, job.key)


def heuristic(
    jobs: Sequence[JobSpec],
    placer: Placer,
    *,
    order: Callable[[JobSpec], object] = _order_key,
) -> ScheduleResult:
    """Place every job, sub-assemblies first, orders by priority, due date and work."""
    by_key = {job.key: job for job in jobs}
    used_by = {dep for job in jobs for dep in job.after}
    tops = sorted((job for job in jobs if job.key not in used_by), key=order)  # type: ignore[arg-type,return-value]
    result = ScheduleResult(placer.origin, placer.now, {}, {}, {})
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(job: JobSpec) -> None:
        mark = state.get(job.key)
        if mark == 2:
            return
        if mark == 1:
            raise ValueError(f"jobs depend on each other in a circle at {job.key}")
        state[job.key] = 1
        for dep in job.after:
            visit(by_key[dep])
        _place_job(job, placer, result)
        state[job.key] = 2

    for job in tops:
        visit(job)
    for job in jobs:  # anything left in a circle-free but top-less structure
        visit(job)
    return result


def _start_of(job: JobSpec, result: ScheduleResult, now: int) -> tuple[int | None, str]:
    if job.release is None:
        return None, job.release_reason or "material has no date"
    start = max(now, job.release)
    for dep in job.after:
        if dep in result.blocked:
            return None, f"waits for {dep}"
        start = max(start, result.finish[dep])
    return start, ""


def _place_job(job: JobSpec, placer: Placer, result: ScheduleResult) -> None:
    start, why = _start_of(job, result, placer.now)
    if start is None:
        result.blocked[job.key] = why
        return
    placed: list[Placement] = []
    moment, waited, worst = start, None, 0
    for op in job.operations:
        p, wait = placer.place(job.key, op, moment)
        if wait > worst:
            worst, waited = wait, op.work_centre_id
        placed.append(p)
        moment = p.end
    result.placements[job.key] = placed
    result.finish[job.key] = moment if placed else start
    result.waited_on[job.key] = waited
    result.waited_minutes[job.key] = worst


def decode(
    jobs: Sequence[JobSpec], placer: Placer, priority: Mapping[tuple[str, int], int], method: str
) -> ScheduleResult:
    """Place operations in the order of ``priority`` (e.g. a solver's start times) with the
    same exact placement as the heuristic: the solver decides the sequence, the calendar
    decides the minutes."""
    by_key = {job.key: job for job in jobs}
    result = ScheduleResult(placer.origin, placer.now, {}, {}, {}, method)
    ops = sorted(
        (
            (priority.get((job.key, i), INF), i, job.key)
            for job in jobs
            for i in range(len(job.operations))
        ),
    )
    next_index = {job.key: 0 for job in jobs}
    moment: dict[str, int] = {}
    pending = list(ops)
    # Sub-assemblies may be ordered after their parents by an imperfect priority: retry
    # such operations once their predecessors are placed.
    guard = 0
    while pending:
        guard += 1
        if guard > len(ops) + 5:
            raise ValueError("operations cannot be ordered: circular job structure")
        later = []
        for item in pending:
            _, i, key = item
            job = by_key[key]
            if key in result.blocked:
                continue
            if next_index[key] != i or any(
                dep not in result.finish and dep not in result.blocked for dep in job.after
            ):
                later.append(item)
                continue
            if i == 0:
                start, why = _start_of(job, result, placer.now)
                if start is None:
                    result.blocked[key] = why
                    continue
                moment[key] = start
                result.placements[key] = []
                result.waited_on[key] = None
            p, wait = placer.place(key, job.operations[i], moment[key])
            if wait > 0 and wait >= result.waited_minutes.get(key, 0):
                result.waited_minutes[key] = wait
                result.waited_on[key] = p.work_centre_id
            result.placements[key].append(p)
            moment[key] = p.end
            next_index[key] = i + 1
            if i + 1 == len(job.operations):
                result.finish[key] = p.end
        pending = later
    for job in jobs:
        if not job.operations and job.key not in result.blocked:
            start, why = _start_of(job, result, placer.now)
            if start is None:
                result.blocked[job.key] = why
            else:
                result.placements[job.key], result.finish[job.key] = [], start
    return result


def violations(
    result: ScheduleResult, jobs: Sequence[JobSpec], placer_for_check: Placer
) -> list[str]:
    """Every broken rule in a schedule (empty: the schedule is valid). ``placer_for_check``
    is a fresh Placer over the same work centres, used only for its calendars."""
    axes, company, centres = (
        placer_for_check.axes,
        placer_for_check.company,
        placer_for_check.centres,
    )
    problems: list[str] = []
    by_key = {job.key: job for job in jobs}
    units: dict[tuple[int, int], list[Placement]] = {}
    for job in jobs:
        if job.key in result.blocked:
            continue
        placed = result.placements.get(job.key)
        if placed is None or len(placed) != len(job.operations):
            problems.append(f"{job.key}: not every operation placed")
            continue
        earliest = max(result.now, job.release or 0)
        for dep in job.after:
            if dep in result.blocked:
                problems.append(f"{job.key}: placed although {dep} is blocked")
            elif dep in result.finish:
                earliest = max(earliest, result.finish[dep])
        for op, p in zip(job.operations, placed, strict=True):
            if p.start < earliest:
                problems.append(f"{job.key}/{op.seq}: starts {p.start} before {earliest}")
            if p.end < p.start:
                problems.append(f"{job.key}/{op.seq}: ends before it starts")
            if op.work_centre_id is None:
                w = company.to_work(p.start)
                if company.start_at(w) != p.start:
                    problems.append(f"{job.key}/{op.seq}: outsourcing starts outside working time")
                if company.to_work(p.end) - w != op.days * company.day_minutes:
                    problems.append(f"{job.key}/{op.seq}: outsourcing takes the wrong time")
            else:
                axis = axes[op.work_centre_id]
                w = axis.to_work(p.start)
                if axis.start_at(w) != p.start:
                    problems.append(f"{job.key}/{op.seq}: starts outside working time")
                if axis.to_work(p.end) - w != op.minutes or axis.end_at(w + op.minutes) != p.end:
                    problems.append(f"{job.key}/{op.seq}: does not take its working minutes")
                if not 0 <= p.unit < max(1, centres[op.work_centre_id].units):
                    problems.append(f"{job.key}/{op.seq}: on unit {p.unit} of a smaller centre")
                units.setdefault((op.work_centre_id, p.unit), []).append(p)
            earliest = p.end
        if placed and result.finish.get(job.key) != placed[-1].end:
            problems.append(f"{job.key}: finish is not its last operation's end")
    for (wc, unit), placed in units.items():
        placed.sort(key=lambda p: (p.start, p.end))
        for a, b in zip(placed, placed[1:], strict=False):
            if b.start < a.end:
                problems.append(
                    f"centre {wc} unit {unit}: {a.job}/{a.seq} overlaps {b.job}/{b.seq}"
                )
    for key in result.blocked:
        if key not in by_key:
            problems.append(f"{key}: blocked but unknown")
    return problems


def load_by_day(result: ScheduleResult, placer: Placer) -> dict[tuple[int, int], int]:
    """Working minutes loaded on each (work centre, day index): operations split by day."""
    out: dict[tuple[int, int], int] = {}
    for p in result.all_placements():
        wc = p.work_centre_id
        if wc is None:
            continue
        axis = placer.axes[wc]
        per_day = axis.day_minutes
        w, end_w = p.work_start, p.work_start + p.minutes
        while w < end_w:
            day = axis.day_of_work(w)
            take = min(end_w, (w // per_day + 1) * per_day) - w
            key = (wc, day)
            out[key] = out.get(key, 0) + take
            w += take
    return out


def day_index(origin: date, day: date) -> int:
    return (day - origin).days


def date_of_index(origin: date, index: int) -> date:
    return origin + timedelta(days=index)
