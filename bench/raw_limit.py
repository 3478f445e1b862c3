"""The physical limit: the same row writes per order as the service path (header, 3 lines,
3 conditional stock updates, 1 event), with the bare driver, one transaction per order.

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


def _process_writer(client: int, kind: str, url: str) -> Any:
    write = _order_writer(kind, url)
    return lambda i: write(client, i)


def measure(kind: str, orders: int, clients: int) -> dict[str, Any]:
    """Clients as the service path runs them: threads on SQLite, processes on PostgreSQL."""
    with fresh_database(kind) as url:
        _setup(kind, url)
        per_client = max(1, orders // clients)
        if kind == "postgresql" and clients > 1:
            run = run_client_processes(clients, per_client, _process_writer, kind, url)
        else:
            run = run_clients(clients, per_client, _order_writer(kind, url))
        return {"path": "raw", "database": kind, "clients": clients, **run.figures()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.databases.split(","):
        for clients in (1, 8):
            print(json.dumps(measure(kind, args.orders, clients)), flush=True)


if __name__ == "__main__":
    main()
