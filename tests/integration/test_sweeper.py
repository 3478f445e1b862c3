"""Deadlines: overdue tasks get an urging notice and climb their chain; on PostgreSQL several
workers at once never handle one task step twice."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from orderflow.core.clock import FrozenClock
from orderflow.core.events import Event
from orderflow.core.sweeper import sweep
from orderflow.core.tasks import Task
from orderflow.notify.models import Notification
from orderflow.runtime import Runtime
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data


def test_urgent_order_task_due_in_two_working_hours(rt: Runtime, clock: FrozenClock) -> None:
    world = make_world(rt)
    create_order(rt, world["sales_clerk"], order_data(rt, world, priority="urgent"))
    with rt.db.reading() as s:
        task = s.scalar(select(Task))
        assert task is not None
    # Tuesday 10:00 Beijing + 2 working hours = 12:00 (before the lunch break).
    assert task.due_at == clock.now + timedelta(hours=2)
    assert task.assignee_id == world["sales_clerk"].id


def test_an_overdue_task_is_urged_then_escalated_up_the_chain(
    rt: Runtime, clock: FrozenClock
) -> None:
    world = make_world(rt)
    create_order(rt, world["sales_clerk"], order_data(rt, world, priority="urgent"))
    assert sweep(rt.db, rt.policy, now=clock.now).overdue == 0

    clock.advance(hours=2, minutes=1)  # 12:01: late
    report = sweep(rt.db, rt.policy, now=clock.now)
    assert (report.overdue, report.escalated) == (1, 0)
    assert sweep(rt.db, rt.policy, now=clock.now).overdue == 0  # handled once

    clock.advance(hours=4)  # 16:01: two working hours later (lunch excluded) -> order manager
    assert sweep(rt.db, rt.policy, now=clock.now).escalated == 1
    clock.advance(days=1)  # next day -> general manager, the top of the chain
    assert sweep(rt.db, rt.policy, now=clock.now).escalated == 1
    clock.advance(days=3)
    assert sweep(rt.db, rt.policy, now=clock.now).escalated == 0

    with rt.db.reading() as s:
        task = s.scalar(select(Task))
        assert task is not None and task.overdue and task.escalation_level == 2
        assert task.escalated_role == "general_manager"
        urged = s.scalars(
            select(Notification.recipient_role)
            .where(Notification.kind == "urging")
            .order_by(Notification.id)
        ).all()
        assert urged == ["sales_clerk", "order_manager", "general_manager"]
        names = s.scalars(select(Event.name).order_by(Event.id)).all()
        assert names == ["create", "task_overdue", "task_escalated", "task_escalated"]


def test_closed_tasks_are_not_urged(rt: Runtime, clock: FrozenClock) -> None:
    from orderflow.sales.service import apply_step

    world = make_world(rt)
    order = create_order(rt, world["sales_clerk"], order_data(rt, world, priority="urgent"))
    apply_step(rt, world["sales_clerk"], order.id, "confirm", {}, expected_version=order.version)
    clock.advance(hours=3)
    assert sweep(rt.db, rt.policy, now=clock.now).overdue == 0


def test_several_workers_never_handle_a_task_twice(rt: Runtime, clock: FrozenClock) -> None:
    world = make_world(rt, stock={"P1": 1000})
    for _ in range(30):
        create_order(
            rt,
            world["sales_clerk"],
            order_data(
                rt, world, priority="urgent", lines=[{"product_code": "P1", "quantity": "1"}]
            ),
        )
    clock.advance(hours=3)
    reports = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        reports.append(sweep(rt.db, rt.policy, now=clock.now, batch=5))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.overdue for r in reports) == 30
    with rt.db.reading() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(Notification).where(Notification.kind == "urging")
            )
            == 30
        )
        assert (
            s.scalar(select(func.count()).select_from(Event).where(Event.name == "task_overdue"))
            == 30
        )
