"""Tasks (待办): opened and closed by lifecycle steps as the policy says, due on the calendar.

A task belongs to a role (and, where the document names one, a person). When its due time
passes, the sweeper marks it overdue and issues an urging notice (催促单); every escalation
interval after that it moves one step up the policy's chain, with another notice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    and_,
    bindparam,
    or_,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from orderflow.core.calendar import BusinessCalendar
from orderflow.core.clock import as_utc
from orderflow.core.documents import DocumentMixin
from orderflow.core.durations import parse_duration
from orderflow.db import Base, table_of
from orderflow.policy.loader import Policy, TaskRule

OPEN, DONE, CANCELLED = "open", "done", "cancelled"


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_sweep", "state", "next_check_at"),
        Index("ix_tasks_document", "document_type", "document_id", "state"),
        # A kind is open at most once per document; the database holds the rule.
        Index(
            "uq_tasks_open_kind",
            "document_type",
            "document_id",
            "kind",
            unique=True,
            postgresql_where=text("state = 'open'"),
            sqlite_where=text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    document_type: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int] = mapped_column(Integer)
    document_number: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    role: Mapped[str] = mapped_column(String(40), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    chain: Mapped[str | None] = mapped_column(String(40))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_role: Mapped[str | None] = mapped_column(String(40), index=True)
    #: When the sweeper should next look at this task: the due time, then each escalation
    #: step. NULL once nothing more can happen (closed, or at the top of its chain).
    next_check_at: Mapped[datetime | None]

    def is_overdue(self, now: datetime) -> bool:
        return self.state == OPEN and as_utc(self.due_at) <= now


def overdue_clause(now: datetime) -> Any:
    """The same test as ``Task.is_overdue`` for queries."""
    return and_(Task.state == OPEN, Task.due_at <= now)


def visible_to_roles(roles: Iterable[str], user_id: int) -> Any:
    roles = list(roles)
    return or_(
        Task.assignee_id == user_id,
        and_(Task.assignee_id.is_(None), Task.role.in_(roles)),
        Task.escalated_role.in_(roles),
    )


DueResolver = Callable[[DocumentMixin, datetime], datetime]


def due_for(
    rule: TaskRule,
    doc: DocumentMixin,
    now: datetime,
    calendar: BusinessCalendar,
    resolvers: dict[str, DueResolver],
) -> datetime:
    if rule.anchor is not None:
        return anchored_due(rule, doc, now, calendar)
    if isinstance(rule.due, dict):
        priority = getattr(doc, "priority", "normal")
        return calendar.due(now, parse_duration(rule.due[priority]))
    if rule.due.startswith("@"):
        return resolvers[rule.due](doc, now)
    return calendar.due(now, parse_duration(rule.due))


def anchored_due(
    rule: TaskRule, doc: DocumentMixin, now: datetime, calendar: BusinessCalendar
) -> datetime:
    """``rule.due`` working days before the document's ``rule.anchor`` date, at the close
    of that working day; a deadline already past when the task opens is due at once."""
    anchor = getattr(doc, rule.anchor or "", None)
    if anchor is None:
        return now
    day = anchor.astimezone(calendar.zone).date() if isinstance(anchor, datetime) else anchor
    return max(calendar.close_of_working_day(day, int(str(rule.due).removesuffix("wd"))), now)


def owner_of(rule: TaskRule, doc: DocumentMixin) -> int:
    """The company whose task this is: the document's own, or the one its rule names."""
    company = getattr(doc, rule.company, None)
    if company is None:
        # A policy naming a column the document lacks is a configuration mistake; say which.
        raise LookupError(
            f"task rule {rule.kind!r}: {doc.document_type} has no company in {rule.company!r}"
        )
    return int(company)


@dataclass(frozen=True)
class TaskChanges:
    """Kinds of task opened and closed by one step."""

    opened: list[str]
    closed: list[str]


_tasks = table_of(Task)
_this_document = and_(
    _tasks.c.document_type == bindparam("doc_type"),
    _tasks.c.document_id == bindparam("doc_id"),
    _tasks.c.state == OPEN,
)
# Built once: this runs on every step of every document.
# Run on the session's connection: appends touch no ORM state, so they skip the
# autoflush Session.execute would do (the document's changes are written once, at the end).
_CLOSE_TASKS = (
    update(_tasks)
    .where(_this_document, _tasks.c.kind.in_(bindparam("kinds", expanding=True)))
    .values(
        state=DONE,
        closed_at=bindparam("now"),
        closed_by_id=bindparam("actor_id"),
        next_check_at=None,
    )
)
# A literal predicate: a bound one cannot be sent with several rows (executemany).
_OPEN_ONLY = text("state = 'open'")
_OPEN_TASKS = {
    name: dialect_insert(_tasks)
    .on_conflict_do_nothing(
        index_elements=["document_type", "document_id", "kind"],
        index_where=_OPEN_ONLY,
    )
    .returning(_tasks.c.kind, sort_by_parameter_order=True)
    for name, dialect_insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}


def apply_task_rules(
    session: Session,
    *,
    policy: Policy,
    doc: DocumentMixin,
    signals: set[str],
    now: datetime,
    actor_id: int | None,
    assignee_for: Callable[[DocumentMixin, str], int | None],
    resolvers: dict[str, DueResolver],
    new_document: bool = False,
) -> TaskChanges:
    """Close, then open, the tasks whose policy rules match this step's signals.

    Core statements, not ORM objects: this runs on every step of every document.
    """
    rules = policy.rules_for(doc.document_type)
    to_close = [r.kind for r in rules if signals & set(r.close_on)]
    to_open = [r for r in rules if signals & set(r.open_on)]
    mine = {"doc_type": doc.document_type, "doc_id": doc.id}
    if to_close and not new_document:
        session.connection().execute(
            _CLOSE_TASKS, {**mine, "kinds": to_close, "now": now, "actor_id": actor_id}
        )
    if not to_open:
        return TaskChanges([], to_close)
    rows = []
    for rule in to_open:
        due = as_utc(due_for(rule, doc, now, policy.business_calendar, resolvers))
        rows.append(
            {
                "company_id": owner_of(rule, doc),
                "kind": rule.kind,
                "document_type": doc.document_type,
                "document_id": doc.id,
                "document_number": doc.number,
                "state": OPEN,
                "role": rule.role,
                "assignee_id": assignee_for(doc, rule.role),
                "opened_at": now,
                "due_at": due,
                "closed_at": None,
                "closed_by_id": None,
                "overdue": False,
                "chain": rule.chain,
                "escalation_level": 0,
                "escalated_role": None,
                "next_check_at": due,
            }
        )
    connection = session.connection()
    # A kind already open on this document stays as it is (the partial unique index).
    opened: Any = connection.execute(_OPEN_TASKS[connection.dialect.name], rows).scalars().all()
    return TaskChanges(list(opened), to_close)


def move_due(
    session: Session, *, document_type: str, document_id: int, kinds: Iterable[str], due: datetime
) -> int:
    """Move the due time of open tasks that are not late yet (a replan moved the date the
    task is counted from). A task already overdue keeps its history and escalation."""
    due = as_utc(due)
    result = session.execute(
        update(Task)
        .where(
            Task.document_type == document_type,
            Task.document_id == document_id,
            Task.kind.in_(list(kinds)),
            Task.state == OPEN,
            Task.overdue.is_(False),
            Task.escalation_level == 0,
        )
        .values(due_at=due, next_check_at=due)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
