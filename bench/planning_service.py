"""The loaded plan in a real database: store a generated plan run in a fresh SQLite file
(the same rows ``orderflow planning run`` writes) and time the ``promise_date`` port —
what review and change handling call — with its database reads, one session per call."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from orderflow.auth.models import User
from orderflow.catalog.models import Product
from orderflow.config import Settings
from orderflow.core import ports
from orderflow.migrate import upgrade
from orderflow.org.models import Company
from orderflow.parties.models import Customer
from orderflow.planning import snapshot
from orderflow.planning.engine import PlanInput, PlanResult
from orderflow.planning.service import store
from orderflow.production.models import BomLine, RoutingStep, WorkCentre
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def _rows(data: PlanInput, orders: int) -> dict[Any, list[dict[str, Any]]]:
    companies = [
        {"id": c, "code": f"B{c}", "name": f"Bench {c}", "group_code": "BENCH", "currency": "CNY"}
        for c in (1, 2)
    ]
    products = [
        {
            "id": item.product_id,
            "company_id": 1,
            "code": item.code,
            "name": item.code,
            "model_spec": "",
            "unit": "pcs",
            "kind": "finished" if item.steps else "raw",
            "active": True,
            "lead_time_days": item.lead_time_days,
            "created_at": NOW,
        }
        for item in data.items.values()
    ]
    bom = [
        {
            "company_id": 1,
            "product_id": item.product_id,
            "line_no": n,
            "component_id": c.product_id,
            "quantity": c.quantity,
            "overage": c.overage,
            "note": "",
        }
        for item in data.items.values()
        for n, c in enumerate(item.components, start=1)
    ]
    routing = [
        {
            "company_id": 1,
            "product_id": item.product_id,
            "seq": step.seq,
            "name": f"op {step.seq}",
            "work_centre_id": step.work_centre_id,
            "setup_minutes": step.setup_minutes,
            "run_minutes": step.run_minutes,
        }
        for item in data.items.values()
        for step in item.steps
    ]
    centres = [
        {
            "id": wc.id,
            "company_id": 1,
            "code": wc.code,
            "name": wc.code,
            "units": wc.units,
            "shifts": [
                f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in wc.periods
            ],
            "closed_days": [],
            "hourly_rate": Decimal(0),
            "active": True,
            "created_at": NOW,
        }
        for wc in data.work_centres
    ]
    sales = [
        {
            "id": o,
            "company_id": 1,
            "number": f"SO-2026-{o:06d}",
            "state": "confirmed",
            "version": 1,
            "event_seq": 0,
            "event_hash": "",
            "created_at": NOW,
            "updated_at": NOW,
            "channel": "api",
            "customer_id": 1,
            "contact_name": "",
            "contact_phone": "",
            "contact_email": "",
            "delivery_address": "-",
            "requested_date": data.today,
            "promised_date": None,
            "payment_terms_days": 30,
            "priority": "normal",
            "notes": "",
            "technical_requirements": "",
            "quality_requirements": "",
            "currency": "CNY",
            "total_amount": Decimal(0),
            "invoiced_amount": Decimal(0),
            "paid_amount": Decimal(0),
            "owner_id": None,
            "handler_id": None,
            "created_by_id": None,
            "split_from_id": None,
            "shortage_decision": None,
        }
        for o in range(1, orders + 1)
    ]
    return {
        Company: companies,
        Product: products,
        BomLine: bom,
        WorkCentre: centres,
        RoutingStep: routing,
        SalesOrder: sales,
    }


def store_and_promise(data: PlanInput, result: PlanResult, promises: int) -> dict[str, Any]:
    orders = max(d.order_id for d in data.demands)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/plan.db"
        upgrade(url)
        rt = Runtime.from_settings(
            Settings(
                database_url=url, secret_key="bench-secret-key-0123456789", embedded_worker=False
            ),
            clock=lambda: NOW,
        )
        rows = _rows(data, orders)
        with rt.db.transaction() as s:
            for model in (Company, Product, WorkCentre, BomLine, RoutingStep):
                s.execute(insert(model.__table__), rows[model])
            s.add(
                Customer(
                    id=1,
                    company_id=1,
                    code="C",
                    name="C",
                    credit_limit=Decimal(0),
                    created_at=NOW,
                    active=True,
                )
            )
            s.add(
                User(
                    id=1,
                    company_id=1,
                    username="planner",
                    display_name="planner",
                    password_hash="-",
                    roles=["planner"],
                    created_at=NOW,
                )
            )
            s.flush()
            for start in range(0, len(rows[SalesOrder]), 5000):
                s.execute(insert(SalesOrder.__table__), rows[SalesOrder][start : start + 5000])
        products = snapshot.Products(
            canonical={pid: pid for pid in data.items},
            local={(c, pid): pid for c in (1, 2) for pid in data.items},
            codes={pid: item.code for pid, item in data.items.items()},
        )
        snap = snapshot.Snapshot(data, "BENCH", [1, 2], products, {}, [])
        me = Principal(1, "planner", "planner", 1, frozenset({"planner"}))
        centres = {wc.id: wc.code for wc in data.work_centres}
        start = time.perf_counter()
        with rt.db.transaction() as s:
            store(s, me, snap, result, centres, now=NOW)
        persist = time.perf_counter() - start
        rng = random.Random(11)
        finished = [
            pid for pid, item in data.items.items() if item.steps and item.components and pid < 500
        ]
        latencies = []
        for _ in range(promises):
            query = ports.PromiseQuery(
                company_id=1,
                lines=tuple(
                    ports.PromiseLine(rng.choice(finished), Decimal(rng.randint(1, 10)))
                    for _ in range(3)
                ),
            )
            t = time.perf_counter()
            with rt.db.reading() as s:
                ports.promise_date(s, rt, query)
            latencies.append((time.perf_counter() - t) * 1000)
        rt.db.dispose()
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100, method="inclusive")
    return {
        "persist_seconds": round(persist, 3),
        "service_promise_p50_ms": round(q[49], 2),
        "service_promise_p95_ms": round(q[94], 2),
        "service_promise_max_ms": round(lat[-1], 2),
    }
