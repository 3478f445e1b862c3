"""Improving a small plan with OR-Tools CP-SAT, within a time limit.

The solver sees every work centre on one time line, the company calendar's working
minutes, with each operation's length scaled by how much its work centre works per day
(a two-shift centre does a day's work in half a company day). That is exact when centres
work the company's hours and close enough otherwise to decide what matters: the
*sequence* on each centre. The solver's start times are then decoded by the same exact,
calendar-aware placement as the heuristic (``schedule.decode``), so the result obeys
every rule, and it is kept only if it is less late than the heuristic's plan.

Objective: the sum over orders of (priority weight × minutes late against the due date
less the buffer). Cumulative constraints model a centre's parallel units.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from orderflow.planning.axis import DAY
from orderflow.planning.schedule import (
    PRIORITY_WEIGHTS,
    JobSpec,
    Placer,
    ScheduleResult,
    decode,
    objective,
)


def improve(
    jobs: Sequence[JobSpec],
    new_placer: Callable[[], Placer],
    baseline: ScheduleResult,
    options: object,
    *,
    day_minutes: Mapping[int, int],
    periods: Sequence[tuple[int, int]],
) -> tuple[ScheduleResult | None, str, Placer]:
    """A better schedule than ``baseline`` (or None), the solver's status, and the placer
    the answer was built on (its calendars give the loads)."""
    from ortools.sat.python import cp_model

    placer = new_placer()
    company = placer.company
    ref_day = company.day_minutes
    blocked = set(baseline.blocked)
    model = cp_model.CpModel()
    active = [job for job in jobs if job.key not in blocked and job.release is not None]
    if any(not job.operations for job in active):
        return None, "not modelled (a job without operations)", placer
    lengths: dict[tuple[str, int], int] = {}
    for job in active:
        for i, op in enumerate(job.operations):
            if op.work_centre_id is None:
                lengths[(job.key, i)] = op.days * ref_day
            else:
                per_day = max(1, day_minutes.get(op.work_centre_id, ref_day))
                lengths[(job.key, i)] = max(1, math.ceil(op.minutes * ref_day / per_day))
    now = company.to_work(baseline.now)
    releases = {job.key: max(now, company.to_work(job.release or 0)) for job in active}
    horizon = max(releases.values(), default=now) + sum(lengths.values()) + ref_day
    starts: dict[tuple[str, int], cp_model.IntVar] = {}
    ends: dict[tuple[str, int], cp_model.IntVar] = {}
    by_centre: dict[int, list[cp_model.IntervalVar]] = {}
    for job in active:
        previous = None
        for i, op in enumerate(job.operations):
            size = lengths[(job.key, i)]
            start = model.new_int_var(releases[job.key], horizon, f"s_{job.key}_{i}")
            end = model.new_int_var(releases[job.key] + size, horizon + size, f"e_{job.key}_{i}")
            interval = model.new_interval_var(start, size, end, f"i_{job.key}_{i}")
            if op.work_centre_id is not None:
                by_centre.setdefault(op.work_centre_id, []).append(interval)
            if previous is not None:
                model.add(start >= previous)
            previous = end
            starts[(job.key, i)], ends[(job.key, i)] = start, end
    last = {job.key: ends[(job.key, len(job.operations) - 1)] for job in active}
    for job in active:
        for dep in job.after:
            if dep in last:
                model.add(starts[(job.key, 0)] >= last[dep])
    for wc_id, intervals in by_centre.items():
        units = max(1, placer.centres[wc_id].units)
        if units == 1:
            model.add_no_overlap(intervals)
        else:
            model.add_cumulative(intervals, [1] * len(intervals), units)
    terms = []
    for job in active:
        if not job.counts:
            continue
        due = company.to_work(((job.due - baseline.origin).days + 1) * DAY)
        late = model.new_int_var(0, horizon + ref_day, f"late_{job.key}")
        model.add(late >= last[job.key] - due)
        terms.append(PRIORITY_WEIGHTS[min(job.priority, 2)] * late)
    if not terms:
        return None, "nothing to improve", placer
    model.minimize(sum(terms))
    for job in active:
        for i, p in enumerate(baseline.placements.get(job.key, [])):
            model.add_hint(starts[(job.key, i)], max(releases[job.key], company.to_work(p.start)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(getattr(options, "time_limit_seconds", 5.0))
    solver.parameters.num_workers = int(getattr(options, "workers", 2))
    solver.parameters.random_seed = 7
    status = solver.solve(model)
    name = solver.status_name(status).lower()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, name, placer
    priority = {key: solver.value(var) for key, var in starts.items()}
    decoded = decode(jobs, placer, priority, "cp-sat")
    if objective(decoded, jobs) < objective(baseline, jobs):
        return decoded, name, placer
    return None, f"{name}; not better than the heuristic", placer
