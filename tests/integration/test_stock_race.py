"""Eight clients race for the last units: sold equals stock, nothing oversold, no order lost."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import func, select

from orderflow.core.errors import InsufficientStock
from orderflow.inventory.models import Reservation, StockLevel
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data

CLIENTS = 8
ORDERS_EACH = 4
STOCK = 13  # fewer units than the 32 wanted


def test_concurrent_confirmations_never_oversell(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": STOCK})
    data = order_data(rt, world, lines=[{"product_code": "P1", "quantity": "1"}], confirm=True)
    won: list[str] = []
    refused: list[int] = []
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
            except InsufficientStock:
                with lock:
                    refused.append(1)
            except BaseException as exc:
                failures.append(exc)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    assert len(won) == STOCK  # sold = stock
    assert len(won) + len(refused) == CLIENTS * ORDERS_EACH  # every request answered
    assert len(set(won)) == STOCK  # unique numbers
    with rt.db.reading() as s:
        level = s.scalar(select(StockLevel).where(StockLevel.product_id == world.products["P1"]))
        assert level is not None
        assert level.reserved == level.on_hand == Decimal(STOCK)
        assert (
            s.scalar(select(func.count()).select_from(SalesOrder)) == STOCK
        )  # refused ones saved nothing
        assert s.scalar(select(func.sum(Reservation.quantity))) == Decimal(STOCK)
