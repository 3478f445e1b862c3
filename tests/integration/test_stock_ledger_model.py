"""The stock ledger under concurrent receipts, reservations, shipments, transfers and
write-offs, as a Hypothesis stateful model on both databases.

Every operation goes through the real use case (a purchase order's receipt and its
incoming inspection, an order confirmed and shipped, a transfer requested, shipped by the
sister company and received, an adjustment). Some run alone, some several at once in
threads; each reports what it changed, or that it was refused (not enough stock, or a
concurrent step on the same document won). After every step the books must balance:
every balance is the sum of its moves, on-hand is the storage, reserved is the
reservations, and every quantity is where the model says the successful operations put it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from orderflow.catalog.models import Product, ProductKind
from orderflow.core import ports
from orderflow.core.errors import OrderFlowError
from orderflow.core.events import SYSTEM
from orderflow.inventory import ledger
from orderflow.inventory.models import LocationStock, StockLevel
from orderflow.inventory.schemas import StockAdjustment
from orderflow.inventory.warehouses import adjust
from orderflow.procurement import service as purchasing
from orderflow.quality import service as quality
from orderflow.runtime import Runtime
from orderflow.sales.service import apply_step, create_order
from orderflow.warehouse import service as warehouse
from tests.conftest import wipe
from tests.factories import make_world, order_data
from tests.supply_factories import add_sister, add_suppliers

D = Decimal
START, SISTER_START = 20, 30

Op = Callable[[], dict[str, Decimal] | None]


@dataclass
class Books:
    """What the model expects, from the operations that succeeded."""

    accepted: Decimal = D(0)
    rejected: Decimal = D(0)
    reserved: Decimal = D(0)
    shipped: Decimal = D(0)
    transferred: Decimal = D(0)
    scrapped: Decimal = D(0)
    unshipped: list[tuple[int, Decimal]] = field(default_factory=list)

    def apply(self, delta: dict[str, Any]) -> None:
        for key, value in delta.items():
            if key == "order":
                self.unshipped.append(value)
            else:
                setattr(self, key, getattr(self, key) + value)


def run_all(ops: list[Op]) -> list[dict[str, Decimal] | None]:
    """Start every operation at the same moment; collect what each did."""
    results: list[dict[str, Decimal] | None] = [None] * len(ops)
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(ops))

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = ops[i]()
        except BaseException as exc:  # surfaced below: a crash is a failed test
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(ops))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return results


def make_machine(rt: Runtime) -> type[RuleBasedStateMachine]:
    class StockLedger(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            wipe(rt)
            world = make_world(rt, stock={"P1": START})
            add_suppliers(rt, world)
            sister = add_sister(rt, world, raw=0)
            with rt.db.transaction() as s:
                twin = Product(
                    company_id=sister["company"],
                    code="P1",
                    name="Product P1",
                    kind=ProductKind.FINISHED,
                    created_at=rt.now(),
                )
                s.add(twin)
                s.flush()
                ledger.receive(
                    s,
                    warehouse_id=sister["warehouse"],
                    product_id=twin.id,
                    quantity=D(SISTER_START),
                    reason="opening_balance",
                    at=rt.now(),
                )
            self.world, self.sister, self.books = world, sister, Books()
            self.po = self._placed_order()

        def _placed_order(self) -> int:
            from orderflow.procurement.schemas import OrderCreate

            po = purchasing.create_order(
                rt,
                self.world["procurement"],
                OrderCreate(
                    supplier_code="S1",
                    due_date=rt.today() + timedelta(days=20),
                    lines=[{"product_code": "P1", "quantity": "100000", "unit_price": "1"}],
                ),
            )
            purchasing.order_step(
                rt,
                self.world["procurement"],
                po.id,
                "submit",
                {"no_transfer_reason": "model"},
                expected_version=None,
            )
            purchasing.order_step(
                rt, self.world["procurement_manager"], po.id, "approve", {}, expected_version=None
            )
            return po.id

        # --- operations (each returns what it changed, or None if refused) ---------------

        def receive(self, qty: int, reject: int) -> Op:
            def op() -> dict[str, Decimal] | None:
                try:
                    po = purchasing.order_step(
                        rt,
                        self.world["warehouse"],
                        self.po,
                        "receive",
                        {"lines": [{"line_no": 1, "quantity": str(qty)}]},
                        expected_version=None,
                    )
                except OrderFlowError:
                    return None  # a concurrent receipt on the same order won the claim
                number = po.receipts[-1].lines[0].inspection_number
                insp = quality.list_inspections(rt, self.world["quality"], q=number)[0][0]
                quality.inspection_step(
                    rt,
                    self.world["quality"],
                    insp.id,
                    "record",
                    {
                        "defective": 1 if reject else 0,
                        "findings": [{"defect": "dimension"}] if reject else [],
                        "rejected_quantity": str(reject),
                    },
                    expected_version=None,
                )
                return {"accepted": D(qty - reject), "rejected": D(reject)}

            return op

        def reserve(self, qty: int) -> Op:
            def op() -> dict[str, Any] | None:
                data = order_data(
                    rt,
                    self.world,
                    lines=[{"product_code": "P1", "quantity": str(qty)}],
                    confirm=True,
                )
                try:
                    order = create_order(rt, self.world["sales_clerk"], data)
                except OrderFlowError:
                    return None
                return {"reserved": D(qty), "order": (order.id, D(qty))}

            return op

        def ship(self, order: tuple[int, Decimal]) -> Op:
            def op() -> dict[str, Decimal] | None:
                apply_step(
                    rt,
                    self.world["logistics"],
                    order[0],
                    "ship",
                    {"carrier": "SF"},
                    expected_version=None,
                )
                return {"shipped": order[1], "reserved": -order[1]}

            return op

        def transfer(self, qty: int) -> Op:
            def op() -> dict[str, Decimal] | None:
                try:
                    with rt.db.transaction() as s:
                        (number,) = ports.request_transfers(
                            s,
                            rt,
                            [
                                ports.TransferNeed(
                                    self.sister["company"],
                                    self.world.company_id,
                                    self.world.products["P1"],
                                    D(qty),
                                    rt.today(),
                                    None,
                                )
                            ],
                            SYSTEM,
                        )
                        tr_id = s.scalar(
                            select(warehouse.TransferOrder.id).where(
                                warehouse.TransferOrder.number == number
                            )
                        )
                except OrderFlowError:
                    return None  # the sister company has not that much free to hold
                # Agreed, the goods are held for it: shipping can no longer be refused.
                for user, step in (("sister_warehouse", "ship"), ("warehouse", "receive")):
                    warehouse.step(
                        rt, self.world[user], "transfers", tr_id, step, {}, expected_version=None
                    )
                return {"transferred": D(qty)}

            return op

        def scrap(self, qty: int) -> Op:
            def op() -> dict[str, Decimal] | None:
                try:
                    with rt.db.transaction() as s:
                        adjust(
                            s,
                            rt,
                            self.world["warehouse"],
                            StockAdjustment(
                                warehouse_code="W1",
                                product_code="P1",
                                quantity=D(-qty),
                                reason="scrap",
                            ),
                        )
                except OrderFlowError:
                    return None  # would eat into what orders hold
                return {"scrapped": D(qty)}

            return op

        def _ops(self, draw: Any) -> list[Op]:
            ops: list[Op] = []
            for kind, qty in draw:
                if kind == "receive":
                    ops.append(self.receive(qty, qty // 3))
                elif kind == "reserve":
                    ops.append(self.reserve(qty))
                elif kind == "transfer":
                    ops.append(self.transfer(qty))
                elif kind == "scrap":
                    ops.append(self.scrap(qty))
                elif kind == "ship" and self.books.unshipped:
                    ops.append(self.ship(self.books.unshipped.pop(0)))
            return ops

        # --- rules ------------------------------------------------------------------------

        @rule(
            batch=st.lists(
                st.tuples(
                    st.sampled_from(["receive", "reserve", "transfer", "scrap", "ship"]),
                    st.integers(1, 12),
                ),
                min_size=1,
                max_size=4,
            )
        )
        def at_once(self, batch: list[tuple[str, int]]) -> None:
            ops = self._ops(batch)
            if not ops:
                return
            for delta in run_all(ops) if len(ops) > 1 else [ops[0]()]:
                if delta:
                    self.books.apply(delta)

        # --- the books ----------------------------------------------------------------------

        @invariant()
        def the_books_balance(self) -> None:
            b = self.books
            wh, p1 = self.world.warehouse_id, self.world.products["P1"]
            with rt.db.reading() as s:
                assert ledger.check(s) == []
                level = s.execute(
                    select(StockLevel.on_hand, StockLevel.reserved).where(
                        StockLevel.warehouse_id == wh, StockLevel.product_id == p1
                    )
                ).one()
                sister = s.scalar(
                    select(StockLevel.on_hand).where(
                        StockLevel.warehouse_id == self.sister["warehouse"]
                    )
                )
                locations = ledger.locations_of(s, wh)
                held = dict(
                    s.execute(
                        select(LocationStock.location_id, LocationStock.quantity).where(
                            LocationStock.product_id == p1
                        )
                    ).all()
                )
            assert level.on_hand == START + b.accepted + b.transferred - b.shipped - b.scrapped
            assert level.reserved == b.reserved
            assert D(held.get(locations["REJ"].id, 0)) == b.rejected
            assert D(held.get(locations["QC"].id, 0)) == 0
            assert sister == SISTER_START - b.transferred

    return StockLedger


def test_the_stock_ledger_balances_under_concurrent_operations(rt: Runtime) -> None:
    machine = make_machine(rt)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=6,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            database=None,
        ),
    )
