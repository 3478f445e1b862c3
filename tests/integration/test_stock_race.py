"""Eight clients race for the last units: sold equals stock, nothing oversold, no order lost."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from orderflow.core.errors import InsufficientStock
from orderflow.inventory.models import Reservation, StockLevel
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data
from tests.races import race

CLIENTS = 8
ORDERS_EACH = 4
STOCK = 13  # fewer units than the 32 wanted


def test_concurrent_confirmations_never_oversell(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": STOCK})
    data = order_data(rt, world, lines=[{"product_code": "P1", "quantity": "1"}], confirm=True)
    outcome = race(
        CLIENTS,
        lambda: create_order(rt, world["sales_clerk"], data).number,
        rounds=ORDERS_EACH,
        refusals=(InsufficientStock,),
    )
    won = outcome.won
    assert len(won) == STOCK  # sold = stock; every request was answered (race checks)
    assert len(set(won)) == STOCK  # unique numbers
    with rt.db.reading() as s:
        level = s.scalar(select(StockLevel).where(StockLevel.product_id == world.products["P1"]))
        assert level is not None
        assert level.reserved == level.on_hand == Decimal(STOCK)
        assert (
            s.scalar(select(func.count()).select_from(SalesOrder)) == STOCK
        )  # refused ones saved nothing
        assert s.scalar(select(func.sum(Reservation.quantity))) == Decimal(STOCK)
