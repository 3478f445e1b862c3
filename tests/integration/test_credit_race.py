"""Eight clients race for one customer's last credit: what is confirmed never exceeds the limit.

On PostgreSQL two orders checked at the same moment each see the exposure without the
other; only the lock on the customer's row, taken before the final check, keeps them from
both passing. (SQLite's single writer serialises them anyway; the test runs on both.)
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from orderflow.core.errors import ValidationFailed
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data
from tests.races import race

CLIENTS = 8
ORDERS_EACH = 3
LIMIT = Decimal("1000.00")  # room for 3 orders of 300.00, not 4


def test_concurrent_orders_never_exceed_the_credit_limit(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": 1000}, credit_limit=str(LIMIT))
    data = order_data(rt, world, lines=[{"product_code": "P1", "quantity": "3"}], confirm=True)
    outcome = race(
        CLIENTS,
        lambda: create_order(rt, world["sales_clerk"], data).number,
        rounds=ORDERS_EACH,
        refusals=(ValidationFailed,),
    )
    assert len(outcome.won) == 3
    codes = [
        e.code for exc in outcome.refused if isinstance(exc, ValidationFailed) for e in exc.errors
    ]
    assert codes == ["credit_limit"] * (CLIENTS * ORDERS_EACH - 3)
    with rt.db.reading() as s:
        open_total = s.scalar(select(func.sum(SalesOrder.total_amount)))
        assert open_total == Decimal("900.00") <= LIMIT
        assert s.scalar(select(func.count()).select_from(SalesOrder)) == 3
