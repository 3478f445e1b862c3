"""Planning: material requirements + finite-capacity schedule, and promise dates against
the loaded plan, at 1,000 / 10,000 / 50,000 open orders (3 lines each, 3-level BOMs,
20 work centres, a 90-day spread of due dates), each size in its own process so peak
memory is that size's.

    python -m bench.planning                       # 1k, 10k, 50k: one JSON object per line
    python -m bench.planning --orders 10000 --promises 500
    python -m bench.planning --service             # also: store the plan, time the port

Figures: ``seconds.total`` is explosion + netting + schedule (+ the solver where the plan
is small enough); ``promise_p95_ms`` is one new 3-line order promised against the loaded
plan (in memory); with ``--service`` the plan is stored in a fresh SQLite database
(``persist_seconds``) and ``service_promise_p95_ms`` times the ``promise_date`` port,
database reads included.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import warnings
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from orderflow.core.calendar import CalendarCoverageWarning
from orderflow.core.ports import Supply
from orderflow.planning.bom import Component, Demand, Item, Source, Step, explode
from orderflow.planning.engine import (
    PlanInput,
    SolverOptions,
    job_operations,
    loaded_plan,
    run_plan,
)
from orderflow.planning.promise import promise
from orderflow.planning.schedule import WorkCentreSpec
from orderflow.policy.loader import load_policy

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Tuesday
DAY_SHIFT = ((510, 720), (810, 1050))
TWO_SHIFTS = ((510, 720), (810, 1050), (1080, 1320))
COMPANIES = (1, 2)

FINISHED, SUBS, BOUGHT = 200, 100, 300


def items(rng: random.Random, work_centres: list[WorkCentreSpec]) -> dict[int, Item]:
    """200 finished products (3 operations; a sub-assembly and 2-3 bought parts), 100
    sub-assemblies (2 operations; 2 raw materials), 300 bought materials."""
    out: dict[int, Item] = {}
    wc_ids = [wc.id for wc in work_centres]
    bought = list(range(1000, 1000 + BOUGHT))
    for pid in bought:
        out[pid] = Item(pid, f"M{pid}", Source.BUY, lead_time_days=rng.randint(3, 15))
    subs = list(range(500, 500 + SUBS))
    for pid in subs:
        raws = rng.sample(bought, 2)
        out[pid] = Item(
            pid,
            f"S{pid}",
            Source.MAKE,
            components=tuple(
                Component(r, Decimal(rng.randint(1, 4)), Decimal("0.03")) for r in raws
            ),
            steps=_steps(rng, wc_ids, 2),
            integral=True,
        )
    for pid in range(1, FINISHED + 1):
        parts = rng.sample(bought, rng.randint(2, 3))
        out[pid] = Item(
            pid,
            f"F{pid}",
            Source.MAKE,
            components=(
                Component(rng.choice(subs), Decimal(1)),
                *(
                    Component(p, Decimal(rng.choice(("0.5", "1", "2", "1.8"))), Decimal("0.05"))
                    for p in parts
                ),
            ),
            steps=_steps(rng, wc_ids, 3),
            integral=True,
        )
    return out


def _steps(rng: random.Random, wc_ids: list[int], n: int) -> tuple[Step, ...]:
    return tuple(
        Step(
            10 * (k + 1),
            rng.choice(wc_ids),
            rng.randint(3, 8),
            Decimal(rng.choice(("0.5", "1", "1.5", "2"))),
        )
        for k in range(n)
    )


def generate(orders: int, seed: int = 42) -> PlanInput:
    rng = random.Random(seed)
    policy = load_policy()
    calendar = policy.business_calendar
    shape = [
        WorkCentreSpec(100 + i, f"WC{i:02d}", 1, TWO_SHIFTS if i % 4 == 0 else DAY_SHIFT)
        for i in range(20)
    ]
    catalogue = items(rng, shape)
    demands = []
    for o in range(orders):
        company = 1 if rng.random() < 0.7 else 2
        # Most orders are taken with the purchase lead times in mind; one in ten is a rush.
        due = TODAY + timedelta(
            days=rng.randint(7, 20) if rng.random() < 0.1 else rng.randint(25, 90)
        )
        priority = rng.choices((0, 1, 2), weights=(1, 2, 17))[0]
        for line in range(1, 4):
            demands.append(
                Demand(
                    f"SO{o + 1}/{line}",
                    o + 1,
                    company,
                    rng.randint(1, FINISHED),
                    Decimal(rng.randint(1, 10)),
                    due,
                    priority,
                )
            )
    # A factory sized for its order book: each centre gets the units that put its load over
    # the 90 days at about 70 % (10,000 orders: 2-6 units per centre).
    load = _load(demands, catalogue)
    work_centres = [
        WorkCentreSpec(
            wc.id,
            wc.code,
            max(1, math.ceil(load.get(wc.id, 0) / (0.7 * 63 * sum(b - a for a, b in wc.periods)))),
            wc.periods,
        )
        for wc in shape
    ]
    stock = {
        (company, pid): Decimal(rng.randint(0, 300) * max(1, orders // 1000))
        for company in COMPANIES
        for pid in range(1000, 1000 + BOUGHT)
        if rng.random() < 0.6
    }
    supplies = [
        Supply(
            rng.choice(COMPANIES),
            rng.randint(1000, 1000 + BOUGHT - 1),
            Decimal(rng.randint(10, 200)),
            TODAY + timedelta(days=rng.randint(1, 30)),
            "purchase",
            f"PO-{i}",
        )
        for i in range(max(50, orders // 10))
    ]
    return PlanInput(
        today=TODAY,
        now=NOW,
        zone=ZONE,
        items=catalogue,
        demands=demands,
        released=[],
        stock=stock,
        supplies=supplies,
        work_centres=work_centres,
        is_working_day=calendar.is_working_day,
        periods=[(510, 720), (810, 1050)],
        buffer_days=1,
        transfer_days=2,
        solver=SolverOptions(mode="auto", max_operations=600, time_limit_seconds=5),
    )


def _load(demands: list[Demand], catalogue: dict[int, Item]) -> dict[int, int]:
    out: dict[int, int] = {}
    for job in explode(demands, catalogue).jobs:
        for op in job_operations(job, catalogue):
            if op.work_centre_id is not None:
                out[op.work_centre_id] = out.get(op.work_centre_id, 0) + op.minutes
    return out


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[q - 1]


def measure(orders: int, promises: int, service: bool = False) -> dict[str, Any]:
    data = generate(orders)
    start, cpu = time.perf_counter(), time.process_time()
    result = run_plan(data)
    plan_seconds = time.perf_counter() - start
    plan_cpu = time.process_time() - cpu
    loaded = loaded_plan(result, data)
    rng = random.Random(7)
    latencies = []
    answers = []
    for _ in range(promises):
        lines = [(rng.randint(1, FINISHED), Decimal(rng.randint(1, 10))) for _ in range(3)]
        t = time.perf_counter()
        answer = promise(loaded, lines, company_id=1, companies=COMPANIES)
        latencies.append((time.perf_counter() - t) * 1000)
        answers.append(answer)
    dated = [a.date for a in answers if a.date]
    figures: dict[str, Any] = {
        "benchmark": "planning",
        "orders": orders,
        "lines": len(data.demands),
        "work_centres": len(data.work_centres),
        "units": sum(wc.units for wc in data.work_centres),
        **{k: v for k, v in result.stats.items() if k != "seconds"},
        "seconds": result.stats["seconds"],
        "plan_seconds": round(plan_seconds, 3),
        # CPU time: the machine is shared, so wall time also shows others' load.
        "plan_cpu_seconds": round(plan_cpu, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_plan_seconds": 10,
        "promise_p50_ms": round(percentile(latencies, 50), 3),
        "promise_p95_ms": round(percentile(latencies, 95), 3),
        "promise_max_ms": round(max(latencies), 3),
        "target_promise_p95_ms": 100,
        "promise_days_ahead_median": statistics.median((d - TODAY).days for d in dated)
        if dated
        else None,
    }
    if service:
        from bench.planning_service import store_and_promise

        figures.update(store_and_promise(data, result, promises))
    figures["calendar_warnings"] = load_policy().business_calendar.coverage_warnings(
        range(TODAY.year, TODAY.year + 2)
    )
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["target_peak_rss_mb"] = 1024
    return figures


def main() -> None:
    # Plans reach into years the holiday data may not cover yet; the calendar then counts
    # weekends only (and says so in the figures instead of on stderr).
    warnings.simplefilter("ignore", CalendarCoverageWarning)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, action="append")
    parser.add_argument("--promises", type=int, default=300)
    parser.add_argument(
        "--service", action="store_true", help="also store the plan in SQLite and time the port"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.orders or [1_000, 10_000, 50_000]
    if args.child:
        print(json.dumps(measure(sizes[0], args.promises, args.service)), flush=True)
        return
    for size in sizes:
        command = [sys.executable, "-m", "bench.planning", "--child", "--orders", str(size)]
        command += ["--promises", str(args.promises)] + (["--service"] if args.service else [])
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
