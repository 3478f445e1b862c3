"""The document kit every area builds on: a fact recorded on a document without a step,
and a new document written by Core INSERTs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, update

from orderflow.catalog.models import Product
from orderflow.core.errors import VersionMismatch
from orderflow.core.events import SYSTEM, verify_chains
from orderflow.core.persist import insert_new
from orderflow.core.tasks import DONE, Task, apply_task_rules
from orderflow.parties.models import Customer
from orderflow.policy.loader import TaskRule
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder, SalesOrderLine
from orderflow.sales.service import ORDERS, apply_step, create_order, order_events
from tests.factories import make_world, order_data


def test_a_fact_is_on_the_timeline_and_closes_the_tasks_it_names(rt: Runtime) -> None:
    # Given a policy in which the fact "production_released" closes the shipping task
    rule = next(r for r in rt.policy.tasks if r.kind == "ship_order")
    closing = TaskRule(**{**rule.model_dump(), "close_on": [*rule.close_on, "production_released"]})
    rt = replace(rt, policy=rt.policy.model_copy(update={"tasks": [*rt.policy.tasks, closing]}))
    world = make_world(rt)
    order = create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))

    # When another document reports the fact on the order
    with rt.db.transaction() as s:
        doc = ORDERS.load(s, world["sales_clerk"], order.id)
        ORDERS.fact(s, rt, doc, "production_released", actor=SYSTEM, payload={"by": "PO-1"})

    # Then the order's state is unchanged, its version moved on, the event is chained
    events = order_events(rt, world["sales_clerk"], order.id)
    assert (events[-1].name, events[-1].from_state, events[-1].to_state) == (
        "production_released",
        "confirmed",
        "confirmed",
    )
    assert events[-1].payload == {"by": "PO-1"}
    with rt.db.reading() as s:
        assert verify_chains(s)[1] == []
        kinds = dict(
            s.execute(select(Task.kind, Task.state).where(Task.document_id == order.id)).all()
        )
    assert kinds["ship_order"] == DONE
    # and a client holding the old version is refused
    with pytest.raises(VersionMismatch):
        apply_step(
            rt,
            world["logistics"],
            order.id,
            "ship",
            {"carrier": "SF"},
            expected_version=order.version,
        )


def test_a_kind_already_open_is_not_opened_twice(rt: Runtime) -> None:
    world = make_world(rt)
    order = create_order(rt, world["sales_clerk"], order_data(rt, world))
    with rt.db.transaction() as s:
        doc = ORDERS.load(s, world["sales_clerk"], order.id)
        # "create" opened handle_order; the same signal again must leave that one task.
        again = apply_task_rules(
            s,
            policy=rt.policy,
            doc=doc,
            signals={"create"},
            now=rt.now(),
            actor_id=None,
            assignee_for=lambda d, r: None,
            resolvers={},
        )
    assert again.opened == []
    with rt.db.reading() as s:
        kinds = s.scalars(
            select(Task.kind).where(Task.document_id == order.id, Task.state == "open")
        ).all()
    assert kinds == ["handle_order"]


def test_a_new_document_is_written_by_core_and_left_as_a_flush_leaves_it(rt: Runtime) -> None:
    """core.persist.insert_new: the rows the ORM would write, objects persistent and
    clean, defaults applied, the next change a versioned UPDATE."""

    world = make_world(rt)
    now = rt.now()
    with rt.db.transaction() as s:
        product = s.get(Product, world.products["P1"])
        assert product is not None
        order = SalesOrder(
            company_id=world.company_id,
            number="SO-TEST-1",
            state="draft",
            version=1,
            event_seq=0,
            event_hash="",
            created_at=now,
            updated_at=now,
            channel="phone",
            customer_id=world.customer_id,
            delivery_address="Shanghai",
            requested_date=rt.today() + timedelta(days=3),
            payment_terms_days=30,
            currency="CNY",
            total_amount=Decimal("200.00"),
            lines=[
                SalesOrderLine(
                    line_no=n,
                    product=product,
                    description="d",
                    quantity=Decimal(n),
                    unit_price=Decimal("100.00"),
                    amount=Decimal(100 * n),
                )
                for n in (1, 2)
            ],
        )
        insert_new(s, order)
        assert sa_inspect(order).persistent and not s.new and not s.dirty
        assert all(sa_inspect(line).persistent for line in order.lines)
        assert {line.order_id for line in order.lines} == {order.id}
        assert order.lines[0].product_id == product.id
        # Column defaults as the ORM's INSERT applies them
        assert (order.priority, order.regularity, order.classification_reasons) == (
            "normal",
            "regular",
            [],
        )
        order.state, order.version = "confirmed", 2
        order.lines[1].reserved_quantity = Decimal(2)
    with rt.db.reading() as s:
        saved = s.get(SalesOrder, order.id)
        assert saved is not None
        assert (saved.state, saved.version, saved.priority) == ("confirmed", 2, "normal")
        assert [(ln.line_no, ln.quantity, ln.reserved_quantity) for ln in saved.lines] == [
            (1, Decimal(1), Decimal(0)),
            (2, Decimal(2), Decimal(2)),
        ]
    # The version check holds on objects written this way: another writer moved the row
    # on, so the change based on the version inserted is refused and nothing is kept.
    with pytest.raises(VersionMismatch), rt.db.transaction() as s:
        fresh = SalesOrder(**{**_order_columns(saved), "number": "SO-TEST-2", "lines": []})
        insert_new(s, fresh)
        orders = SalesOrder.__table__
        # On the connection: a concurrent writer, unseen by this session's objects.
        s.connection().execute(update(orders).where(orders.c.id == fresh.id).values(version=9))
        fresh.state, fresh.version = "confirmed", 2
        s.flush()
    with rt.db.reading() as s:
        assert s.scalar(select(SalesOrder.id).where(SalesOrder.number == "SO-TEST-2")) is None


def _order_columns(order: Any) -> dict[str, Any]:
    keep = ("company_id", "state", "created_at", "updated_at", "channel", "customer_id")
    more = ("requested_date", "payment_terms_days", "currency", "total_amount", "delivery_address")
    return {k: getattr(order, k) for k in keep + more} | {"version": 1, "event_seq": 0}


def test_insert_new_leaves_other_shapes_to_the_orm(rt: Runtime) -> None:

    world = make_world(rt)
    with rt.db.transaction() as s:
        customer = Customer(
            company_id=world.company_id,
            code="C-NEW",
            name="New",
            credit_limit=Decimal(0),
            created_at=rt.now(),
        )
        s.add(customer)  # already pending: the ORM's flush writes it
        insert_new(s, customer)
        assert customer.id is not None


def test_a_step_writes_its_document_and_lines_itself_and_refuses_a_stale_version(
    rt: Runtime,
) -> None:
    """core.persist.write_changes at the end of a step: the order and its lines written
    (versioned), the session left clean; a step on a version someone else moved is
    refused and changes nothing."""

    world = make_world(rt)
    order = create_order(rt, world["sales_clerk"], order_data(rt, world))
    with rt.db.transaction() as s:
        doc = ORDERS.load(s, world["sales_clerk"], order.id)
        ORDERS.step(s, rt, doc, "confirm", principal=world["sales_clerk"], fields={})
        # Written already, by the step: nothing left for a flush.
        assert not s.dirty and not sa_inspect(doc).modified
        assert all(not sa_inspect(line).modified for line in doc.lines)
        on_disk = s.connection().execute(
            select(SalesOrder.__table__.c.state, SalesOrder.__table__.c.version).where(
                SalesOrder.__table__.c.id == order.id
            )
        )
        assert on_disk.one() == ("confirmed", order.version + 1)
    with rt.db.reading() as s:
        reserved = s.scalars(
            select(SalesOrderLine.reserved_quantity).where(SalesOrderLine.order_id == order.id)
        ).all()
    assert reserved and all(q > 0 for q in reserved)

    # Another writer moves the order on between this step's read and its write.
    orders = SalesOrder.__table__
    with pytest.raises(VersionMismatch), rt.db.transaction() as s:
        doc = ORDERS.load(s, world["logistics"], order.id)
        s.connection().execute(
            update(orders).where(orders.c.id == order.id).values(version=orders.c.version + 1)
        )
        ORDERS.step(s, rt, doc, "ship", principal=world["logistics"], fields={"carrier": "SF"})
    events = order_events(rt, world["sales_clerk"], order.id)
    assert [e.name for e in events] == ["create", "confirm"]
