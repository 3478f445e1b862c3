"""My tasks: what is mine to do, overdue first, with the working time left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select

from orderflow.core.clock import as_utc
from orderflow.core.tasks import OPEN, Task, visible_to_roles
from orderflow.runtime import Principal, Runtime


@dataclass(frozen=True)
class TaskView:
    id: int
    kind: str
    document_type: str
    document_id: int
    document_number: str
    state: str
    role: str
    assignee_id: int | None
    opened_at: datetime
    due_at: datetime
    closed_at: datetime | None
    overdue: bool
    escalation_level: int
    escalated_role: str | None
    #: Working minutes until due (negative: how late).
    minutes_left: int | None


def list_tasks(
    rt: Runtime,
    me: Principal,
    *,
    mine: bool = True,
    state: str | None = OPEN,
    overdue: bool | None = None,
    document_type: str | None = None,
    document_id: int | None = None,
    limit: int = 100,
) -> list[TaskView]:
    now = rt.now()
    query = select(Task).where(Task.company_id == me.company_id)
    if mine:
        query = query.where(visible_to_roles(me.roles, me.id))
    if state:
        query = query.where(Task.state == state)
    if overdue is True:
        query = query.where(Task.state == OPEN, Task.due_at <= now)
    elif overdue is False:
        query = query.where(Task.due_at > now)
    if document_type:
        query = query.where(Task.document_type == document_type)
    if document_id is not None:
        query = query.where(Task.document_id == document_id)
    late_first = case((Task.due_at <= now, 0), else_=1)
    calendar = rt.policy.business_calendar
    with rt.db.reading() as session:
        rows = session.scalars(
            query.order_by(late_first, Task.due_at, Task.id).limit(min(limit, 500))
        ).all()
        return [
            TaskView(
                id=t.id,
                kind=t.kind,
                document_type=t.document_type,
                document_id=t.document_id,
                document_number=t.document_number,
                state=t.state,
                role=t.role,
                assignee_id=t.assignee_id,
                opened_at=t.opened_at,
                due_at=t.due_at,
                closed_at=t.closed_at,
                overdue=t.is_overdue(now),
                escalation_level=t.escalation_level,
                escalated_role=t.escalated_role,
                minutes_left=calendar.working_minutes_between(now, as_utc(t.due_at))
                if t.state == OPEN
                else None,
            )
            for t in rows
        ]
