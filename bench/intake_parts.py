"""Where an order's entry spends its time: the service path of bench/intake.py (3 lines,
created and confirmed, 1 client) with each part timed by a wrapper, on SQLite or
PostgreSQL. Prints one JSON object: milliseconds per order, in all and per part (parts
nest: start_document includes its tasks and events; "ORM flush" is every flush).

    python -m bench.intake_parts --orders 1000 --database sqlite
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.common import fresh_database
from bench.intake import _body, _runtime, _seeded
from orderflow.sales.schemas import OrderCreate

#: (module, attribute, label) of every part timed, patched in the module that calls it
#: (the name it was imported under there).
PARTS = [
    ("sqlalchemy.orm.session", "Session.flush", "ORM flush"),
    ("orderflow.sales.service", "_customer", "customer lookup"),
    ("orderflow.sales.service", "_products", "product lookup"),
    ("orderflow.sales.service", "_classify", "classification"),
    ("orderflow.core.kit", "next_number", "number"),
    ("orderflow.core.kit", "start_document", "start_document (create)"),
    ("orderflow.core.kit", "apply_transition", "apply_transition (confirm)"),
    ("orderflow.core.workflow", "record_event", "events"),
    ("orderflow.core.workflow", "apply_task_rules", "tasks"),
    ("orderflow.sales.effects", "stock", "reservation"),
    ("orderflow.sales.service", "order_read", "response (order_read)"),
    ("orderflow.sales.service", "once", "whole use case (once)"),
]


def _timed(spent: Counter[str], label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    return run


@contextmanager
def _instrumented(spent: Counter[str]) -> Iterator[None]:
    undo: list[tuple[Any, str, Any]] = []
    for module_name, attribute, label in PARTS:
        owner: Any = importlib.import_module(module_name)
        name = attribute
        if "." in attribute:
            cls, name = attribute.split(".")
            owner = getattr(owner, cls)
        original = getattr(owner, name)
        if label == "reservation":  # a module: time its reserve()
            owner, name, original = original, "reserve", original.reserve
        undo.append((owner, name, original))
        setattr(owner, name, _timed(spent, label, original))
    try:
        yield
    finally:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


def measure(kind: str, orders: int) -> dict[str, Any]:
    from orderflow.sales import service

    with fresh_database(kind) as url:
        clerk, customer_id, codes, requested = _seeded(url)
        rt = _runtime(url)
        bodies = [
            OrderCreate.model_validate(_body(requested, customer_id, codes, 0, i))
            for i in range(orders + 50)
        ]
        for body in bodies[:50]:  # warm the caches and the pool
            service.create_order(rt, clerk, body)
        spent: Counter[str] = Counter()
        with _instrumented(spent):
            start = time.perf_counter()
            for body in bodies[50:]:
                service.create_order(rt, clerk, body)
            total = time.perf_counter() - start
        rt.db.dispose()
    per_order = {k: round(v / orders * 1000, 3) for k, v in spent.most_common()}
    return {
        "database": kind,
        "orders": orders,
        "ms_per_order": round(total / orders * 1000, 3),
        "parts_ms": per_order,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.databases.split(","):
        print(json.dumps(measure(kind, args.orders)), flush=True)


if __name__ == "__main__":
    main()
