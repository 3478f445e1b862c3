"""Shared benchmark plumbing: fresh databases, timing, percentiles, JSON out."""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

PG_ADMIN = os.environ.get("ORDERFLOW_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """A new empty database URL of ``kind`` ("sqlite" or "postgresql"), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    import psycopg

    name = f"orderflow_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Run:
    orders: int
    seconds: float
    latencies_ms: list[float]

    def figures(self) -> dict[str, float]:
        lat = sorted(self.latencies_ms)
        q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
        return {
            "orders": self.orders,
            "seconds": round(self.seconds, 3),
            "orders_per_s": round(self.orders / self.seconds, 1),
            "p50_ms": round(q[49], 2),
            "p95_ms": round(q[94], 2),
            "p99_ms": round(q[98], 2),
        }


def run_clients(clients: int, per_client: int, one: Callable[[int, int], None]) -> Run:
    """Run ``one(client, i)`` per_client times in each of ``clients`` threads, timing each call."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    errors: list[BaseException] = []

    def worker(client: int) -> None:
        mine = []
        barrier.wait()
        for i in range(per_client):
            start = time.perf_counter()
            try:
                one(client, i)
            except BaseException as exc:
                errors.append(exc)
                return
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(
            f"{len(errors)} benchmark calls failed; first: {errors[0]!r}"
        ) from errors[0]
    return Run(clients * per_client, elapsed, latencies)
