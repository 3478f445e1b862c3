"""The append-only, hash-chained event log: the audit trail and every order's timeline.

Each document has its own chain (``seq`` 1, 2, 3 …) so appends to different documents
never contend. Each event's hash covers its content and the previous event's hash, and the
document row keeps the chain head, so editing, deleting or reordering any event breaks
verification. ``record_event`` is the only writer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from orderflow.core.clock import as_utc
from orderflow.core.documents import DOCUMENT_TYPES, DocumentMixin
from orderflow.db import Base, table_of


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("uq_events_document_seq", "document_type", "document_id", "seq", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime]
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def _digest(
    *,
    document_type: str,
    document_id: int,
    seq: int,
    name: str,
    actor_id: int | None,
    at: datetime,
    from_state: str | None,
    to_state: str | None,
    payload: dict[str, Any],
    reason: str | None,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [
            document_type,
            document_id,
            seq,
            name,
            actor_id,
            at.isoformat(timespec="microseconds"),
            from_state,
            to_state,
            payload,
            reason,
            prev_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def jsonable(value: dict[str, Any]) -> dict[str, Any]:
    """The value as it will come back from a JSON column."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


@dataclass(frozen=True)
class Actor:
    """Who acted: a user, or the system itself (the sweeper, the demo loader)."""

    id: int | None
    name: str


SYSTEM = Actor(None, "system")


_INSERT_EVENT = insert(table_of(Event))
# Run on the session's connection: appends touch no ORM state, so they skip the
# autoflush Session.execute would do (the document's changes are written once, at the end).


@cache
def _head_statements(table: Table) -> tuple[Any, Any]:
    """Read the chain head under a row lock; move it. Built once per document table."""
    read = (
        select(table.c.event_seq, table.c.event_hash)
        .where(table.c.id == bindparam("doc_id"))
        .with_for_update()
    )
    move = (
        update(table)
        .where(table.c.id == bindparam("doc_id"))
        .values(
            event_seq=bindparam("seq"),
            event_hash=bindparam("digest"),
            # Appending changes the document: a step holding the old version must fail.
            version=table.c.version + 1,
        )
    )
    return read, move


def record_event(
    session: Session,
    doc: DocumentMixin,
    name: str,
    *,
    actor: Actor,
    at: datetime,
    from_state: str | None = None,
    to_state: str | None = None,
    payload: dict[str, Any] | None = None,
    reason: str | None = None,
    in_step: bool = False,
) -> Event:
    """Append one event to ``doc``'s chain and move the chain head, in the caller's transaction.

    ``in_step``: the caller is the workflow engine, which has already moved the document's
    version on; the head is then taken from the loaded document and written with the rest
    of the document's changes in one UPDATE at flush, whose ``WHERE version = …`` fails
    (and rolls everything back) if anyone appended since the document was loaded.
    Otherwise (the sweeper) the head is re-read under a row lock and moved, with the
    version, at once. FOR UPDATE is a no-op on SQLite, which its database lock serialises.
    """
    table = table_of(type(doc))
    if in_step:
        head = (doc.event_seq, doc.event_hash)
    else:
        current = session.connection().execute(_head_statements(table)[0], {"doc_id": doc.id}).one()
        head = (current.event_seq, current.event_hash)
    seq, prev = head[0] + 1, head[1]
    # Stored exactly as hashed: UTC time, JSON-native payload (Decimals become strings).
    at = as_utc(at)
    payload = jsonable(payload or {})
    row: dict[str, Any] = {
        "document_type": doc.document_type,
        "document_id": doc.id,
        "seq": seq,
        "name": name,
        "actor_id": actor.id,
        "actor_name": actor.name,
        "at": at,
        "from_state": from_state,
        "to_state": to_state,
        "payload": payload,
        "reason": reason,
        "prev_hash": prev,
    }
    row["hash"] = _digest(**{k: v for k, v in row.items() if k != "actor_name"})
    # A Core insert built once: an append must not pay for an ORM flush on every step.
    session.connection().execute(_INSERT_EVENT, row)
    if in_step:
        doc.event_seq, doc.event_hash = seq, row["hash"]
    else:
        session.execute(
            _head_statements(table)[1], {"doc_id": doc.id, "seq": seq, "digest": row["hash"]}
        )
        # Keep the loaded object in step without marking it dirty (no UPDATE at flush).
        set_committed_value(doc, "event_seq", seq)
        set_committed_value(doc, "event_hash", row["hash"])
        set_committed_value(doc, "version", doc.version + 1)
    return Event(**row)


def timeline(session: Session, document_type: str, document_id: int) -> list[Event]:
    return list(
        session.scalars(
            select(Event)
            .where(Event.document_type == document_type, Event.document_id == document_id)
            .order_by(Event.seq)
        )
    )


@dataclass(frozen=True)
class AuditProblem:
    document_type: str
    document_id: int
    seq: int | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.document_type} #{self.document_id}"
        return (
            f"{where} event {self.seq}: {self.problem}" if self.seq else f"{where}: {self.problem}"
        )


def verify_chains(session: Session) -> tuple[int, list[AuditProblem]]:
    """Walk every document's chain; returns (events checked, problems found)."""
    problems: list[AuditProblem] = []
    checked = 0
    heads: dict[tuple[str, int], tuple[int, str]] = {}
    for doc_type, model in DOCUMENT_TYPES.items():
        table = table_of(model)
        for row in session.execute(select(table.c.id, table.c.event_seq, table.c.event_hash)):
            heads[(doc_type, row.id)] = (row.event_seq, row.event_hash)

    current: tuple[str, int] | None = None
    expected_seq, prev = 1, ""

    def close(key: tuple[str, int] | None, last_seq: int, last_hash: str) -> None:
        if key is None:
            return
        head = heads.pop(key, None)
        if head is None:
            problems.append(AuditProblem(*key, None, "events exist but the document is gone"))
        elif head != (last_seq, last_hash):
            problems.append(
                AuditProblem(
                    *key,
                    None,
                    f"chain ends at event {last_seq} but the document's head is event {head[0]} (an event was deleted or replaced)",
                )
            )

    stream = session.scalars(
        select(Event).order_by(Event.document_type, Event.document_id, Event.seq)
    )
    last_seq, last_hash = 0, ""
    for ev in stream:
        key = (ev.document_type, ev.document_id)
        if key != current:
            close(current, last_seq, last_hash)
            current, expected_seq, prev = key, 1, ""
        checked += 1
        if ev.seq != expected_seq:
            problems.append(
                AuditProblem(*key, ev.seq, f"expected event {expected_seq}: an event is missing")
            )
        if ev.prev_hash != prev:
            problems.append(AuditProblem(*key, ev.seq, "does not link to the event before it"))
        digest = _digest(
            document_type=ev.document_type,
            document_id=ev.document_id,
            seq=ev.seq,
            name=ev.name,
            actor_id=ev.actor_id,
            at=ev.at,
            from_state=ev.from_state,
            to_state=ev.to_state,
            payload=ev.payload,
            reason=ev.reason,
            prev_hash=ev.prev_hash,
        )
        if digest != ev.hash:
            problems.append(AuditProblem(*key, ev.seq, "content was changed after it was written"))
        expected_seq, prev = ev.seq + 1, ev.hash
        last_seq, last_hash = ev.seq, ev.hash
    close(current, last_seq, last_hash)
    for key, (seq, _) in heads.items():
        if seq:
            problems.append(
                AuditProblem(*key, None, f"the document's head is event {seq} but it has no events")
            )
    return checked, problems
