"""Shared benchmark plumbing: fresh databases, clients as threads or processes, percentiles."""

from __future__ import annotations

import multiprocessing
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

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


def _timed(one: Callable[[int], None], per_client: int) -> list[float]:
    mine = []
    for i in range(per_client):
        start = time.perf_counter()
        one(i)
        mine.append((time.perf_counter() - start) * 1000)
    return mine


def run_clients(clients: int, per_client: int, one: Callable[[int, int], None]) -> Run:
    """``one(client, i)`` per_client times in each of ``clients`` threads of this process."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    errors: list[BaseException] = []

    def worker(client: int) -> None:
        barrier.wait()
        try:
            mine = _timed(lambda i: one(client, i), per_client)
        except BaseException as exc:
            errors.append(exc)
            return
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


ClientFactory = Callable[..., Callable[[int], None]]
"""Module-level function ``(client, *args) -> one(i)``, called inside each client process."""


def _process_client(
    make: ClientFactory, client: int, args: tuple[Any, ...], per_client: int, barrier: Any, out: Any
) -> None:
    try:
        one = make(client, *args)  # set up (connections, tokens) before the clock starts
        barrier.wait()
        out.put(("ok", _timed(one, per_client)))
    except BaseException as exc:
        out.put(("error", repr(exc)))


def run_client_processes(clients: int, per_client: int, make: ClientFactory, *args: Any) -> Run:
    """Each client is its own process (as app workers and client programs are), so the
    figures are not bounded by one interpreter's lock."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(clients + 1)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_process_client, args=(make, c, args, per_client, barrier, out))
        for c in range(clients)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    errors = [detail for status, detail in results if status == "error"]
    if errors:
        raise RuntimeError(f"{len(errors)} benchmark clients failed; first: {errors[0]}")
    latencies = [ms for _, mine in results for ms in mine]
    return Run(clients * per_client, elapsed, latencies)
