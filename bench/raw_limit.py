"""The physical limit: the same row writes per order as the service path (header, 3 lines,
3 conditional stock updates, 1 event), with the bare driver, one transaction per order.

Beside it, the ``stack`` path does the very same writes through OrderFlow's own database
layer (``orderflow.db.Database``: SQLAlchemy Core statements built once, the app's engine,
pool, SQLite write queue and transaction handling) with no business logic at all: what the
stack alone costs per statement, i.e. the ceiling any service path built on it can reach.

    python -m bench.raw_limit --orders 2000
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import threading
from datetime import UTC, datetime
from typing import Any

from bench.common import fresh_database, run_client_processes, run_clients

SCHEMA = [
    "CREATE TABLE raw_orders (id {pk}, number VARCHAR(32), state VARCHAR(32), customer_id INTEGER, total NUMERIC(18,2), created_at TIMESTAMP)",
    "CREATE TABLE raw_lines (id {pk}, order_id INTEGER, product_id INTEGER, quantity NUMERIC(18,4), price NUMERIC(18,2))",
    "CREATE TABLE raw_stock (product_id INTEGER PRIMARY KEY, on_hand NUMERIC(18,4), reserved NUMERIC(18,4))",
    "CREATE TABLE raw_events (id {pk}, document_id INTEGER, seq INTEGER, name VARCHAR(60), payload TEXT, hash VARCHAR(64), at TIMESTAMP)",
]
PRODUCTS = 50


def _sqlite_connect(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def _setup(kind: str, url: str) -> None:
    pk = "INTEGER PRIMARY KEY" if kind == "sqlite" else "SERIAL PRIMARY KEY"
    rows = [(p, 10**9, 0) for p in range(1, PRODUCTS + 1)]
    if kind == "sqlite":
        conn = _sqlite_connect(url.removeprefix("sqlite:///"))
        for stmt in SCHEMA:
            conn.execute(stmt.format(pk=pk))
        conn.executemany("INSERT INTO raw_stock VALUES (?, ?, ?)", rows)
        conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for stmt in SCHEMA:
            conn.execute(stmt.format(pk=pk))
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO raw_stock VALUES (%s, %s, %s)", rows)


def _order_writer(kind: str, url: str) -> Any:
    local = threading.local()

    def connection() -> Any:
        if not hasattr(local, "conn"):
            if kind == "sqlite":
                local.conn = _sqlite_connect(url.removeprefix("sqlite:///"))
            else:
                import psycopg

                local.conn = psycopg.connect(url)
        return local.conn

    ph = "?" if kind == "sqlite" else "%s"

    def one(client: int, i: int) -> None:
        conn = connection()
        now = datetime.now(UTC).isoformat()
        products = [((client * 7 + i * 3 + k) % PRODUCTS) + 1 for k in range(3)]
        if kind == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
        cur = conn.cursor()
        cur.execute(
            f"INSERT INTO raw_orders (number, state, customer_id, total, created_at) VALUES ({ph},{ph},{ph},{ph},{ph}) RETURNING id",
            (f"SO-{client}-{i}", "confirmed", 1, "300.00", now),
        )
        order_id = cur.fetchone()[0]
        for p in sorted(products):
            cur.execute(
                f"INSERT INTO raw_lines (order_id, product_id, quantity, price) VALUES ({ph},{ph},{ph},{ph})",
                (order_id, p, "1", "100.00"),
            )
        for p in sorted(products):
            cur.execute(
                f"UPDATE raw_stock SET reserved = reserved + 1 WHERE product_id = {ph} AND on_hand - reserved >= 1",
                (p,),
            )
            assert cur.rowcount == 1
        cur.execute(
            f"INSERT INTO raw_events (document_id, seq, name, payload, hash, at) VALUES ({ph},{ph},{ph},{ph},{ph},{ph})",
            (order_id, 1, "confirm", "{}", "0" * 64, now),
        )
        conn.commit() if kind != "sqlite" else conn.execute("COMMIT")

    return one


def _stack_writer(kind: str, url: str) -> Any:
    """The same writes as ``_order_writer`` through the app's transaction and engine."""
    from sqlalchemy import text

    from orderflow.db import Database

    db = Database(url)
    header = text(
        "INSERT INTO raw_orders (number, state, customer_id, total, created_at) "
        "VALUES (:number, 'confirmed', 1, 300.00, :at) RETURNING id"
    )
    line = text(
        "INSERT INTO raw_lines (order_id, product_id, quantity, price) "
        "VALUES (:order_id, :product_id, 1, 100.00)"
    )
    reserve = text(
        "UPDATE raw_stock SET reserved = reserved + 1 "
        "WHERE product_id = :product_id AND on_hand - reserved >= 1"
    )
    event = text(
        "INSERT INTO raw_events (document_id, seq, name, payload, hash, at) "
        "VALUES (:document_id, 1, 'confirm', '{}', :hash, :at)"
    )

    def one(client: int, i: int) -> None:
        now = datetime.now(UTC)
        products = sorted(((client * 7 + i * 3 + k) % PRODUCTS) + 1 for k in range(3))
        with db.transaction() as session:
            conn = session.connection()
            order_id = conn.execute(header, {"number": f"SO-{client}-{i}", "at": now}).scalar()
            for p in products:
                conn.execute(line, {"order_id": order_id, "product_id": p})
            for p in products:
                assert conn.execute(reserve, {"product_id": p}).rowcount == 1
            conn.execute(event, {"document_id": order_id, "hash": "0" * 64, "at": now})

    return one


_WRITERS = {"raw": _order_writer, "stack": _stack_writer}


def _process_writer(client: int, kind: str, url: str, path: str = "raw") -> Any:
    write = _WRITERS[path](kind, url)
    return lambda i: write(client, i)


def measure(kind: str, orders: int, clients: int, path: str = "raw") -> dict[str, Any]:
    """Clients as the service path runs them: threads on SQLite, processes on PostgreSQL.
    ``path``: "raw" (the bare driver) or "stack" (OrderFlow's database layer)."""
    with fresh_database(kind) as url:
        _setup(kind, url)
        per_client = max(1, orders // clients)
        if kind == "postgresql" and clients > 1:
            run = run_client_processes(clients, per_client, _process_writer, kind, url, path)
        else:
            run = run_clients(clients, per_client, _WRITERS[path](kind, url))
        return {"path": path, "database": kind, "clients": clients, **run.figures()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.databases.split(","):
        for clients in (1, 8):
            for path in _WRITERS:
                print(json.dumps(measure(kind, args.orders, clients, path)), flush=True)


if __name__ == "__main__":
    main()
