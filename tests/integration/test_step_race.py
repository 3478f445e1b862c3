"""Concurrent steps on one document: each either commits whole or is refused whole.

Eight clients record a payment on the same order at once. Every one that is answered
"done" left exactly one payment; every other one was refused as a version conflict and
left nothing; the order's paid amount is the sum of the payments and its event chain
verifies. On SQLite the writers queue; on PostgreSQL they really overlap.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from orderflow.billing.models import Payment
from orderflow.core.errors import VersionMismatch
from orderflow.core.events import verify_chains
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder
from orderflow.sales.service import apply_step, create_order
from tests.factories import make_world, order_data
from tests.races import race

CLIENTS = 8


def test_concurrent_payments_on_one_order_are_all_or_nothing(rt: Runtime) -> None:
    world = make_world(rt)
    order = create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))
    outcome = race(
        CLIENTS,
        lambda: apply_step(
            rt,
            world["finance"],
            order.id,
            "pay",
            {"amount": "10.00", "method": "bank_transfer"},
            expected_version=None,
        ),
        refusals=(VersionMismatch,),
    )
    done = outcome.won
    assert len(done) >= 1  # and, race checks, every other one was refused
    with rt.db.reading() as s:
        payments = s.scalar(
            select(func.count()).select_from(Payment).where(Payment.order_id == order.id)
        )
        saved = s.get(SalesOrder, order.id)
        assert saved is not None
        assert payments == len(done)
        assert saved.paid_amount == Decimal("10.00") * len(done)
        assert verify_chains(s)[1] == []
