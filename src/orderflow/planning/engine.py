"""The planning run: demand → explosion → netting → finite-capacity schedule → lateness.

Plain data in (a snapshot the service loads), plain data out (what the service stores).
No database, no clock: ``today`` and ``now`` are inputs, so a run is reproducible.

Materials are needed when their job starts. Before the schedule exists that start is
estimated backwards from the due date (due − buffer − the job's working days, and a
sub-assembly's due is its parent's start): good enough to order the netting and to date
purchase requisitions. The schedule then runs forwards from when materials are really
ready, so lateness is measured, not assumed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple
from zoneinfo import ZoneInfo

from orderflow.core.ports import Supply
from orderflow.planning.axis import DAY, day_of, minute_of
from orderflow.planning.bom import (
    Demand,
    Item,
    Job,
    Requirement,
    direct_requirements,
    explode,
)
from orderflow.planning.netting import NettingResult, net
from orderflow.planning.promise import Capacity, LoadedPlan
from orderflow.planning.schedule import (
    JobSpec,
    Operation,
    Placer,
    ScheduleResult,
    WorkCentreSpec,
    heuristic,
    load_by_day,
    objective,
)


@dataclass(frozen=True)
class SolverOptions:
    #: "auto": the solver for plans up to ``max_operations``, the heuristic above;
    #: "cp_sat" / "heuristic": always that one.
    mode: str = "auto"
    max_operations: int = 600
    time_limit_seconds: float = 5.0
    workers: int = 2


@dataclass(frozen=True)
class ReleasedJob:
    """A production order already released: its job and the operations still to do."""

    job: Job
    operations: tuple[Operation, ...]
    #: Materials already issued (work has begun): nothing more to supply.
    started: bool = False
    #: Not before this clock minute (e.g. an operation under way runs on from now).
    not_before: int = 0


@dataclass(frozen=True)
class PlanInput:
    today: date
    now: datetime
    zone: ZoneInfo
    items: Mapping[int, Item]
    demands: Sequence[Demand]
    released: Sequence[ReleasedJob]
    stock: Mapping[tuple[int, int], Decimal]
    supplies: Sequence[Supply]
    work_centres: Sequence[WorkCentreSpec]
    is_working_day: Callable[[date], bool]
    #: The company calendar's working periods (outsourcing, estimates).
    periods: Sequence[tuple[int, int]]
    buffer_days: int = 1
    transfer_days: int = 2
    solver: SolverOptions = SolverOptions()


class JobPlan(NamedTuple):
    job: Job
    start: int | None
    finish: int | None
    #: The day it must be finished by (due less the buffer for an order's own job).
    target: date
    late_days: int
    #: Why it is not sooner: "material:<product_id>", "capacity:<wc_id>", "blocked:…" or "".
    limited_by: str
    material_ready: date | None


@dataclass
class PlanResult:
    origin: date
    now: int
    jobs: list[JobPlan]
    requirements: list[tuple[Requirement, date]]
    netting: NettingResult
    schedule: ScheduleResult
    load: dict[tuple[int, int], int]
    capacity: dict[tuple[int, int], int]
    stats: dict[str, object] = field(default_factory=dict)

    def order_lateness(self) -> dict[int, int]:
        """Days late per order: its latest line."""
        out: dict[int, int] = {}
        for plan in self.jobs:
            if plan.job.parent is None:
                out[plan.job.order_id] = max(out.get(plan.job.order_id, 0), plan.late_days)
        for req, need in self.requirements:
            if req.job is None:
                ready = self.netting.ready.get(req.key)
                late = (ready - need).days if ready and ready > need else 0
                out[req.order_id] = max(out.get(req.order_id, 0), late)
        return out


class _Calendar:
    """Working days on the business calendar, cached (the run asks the same days often)."""

    def __init__(self, is_working_day: Callable[[date], bool]) -> None:
        self._is = is_working_day
        self._cache: dict[tuple[date, int], date] = {}

    def after(self, day: date, n: int) -> date:
        d, left = day, n
        while left > 0:
            d = date.fromordinal(d.toordinal() + 1)
            if self._is(d):
                left -= 1
        return d

    def before(self, day: date, n: int) -> date:
        key = (day, n)
        hit = self._cache.get(key)
        if hit is None:
            d, left = day, n
            while left > 0:
                d = date.fromordinal(d.toordinal() - 1)
                if self._is(d):
                    left -= 1
            hit = self._cache[key] = d
        return hit


def job_operations(job: Job, items: Mapping[int, Item]) -> tuple[Operation, ...]:
    return tuple(
        Operation(step.seq, step.work_centre_id, step.minutes(job.quantity), step.outsourced_days)
        if step.work_centre_id is not None
        else Operation(step.seq, None, 0, step.outsourced_days)
        for step in items[job.product_id].steps
    )


def _working_days(ops: Sequence[Operation], day_minutes: Mapping[int, int]) -> int:
    days = 0.0
    for op in ops:
        if op.work_centre_id is None:
            days += op.days
        else:
            days += op.minutes / max(1, day_minutes.get(op.work_centre_id, 450))
    return math.ceil(days)


def run_plan(data: PlanInput) -> PlanResult:
    clock = time.perf_counter
    t0 = clock()
    explosion = explode(data.demands, data.items)
    jobs: list[Job] = list(explosion.jobs)
    requirements: list[Requirement] = list(explosion.requirements)
    ops: dict[str, tuple[Operation, ...]] = {
        job.key: job_operations(job, data.items) for job in jobs
    }
    not_before: dict[str, int] = {}
    for released in data.released:
        jobs.append(released.job)
        ops[released.job.key] = released.operations
        not_before[released.job.key] = released.not_before
        if not released.started:
            requirements.extend(direct_requirements(released.job, data.items))
    t1 = clock()

    # Backward estimate of each job's start: when its materials are needed.
    cal = _Calendar(data.is_working_day)
    day_minutes = {wc.id: sum(b - a for a, b in wc.periods) for wc in data.work_centres}
    children: dict[str, list[Job]] = {}
    for job in jobs:
        if job.parent is not None:
            children.setdefault(job.parent, []).append(job)
    target: dict[str, date] = {}
    start_estimate: dict[str, date] = {}

    def estimate(job: Job, by: date) -> None:
        target[job.key] = by
        start = cal.before(by, _working_days(ops[job.key], day_minutes))
        start_estimate[job.key] = start
        for child in children.get(job.key, ()):
            estimate(child, start)

    for job in jobs:
        if job.parent is None:
            estimate(job, cal.before(job.due, data.buffer_days))
    needs: list[tuple[Requirement, date]] = []
    for req in requirements:
        if req.job is None:
            need = cal.before(req.due, data.buffer_days)
        else:
            need = start_estimate.get(req.job, req.due)
        needs.append((req, max(need, data.today)))
    t2 = clock()

    netting = net(
        needs,
        data.items,
        data.stock,
        data.supplies,
        today=data.today,
        transfer_days=data.transfer_days,
    )
    t3 = clock()

    # Each job may start when its own materials are ready (its sub-jobs are `after`).
    ready: dict[str, date | None] = {}
    reason: dict[str, str] = {}
    for req, _ in needs:
        if req.job is None:
            continue
        got = netting.ready.get(req.key)
        have = ready.get(req.job, data.today)
        if have is None:
            continue  # already waiting for material without a date
        if got is None:
            ready[req.job] = None
            reason[req.job] = f"material:{req.product_id}:missing"
        elif req.job not in ready or got > have:
            ready[req.job] = max(got, have)
            if got > data.today:
                reason[req.job] = f"material:{req.product_id}"
    now = minute_of(data.now, data.today, data.zone)
    specs: list[JobSpec] = []
    for job in jobs:
        material = ready.get(job.key, data.today)
        release = None if material is None else max((material - data.today).days * DAY, 0)
        if release is not None and job.key in not_before:
            release = max(release, not_before[job.key])
        specs.append(
            JobSpec(
                key=job.key,
                operations=ops[job.key],
                due=target[job.key],
                priority=job.priority,
                release=release,
                after=tuple(child.key for child in children.get(job.key, ())),
                counts=job.parent is None,
                release_reason=reason.get(job.key, ""),
            )
        )

    def placer() -> Placer:
        return Placer(data.today, now, data.work_centres, data.is_working_day, data.periods)

    first = placer()
    schedule = heuristic(specs, first)
    final_placer = first
    operations = sum(len(s.operations) for s in specs)
    use_solver = data.solver.mode == "cp_sat" or (
        data.solver.mode == "auto" and 0 < operations <= data.solver.max_operations
    )
    solver_status = "not used"
    t4 = clock()
    if use_solver and objective(schedule, specs) > 0:
        from orderflow.planning.cpsat import improve

        improved, solver_status, improved_placer = improve(
            specs, placer, schedule, data.solver, day_minutes=day_minutes, periods=data.periods
        )
        if improved is not None:
            schedule, final_placer = improved, improved_placer
    elif use_solver:
        solver_status = "heuristic already on time"
    t5 = clock()

    by_key = {spec.key: spec for spec in specs}
    why: dict[str, str] = {}

    def _material_bound(spec: JobSpec, material: date | None) -> bool:
        """Even an empty factory could not make it in time from the material's day."""
        if material is None:
            return False
        return cal.after(material, _working_days(spec.operations, day_minutes)) > spec.due

    def limited_by(spec: JobSpec) -> str:
        """Why the job does not finish sooner: its latest sub-assembly when that is what it
        waited for, else its material or the work centre whose queue held it longest."""
        if spec.key in why:
            return why[spec.key]
        placed = schedule.placements.get(spec.key) or []
        material = ready.get(spec.key, data.today)
        answer = ""
        if spec.key in schedule.blocked:
            answer = "blocked:" + schedule.blocked[spec.key]
        elif placed:
            finish = schedule.finish[spec.key]
            late = (day_of(finish, data.today) - spec.due).days > 0
            children = [dep for dep in spec.after if dep in schedule.finish]
            latest = max(children, key=lambda dep: schedule.finish[dep], default=None)
            released = spec.release or 0
            waited = schedule.waited_on.get(spec.key)
            if latest is not None and schedule.finish[latest] > max(released, now):
                answer = limited_by(by_key[latest])
            elif late and _material_bound(spec, material):
                answer = reason.get(spec.key, "")
            elif waited is not None:
                answer = f"capacity:{waited}"
            elif material is not None and material > data.today:
                answer = reason.get(spec.key, "")
            if not answer and late:
                # Nothing queued and nothing waited for: the work itself takes longer than
                # the time left. The longest operation's work centre is the bottleneck.
                longest = max(
                    (op for op in spec.operations if op.work_centre_id is not None),
                    key=lambda op: op.minutes,
                    default=None,
                )
                if longest is not None:
                    answer = f"capacity:{longest.work_centre_id}"
        why[spec.key] = answer
        return answer

    plans = []
    for job, spec in zip(jobs, specs, strict=True):
        finish = schedule.finish.get(job.key)
        placed = schedule.placements.get(job.key) or []
        start = placed[0].start if placed else finish
        late = 0 if finish is None else max(0, (day_of(finish, data.today) - spec.due).days)
        material = ready.get(job.key, data.today)
        plans.append(JobPlan(job, start, finish, spec.due, late, limited_by(spec), material))
    load = load_by_day(schedule, final_placer)
    capacity = {}
    horizon = max([day for _, day in load] + [0]) + 1
    for wc in data.work_centres:
        axis = final_placer.axes[wc.id]
        for day in range(horizon):
            if axis.is_open_day(day):
                capacity[(wc.id, day)] = axis.day_minutes * max(1, wc.units)
    t6 = clock()
    result = PlanResult(data.today, now, plans, needs, netting, schedule, load, capacity)
    result.stats = {
        "orders": len({d.order_id for d in data.demands} | {r.job.order_id for r in data.released}),
        "jobs": len(jobs),
        "operations": operations,
        "requirements": len(requirements),
        "blocked_jobs": len(schedule.blocked),
        "late_orders": sum(1 for days in result.order_lateness().values() if days > 0),
        "method": schedule.method,
        "solver": solver_status,
        "objective": objective(schedule, specs),
        "seconds": {
            "explode": round(t1 - t0, 3),
            "estimate": round(t2 - t1, 3),
            "net": round(t3 - t2, 3),
            "schedule": round(t4 - t3, 3),
            "solver": round(t5 - t4, 3),
            "loads": round(t6 - t5, 3),
            "total": round(t6 - t0, 3),
        },
    }
    return result


def capacity_from(
    origin: date,
    work_centres: Sequence[WorkCentreSpec],
    is_working_day: Callable[[date], bool],
    capacity: Mapping[tuple[int, int], int],
    load: Mapping[tuple[int, int], int],
) -> Capacity:
    """Free minutes per work centre and day: the plan's capacity less its load."""
    days = max([day for _, day in capacity] + [day for _, day in load] + [-1]) + 1
    free: dict[int, list[int]] = {}
    for wc in work_centres:
        free[wc.id] = [
            capacity.get((wc.id, day), 0) - load.get((wc.id, day), 0) for day in range(days)
        ]
    closed = {wc.id: wc.closed for wc in work_centres}

    def is_open(wc_id: int, day: int) -> bool:
        moment = origin + timedelta(days=day)
        return moment not in closed.get(wc_id, frozenset()) and is_working_day(moment)

    return Capacity(
        origin=origin,
        day_minutes={wc.id: sum(b - a for a, b in wc.periods) for wc in work_centres},
        units={wc.id: max(1, wc.units) for wc in work_centres},
        free=free,
        is_open=is_open,
    )


def loaded_plan(result: PlanResult, data: PlanInput) -> LoadedPlan:
    """What promises are checked against once this plan is loaded."""
    return LoadedPlan(
        today=data.today,
        items=data.items,
        stock=result.netting.stock_left,
        supplies=result.netting.supply_left,
        capacity=capacity_from(
            data.today, data.work_centres, data.is_working_day, result.capacity, result.load
        ),
        is_working_day=data.is_working_day,
        transfer_days=data.transfer_days,
        buffer_days=data.buffer_days,
    )
