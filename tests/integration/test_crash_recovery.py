"""The server is killed (SIGKILL) with orders in flight; clients retry with their keys.

Afterwards every request has exactly one order, complete (lines, reservations, events), the
stock reserved equals what the orders hold, and every event chain verifies: a crash
mid-request neither loses nor doubles an order or a stock movement.

On PostgreSQL the kill lands deterministically inside the transactions: the test holds the
stock row locked, so each request has written its order, lines, event and task and waits
on the reservation when the server dies. On SQLite (one writer at a time) the server is
killed under a steady load of eight clients instead.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx2 as httpx
from sqlalchemy import func, select, text

from orderflow.core.events import Event, verify_chains
from orderflow.core.idempotency import IdempotencyRecord
from orderflow.inventory.models import Reservation, StockLevel
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder, SalesOrderLine
from tests.factories import PASSWORD, World, make_world

QUANTITY = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(url: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = _free_port()
    env = {
        **os.environ,
        "ORDERFLOW_DATABASE_URL": url,
        "ORDERFLOW_SECRET_KEY": "crash-test-secret-0123456789",
        "ORDERFLOW_EMBEDDED_WORKER": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "orderflow", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start")
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _client(base: str) -> httpx.Client:
    token = httpx.post(
        base + "/api/v1/auth/token", json={"username": "sales_clerk", "password": PASSWORD}
    ).json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _body(world: World) -> dict[str, Any]:
    return {
        "channel": "api",
        "customer_id": world.customer_id,
        "confirm": True,
        "requested_date": (datetime.now(UTC).date() + timedelta(days=30)).isoformat(),
        "lines": [{"product_code": "P1", "quantity": str(QUANTITY)}],
    }


def _post(http: httpx.Client, world: World, key: str) -> int | None:
    """The order's id, or None when the server never answered."""
    try:
        answer = http.post("/api/v1/orders", json=_body(world), headers={"Idempotency-Key": key})
    except httpx.TransportError:
        return None
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def _retry_all(base: str, world: World, keys: list[str]) -> dict[str, int]:
    """Every key once more on the restarted server: each answers its one order."""
    ids = {}
    with _client(base) as http:
        for key in keys:
            order_id = _post(http, world, key)
            assert order_id is not None
            ids[key] = order_id
    return ids


def _assert_whole(rt: Runtime, world: World, ids: dict[str, int]) -> None:
    assert len(set(ids.values())) == len(ids)  # one order per key, none shared
    with rt.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == len(ids)
        assert s.scalar(select(func.count()).select_from(IdempotencyRecord)) == len(ids)
        assert s.scalar(select(func.count()).select_from(SalesOrderLine)) == len(ids)
        held = Decimal(QUANTITY * len(ids))
        assert s.scalar(select(func.sum(Reservation.quantity))) == held
        level = s.scalar(select(StockLevel).where(StockLevel.product_id == world.products["P1"]))
        assert level is not None and level.reserved == held
        states = set(s.scalars(select(SalesOrder.state)))
        assert states == {"confirmed"}
        # Each order has its create and confirm events, and every chain is intact.
        per_order = s.execute(
            select(Event.document_id, func.count())
            .where(Event.document_type == "sales_order")
            .group_by(Event.document_id)
        ).all()
        assert sorted(n for _, n in per_order) == [2] * len(ids)
        checked, problems = verify_chains(s)
        assert problems == [] and checked >= 2 * len(ids)


def _kill_while_waiting_on_stock(rt: Runtime, world: World, base: str, proc: Any) -> list[str]:
    """PostgreSQL: four requests block on the stock row the test holds; then SIGKILL."""
    keys = [f"crash-{i}" for i in range(4)]
    http = _client(base)  # shared by the request threads, closed at the end
    answers: list[int | None] = []
    threads = [
        threading.Thread(target=lambda k=k: answers.append(_post(http, world, k))) for k in keys
    ]
    with rt.db.engine.connect() as holder:
        holder.execute(
            text("SELECT id FROM stock_levels WHERE product_id = :p FOR UPDATE"),
            {"p": world.products["P1"]},
        )
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        waiting = 0
        while waiting < len(keys) and time.monotonic() < deadline:
            time.sleep(0.05)
            with rt.db.engine.connect() as probe:
                waiting = probe.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                ).scalar_one()
        assert waiting == len(keys), "the requests never reached the reservation"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        holder.rollback()
    for t in threads:
        t.join(timeout=30)
    http.close()
    assert answers == [None] * len(keys)  # none was answered: all died mid-transaction
    # The dead server's transactions can never commit: nothing of them is there.
    with rt.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == 0
        assert s.scalar(select(func.count()).select_from(Event)) == 0
    return keys


def _kill_under_load(world: World, base: str, proc: Any, answered: dict[str, int]) -> list[str]:
    """SQLite: eight clients enter orders until the server is killed mid-stream."""
    sent: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(c: int) -> None:
        with _client(base) as http:
            for i in range(10_000):
                key = f"load-{c}-{i}"
                with lock:
                    sent.append(key)
                order_id = _post(http, world, key)
                if order_id is None or stop.is_set():
                    return
                answered[key] = order_id

    threads = [threading.Thread(target=client, args=(c,)) for c in range(8)]
    for t in threads:
        t.start()
    while len(sent) < 40:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    return sent


def test_a_killed_server_loses_and_doubles_nothing(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": 100_000})
    answered: dict[str, int] = {}
    with _server(rt.db.url) as (proc, base):
        if rt.db.dialect == "postgresql":
            keys = _kill_while_waiting_on_stock(rt, world, base, proc)
        else:
            keys = _kill_under_load(world, base, proc, answered)
    with _server(rt.db.url) as (_, base):
        ids = _retry_all(base, world, keys)
    # A retry of a request answered before the crash answers that same order.
    assert {k: ids[k] for k in answered} == answered
    _assert_whole(rt, world, ids)
