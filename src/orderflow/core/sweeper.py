"""The deadline sweeper: overdue tasks get an urging notice (催促单) and climb their chain.

Tasks are claimed with ``FOR UPDATE SKIP LOCKED`` in small batches, and each claim is
re-checked with a conditional update on ``next_check_at``, so any number of workers on
PostgreSQL share the work and never handle one task step twice. On SQLite the database
lock serialises them anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from orderflow.core.clock import as_utc
from orderflow.core.documents import DOCUMENT_TYPES
from orderflow.core.durations import parse_duration
from orderflow.core.events import SYSTEM, record_event
from orderflow.core.tasks import OPEN, Task
from orderflow.db import Database
from orderflow.i18n import t
from orderflow.notify.service import queue_staff
from orderflow.policy.loader import Policy

log = logging.getLogger(__name__)


OverdueAction = Callable[[Session, Policy, Task, datetime], None]

#: Task kind → what else happens, in the sweeper's transaction, when a task of that kind
#: first goes overdue (besides the urging notice): a supplier still unconfirmed two working
#: days before the planned date becomes an exception slip (H4). Areas register on import.
OVERDUE_ACTIONS: dict[str, OverdueAction] = {}


@dataclass(frozen=True)
class SweepReport:
    overdue: int = 0
    escalated: int = 0

    def __add__(self, other: SweepReport) -> SweepReport:
        return SweepReport(self.overdue + other.overdue, self.escalated + other.escalated)


def sweep(db: Database, policy: Policy, *, now: datetime, batch: int = 50) -> SweepReport:
    """Handle every task whose check time has come; returns what was done."""
    total = SweepReport()
    while True:
        report, claimed = _sweep_batch(db, policy, now=now, batch=batch)
        total += report
        if claimed < batch:
            return total


def _sweep_batch(
    db: Database, policy: Policy, *, now: datetime, batch: int
) -> tuple[SweepReport, int]:
    overdue = escalated = 0
    with db.transaction() as session:
        tasks = session.scalars(
            select(Task)
            .where(Task.state == OPEN, Task.next_check_at <= now)
            .order_by(Task.next_check_at, Task.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        interval = parse_duration(policy.escalation.interval)
        for task in tasks:
            chain = policy.escalation.chains.get(task.chain or "", [])
            first = not task.overdue
            if not first and task.escalation_level >= len(chain):
                task.next_check_at = None
                continue
            level = task.escalation_level if first else task.escalation_level + 1
            to_role = task.role if first else chain[level - 1]
            nxt = policy.business_calendar.due(as_utc(task.next_check_at or now), interval)
            # Claim: only the worker whose conditional update lands handles this step.
            claimed = cast(
                CursorResult[Any],
                session.execute(
                    update(Task)
                    .where(
                        Task.id == task.id,
                        Task.next_check_at == task.next_check_at,
                        Task.state == OPEN,
                    )
                    .values(
                        overdue=True,
                        escalation_level=level,
                        escalated_role=None if first else to_role,
                        next_check_at=nxt if level < len(chain) else None,
                    )
                    .execution_options(synchronize_session=False)
                ),
            ).rowcount
            if claimed != 1:
                continue
            _urge(session, policy, task, to_role=to_role, level=level, now=now)
            action = OVERDUE_ACTIONS.get(task.kind) if first else None
            if action is not None:
                action(session, policy, task, now)
            if first:
                overdue += 1
            else:
                escalated += 1
    return SweepReport(overdue, escalated), len(tasks)


def _urge(session, policy: Policy, task: Task, *, to_role: str, level: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    kind = "task_overdue" if level == 0 else "task_escalated"
    params = {
        "number": task.document_number,
        "task": t(f"task.{task.kind}", "zh-CN"),
        "level": level,
        "due": task.due_at.astimezone(policy.zone).strftime("%Y-%m-%d %H:%M"),
    }
    subject, body = (
        t(f"urging.{kind}.subject", "zh-CN", **params),
        t(f"urging.{kind}.body", "zh-CN", **params),
    )
    queue_staff(
        session,
        company_id=task.company_id,
        kind="urging",
        role=to_role,
        user_id=task.assignee_id if level == 0 else None,
        subject=subject,
        body=body,
        at=now,
    )
    model = DOCUMENT_TYPES.get(task.document_type)
    doc = session.get(model, task.document_id) if model else None
    if doc is not None:
        record_event(
            session,
            doc,
            kind,
            actor=SYSTEM,
            at=now,
            from_state=doc.state,
            to_state=doc.state,
            payload={
                "task": task.kind,
                "task_id": task.id,
                "to_role": to_role,
                "level": level,
                "due_at": task.due_at.isoformat(),
            },
        )
    log.info("task %s (%s %s) %s to %s", task.id, task.kind, task.document_number, kind, to_role)
