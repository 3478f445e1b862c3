"""Order intake: N orders of 3 lines created and confirmed (stock reserved), through the
service layer and through HTTP, on SQLite and PostgreSQL, with 1 and 8 clients; beside the
raw driver limit on the same database in the same run, and the same raw writes through
OrderFlow's database layer ("stack", bench/raw_limit.py).

Each database is driven the way it is deployed (docs/benchmarks.md): SQLite by one
process (its writers queue on one lock; several processes would only meet SQLite's busy
handler), PostgreSQL by several (app processes are stateless). So with 8 clients the
SQLite service path runs 8 threads in one process, the PostgreSQL one 8 processes; the
HTTP server runs 1 worker on SQLite and one per core on PostgreSQL; HTTP clients are
separate processes.

    python -m bench.intake --orders 2000          # prints one JSON object per line
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

import httpx2 as httpx

from bench import raw_limit
from bench.common import fresh_database, run_client_processes, run_clients
from bench.seed import PASSWORD, seed
from orderflow.config import Settings
from orderflow.migrate import upgrade
from orderflow.runtime import Principal, Runtime
from orderflow.sales.schemas import OrderCreate
from orderflow.sales.service import create_order

SECRET = "bench-secret-key-0123456789"


def _body(
    requested: str, customer_id: int, codes: list[str], client: int, i: int
) -> dict[str, Any]:
    picks = sorted({codes[(client * 7 + i * 3 + k) % len(codes)] for k in range(3)})
    while len(picks) < 3:
        picks.append(codes[(codes.index(picks[-1]) + 1) % len(codes)])
    return {
        "channel": "api",
        "customer_id": customer_id,
        "confirm": True,
        "requested_date": requested,
        "lines": [{"product_code": c, "quantity": "1"} for c in picks],
    }


def _runtime(url: str) -> Runtime:
    return Runtime.from_settings(
        Settings(database_url=url, secret_key=SECRET, embedded_worker=False)
    )


def _seeded(url: str) -> tuple[Principal, int, list[str], str]:
    upgrade(url)
    rt = _runtime(url)
    clerk, customer_id, codes = seed(rt)
    requested = (rt.today() + timedelta(days=10)).isoformat()
    rt.db.dispose()
    return clerk, customer_id, codes, requested


def _service_client(
    client: int, url: str, clerk: Principal, customer_id: int, codes: list[str], requested: str
) -> Any:
    """One service-layer client in its own process, with its own runtime and pool."""
    rt = _runtime(url)

    def one(i: int) -> None:
        create_order(
            rt, clerk, OrderCreate.model_validate(_body(requested, customer_id, codes, client, i))
        )

    return one


def service_path(kind: str, orders: int, clients: int) -> dict[str, Any]:
    with fresh_database(kind) as url:
        clerk, customer_id, codes, requested = _seeded(url)
        per_client = orders // clients
        if kind == "postgresql" and clients > 1:
            run = run_client_processes(
                clients, per_client, _service_client, url, clerk, customer_id, codes, requested
            )
            mode = f"{clients} processes"
        else:
            rt = _runtime(url)
            bodies = {
                (c, i): OrderCreate.model_validate(_body(requested, customer_id, codes, c, i))
                for c in range(clients)
                for i in range(per_client)
            }
            run = run_clients(
                clients, per_client, lambda c, i: create_order(rt, clerk, bodies[(c, i)])
            )
            rt.db.dispose()
            mode = f"{clients} threads, 1 process"
        return {
            "path": "service",
            "database": kind,
            "clients": clients,
            "mode": mode,
            **run.figures(),
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _http_client(
    client: int, base: str, token: str, customer_id: int, codes: list[str], requested: str
) -> Any:
    http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})

    def one(i: int) -> None:
        answer = http.post("/api/v1/orders", json=_body(requested, customer_id, codes, client, i))
        if answer.status_code != 201:
            raise RuntimeError(answer.text)

    return one


def http_path(kind: str, orders: int, clients: int) -> dict[str, Any]:
    workers = 1 if kind == "sqlite" else (os.cpu_count() or 1)
    with fresh_database(kind) as url:
        _, customer_id, codes, requested = _seeded(url)
        port = _free_port()
        env = {
            **os.environ,
            "ORDERFLOW_DATABASE_URL": url,
            "ORDERFLOW_EMBEDDED_WORKER": "false",
            "ORDERFLOW_SECRET_KEY": SECRET,
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "orderflow", "serve", "--port", str(port)]
            + ["--workers", str(workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            token = httpx.post(
                base + "/api/v1/auth/token", json={"username": "sales_clerk", "password": PASSWORD}
            ).json()["access_token"]
            args = (base, token, customer_id, codes, requested)
            per_client = orders // clients
            if clients == 1:
                one = _http_client(0, *args)
                run = run_clients(1, per_client, lambda c, i: one(i))
            else:
                run = run_client_processes(clients, per_client, _http_client, *args)
            return {
                "path": "http",
                "database": kind,
                "clients": clients,
                "mode": f"{workers} server process(es), {clients} client process(es)",
                **run.figures(),
            }
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--http-orders", type=int, default=800)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.databases.split(","):
        for clients in (1, 8):
            raw = raw_limit.measure(kind, args.orders, clients)
            stack = raw_limit.measure(kind, args.orders, clients, "stack")
            svc = service_path(kind, args.orders, clients)
            svc["share_of_raw"] = round(svc["orders_per_s"] / raw["orders_per_s"], 3)
            # The same writes through OrderFlow's own database layer: the share of raw that
            # the stack itself leaves to any service built on it.
            stack["share_of_raw"] = round(stack["orders_per_s"] / raw["orders_per_s"], 3)
            for line in (raw, stack, svc):
                print(json.dumps(line), flush=True)
            print(json.dumps(http_path(kind, args.http_orders, clients)), flush=True)


if __name__ == "__main__":
    main()
