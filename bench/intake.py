"""Order intake: N orders of 3 lines created and confirmed (stock reserved), through the
service layer and through HTTP, on SQLite and PostgreSQL, with 1 and 8 clients; beside the
raw driver limit on the same database in the same run.

    python -m bench.intake --orders 2000          # prints one JSON object per line
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from typing import Any

import httpx2 as httpx

from bench import raw_limit
from bench.common import fresh_database, run_clients
from bench.seed import PASSWORD, seed
from orderflow.config import Settings
from orderflow.migrate import upgrade
from orderflow.runtime import Runtime
from orderflow.sales.schemas import OrderCreate
from orderflow.sales.service import create_order


def _body(rt: Runtime, customer_id: int, codes: list[str], client: int, i: int) -> dict[str, Any]:
    picks = sorted({codes[(client * 7 + i * 3 + k) % len(codes)] for k in range(3)})
    while len(picks) < 3:
        picks.append(codes[(codes.index(picks[-1]) + 1) % len(codes)])
    return {
        "channel": "api",
        "customer_id": customer_id,
        "confirm": True,
        "requested_date": (rt.today() + timedelta(days=10)).isoformat(),
        "lines": [{"product_code": c, "quantity": "1"} for c in picks],
    }


def _runtime(url: str) -> Runtime:
    upgrade(url)
    return Runtime.from_settings(
        Settings(database_url=url, secret_key="bench-secret-key-0123456789", embedded_worker=False)
    )


def service_path(kind: str, orders: int, clients: int) -> dict[str, Any]:
    with fresh_database(kind) as url:
        rt = _runtime(url)
        clerk, customer_id, codes = seed(rt)
        bodies = {
            (c, i): OrderCreate.model_validate(_body(rt, customer_id, codes, c, i))
            for c in range(clients)
            for i in range(orders // clients)
        }
        run = run_clients(
            clients, orders // clients, lambda c, i: create_order(rt, clerk, bodies[(c, i)])
        )
        rt.db.dispose()
        return {"path": "service", "database": kind, "clients": clients, **run.figures()}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_path(kind: str, orders: int, clients: int) -> dict[str, Any]:
    with fresh_database(kind) as url:
        rt = _runtime(url)
        _, customer_id, codes = seed(rt)
        rt.db.dispose()
        port = _free_port()
        env = {
            **os.environ,
            "ORDERFLOW_DATABASE_URL": url,
            "ORDERFLOW_EMBEDDED_WORKER": "false",
            "ORDERFLOW_SECRET_KEY": "bench-secret-key-0123456789",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "orderflow.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            token = httpx.post(
                base + "/api/v1/auth/token", json={"username": "sales_clerk", "password": PASSWORD}
            ).json()["access_token"]
            local = threading.local()

            def one(c: int, i: int) -> None:
                if not hasattr(local, "client"):
                    local.client = httpx.Client(
                        base_url=base, headers={"Authorization": f"Bearer {token}"}
                    )
                answer = local.client.post(
                    "/api/v1/orders", json=_body(rt, customer_id, codes, c, i)
                )
                if answer.status_code != 201:
                    raise RuntimeError(answer.text)

            run = run_clients(clients, orders // clients, one)
            return {"path": "http", "database": kind, "clients": clients, **run.figures()}
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
            svc = service_path(kind, args.orders, clients)
            svc["share_of_raw"] = round(svc["orders_per_s"] / raw["orders_per_s"], 3)
            print(json.dumps(raw), flush=True)
            print(json.dumps(svc), flush=True)
            print(json.dumps(http_path(kind, args.http_orders, clients)), flush=True)


if __name__ == "__main__":
    main()
