"""Shipping and confirming orders that share products never deadlock (PostgreSQL row locks).

Confirmation reserves stock rows in product order. A shipment whose lines list the same
products the other way round must issue them in product order too, or the two wait on
each other in a circle and PostgreSQL kills one with a deadlock error.
"""

from __future__ import annotations

import threading

from orderflow.runtime import Runtime
from orderflow.sales.service import apply_step, create_order
from tests.factories import make_world, order_data

ROUNDS = 6
# Lines in reverse product order: P2 first, then P1.
LINES = [{"product_code": "P2", "quantity": "1"}, {"product_code": "P1", "quantity": "1"}]


def test_shipments_and_confirmations_lock_stock_in_one_order(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": 500, "P2": 500})
    confirmed = [
        create_order(rt, world["sales_clerk"], order_data(rt, world, lines=LINES, confirm=True))
        for _ in range(2 * ROUNDS)
    ]
    drafts = [
        create_order(rt, world["sales_clerk"], order_data(rt, world, lines=LINES))
        for _ in range(2 * ROUNDS)
    ]
    failures: list[BaseException] = []
    barrier = threading.Barrier(4)

    def run(work: list[tuple[str, int]]) -> None:
        barrier.wait()
        for step, order_id in work:
            try:
                if step == "ship":
                    apply_step(
                        rt,
                        world["logistics"],
                        order_id,
                        "ship",
                        {"carrier": "SF"},
                        expected_version=None,
                    )
                else:
                    apply_step(
                        rt, world["sales_clerk"], order_id, "confirm", {}, expected_version=None
                    )
            except BaseException as exc:
                failures.append(exc)

    ships = [("ship", o.id) for o in confirmed]
    confirms = [("confirm", o.id) for o in drafts]
    threads = [
        threading.Thread(target=run, args=(work,))
        for work in (ships[::2], ships[1::2], confirms[::2], confirms[1::2])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
