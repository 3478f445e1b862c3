"""The document kit every area builds on: a fact recorded on a document without a step."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from orderflow.core.errors import VersionMismatch
from orderflow.core.events import SYSTEM, verify_chains
from orderflow.core.tasks import DONE, Task, apply_task_rules
from orderflow.policy.loader import TaskRule
from orderflow.runtime import Runtime
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
