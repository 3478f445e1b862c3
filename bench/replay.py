"""The service path's own statements, replayed with the bare driver: the ceiling of its write set.

``raw_limit`` measures 8 row writes into tables with nothing but a primary key. The service
writes more than that (the order's tasks, events, outbox, reservations and numbering, each
table with its indexes and foreign keys). This path captures every statement the service
issues for N orders (SQL and driver-level parameters, exactly as sent) and then replays
them on a copy of the database taken just before, through the bare driver, one
transaction per order: what the service's write set costs with no Python stack at all.
``share_of_raw`` of this path is the highest share any implementation of this step, on
this schema, could reach.

    python -m bench.replay --orders 1000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event

from bench import raw_limit
from bench.common import PG_ADMIN, Run, fresh_database

Statement = tuple[str, Any, bool]  # SQL, driver parameters, executemany


@dataclass
class Capture:
    """Statements per unit of work, recorded from an engine."""

    orders: list[list[Statement]] = field(default_factory=list)

    def listen(self, engine: Any) -> None:
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cur: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
        self.orders[-1].append((sql, params, many))

    def record(self, run: Callable[[], object]) -> None:
        self.orders.append([])
        run()


def _copy(kind: str, url: str) -> str:
    """A copy of the database at ``url`` (no connection may be open to it)."""
    if kind == "sqlite":
        path = url.removeprefix("sqlite:///")
        copy = path + ".replay"
        shutil.copyfile(path, copy)
        return "sqlite:///" + copy
    import psycopg

    name = f"orderflow_replay_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{url.rsplit("/", 1)[1]}"')
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def _drop(kind: str, url: str) -> None:
    if kind == "postgresql":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def replay(kind: str, url: str, capture: Capture) -> Run:
    """Each captured unit of work as one transaction through the bare driver."""
    latencies: list[float] = []
    if kind == "sqlite":
        conn: Any = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            conn.execute(f"PRAGMA {pragma}")
    else:
        import psycopg

        conn = psycopg.connect(url)
    start = time.perf_counter()
    for statements in capture.orders:
        began = time.perf_counter()
        cur = conn.cursor()
        for sql, params, many in statements:
            # SQLAlchemy's "insertmanyvalues" reports single-row INSERT ... RETURNING
            # batches as many; the driver takes those as one execute.
            if many and isinstance(params, list):
                cur.executemany(sql, params)
            else:
                cur.execute(sql, params)
                if cur.description is not None:
                    cur.fetchall()
        conn.execute("COMMIT") if kind == "sqlite" else conn.commit()
        latencies.append((time.perf_counter() - began) * 1000)
    elapsed = time.perf_counter() - start
    conn.close()
    return Run(len(capture.orders), elapsed, latencies)


def measure(kind: str, orders: int) -> list[dict[str, Any]]:
    """raw, service and replay figures for ``orders`` orders on a fresh database."""
    from bench.intake import _body, _runtime, _seeded
    from orderflow.sales.schemas import OrderCreate
    from orderflow.sales.service import create_order

    raw = raw_limit.measure(kind, orders, 1)
    with fresh_database(kind) as url:
        clerk, customer_id, codes, requested = _seeded(url)
        copy = _copy(kind, url)
        try:
            rt = _runtime(url)
            bodies = [
                OrderCreate.model_validate(_body(requested, customer_id, codes, 0, i))
                for i in range(orders)
            ]
            capture = Capture()
            capture.listen(rt.db.engine)
            latencies: list[float] = []
            start = time.perf_counter()
            for body in bodies:
                began = time.perf_counter()
                capture.record(lambda b=body: create_order(rt, clerk, b))  # type: ignore[misc]
                latencies.append((time.perf_counter() - began) * 1000)
            service = Run(orders, time.perf_counter() - start, latencies)
            rt.db.dispose()
            replayed = replay(kind, copy, capture)
        finally:
            _drop(kind, copy)
    statements = sum(len(s) for s in capture.orders) / max(1, len(capture.orders))
    out = [raw]
    for path, run in (("service", service), ("replay", replayed)):
        figures = run.figures()
        out.append(
            {
                "path": path,
                "database": kind,
                "clients": 1,
                **figures,
                "statements_per_order": round(statements, 1),
                "share_of_raw": round(figures["orders_per_s"] / raw["orders_per_s"], 3),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.databases.split(","):
        for line in measure(kind, args.orders):
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
