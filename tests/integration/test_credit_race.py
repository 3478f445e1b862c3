"""Eight clients race for one customer's last credit: what is confirmed never exceeds the limit.

On PostgreSQL two orders checked at the same moment each see the exposure without the
other; only the lock on the customer's row, taken before the final check, keeps them from
both passing. (SQLite's single writer serialises them anyway; the test runs on both.)
"""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import func, select

from orderflow.core.errors import ValidationFailed
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data

CLIENTS = 8
ORDERS_EACH = 3
LIMIT = Decimal("1000.00")  # room for 3 orders of 300.00, not 4


def test_concurrent_orders_never_exceed_the_credit_limit(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": 1000}, credit_limit=str(LIMIT))
    data = order_data(rt, world, lines=[{"product_code": "P1", "quantity": "3"}], confirm=True)
    won: list[str] = []
    refused: list[str] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(CLIENTS)
    lock = threading.Lock()

    def client() -> None:
        barrier.wait()
        for _ in range(ORDERS_EACH):
            try:
                order = create_order(rt, world["sales_clerk"], data)
                with lock:
                    won.append(order.number)
            except ValidationFailed as exc:
                with lock:
                    refused.extend(e.code for e in exc.errors)
            except BaseException as exc:
                failures.append(exc)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert len(won) == 3
    assert refused == ["credit_limit"] * (CLIENTS * ORDERS_EACH - 3)
    with rt.db.reading() as s:
        open_total = s.scalar(select(func.sum(SalesOrder.total_amount)))
        assert open_total == Decimal("900.00") <= LIMIT
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == 3
