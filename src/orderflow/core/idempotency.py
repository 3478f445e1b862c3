"""Idempotency-Key: a retried create answers the first result instead of creating twice.

The key row is written in the same transaction as the thing it creates. Two concurrent
requests with one key both run, but only one can insert the key; the other's transaction
fails on the primary key, rolls back everything it did, and answers the stored result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from orderflow.core.errors import IdempotencyKeyReused
from orderflow.db import Base

if TYPE_CHECKING:
    from orderflow.runtime import Principal, Runtime

M = TypeVar("M", bound=BaseModel)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    scope: Mapped[str] = mapped_column(String(120))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


def request_fingerprint(scope: str, body: Any) -> str:
    canonical = json.dumps([scope, body], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def find_replay(
    session: Session, *, user_id: int, key: str, fingerprint: str
) -> IdempotencyRecord | None:
    """The stored answer for this key, or None; a key reused with another body is refused."""
    record = session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    )
    if record is not None and record.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request; use a new key."
        )
    return record


def remember(
    session: Session,
    *,
    user_id: int,
    key: str,
    scope: str,
    fingerprint: str,
    status_code: int,
    response: dict[str, Any],
    at: datetime,
) -> None:
    session.add(
        IdempotencyRecord(
            user_id=user_id,
            key=key,
            scope=scope,
            request_hash=fingerprint,
            status_code=status_code,
            response=json.loads(json.dumps(response, default=str)),
            created_at=at,
        )
    )


def once(
    rt: Runtime,
    principal: Principal,
    *,
    scope: str,
    body: BaseModel,
    key: str | None,
    create: Callable[[Session], M],
    model: type[M],
) -> M:
    """Run ``create`` in one transaction, at most once per ``Idempotency-Key``: a retry
    with the same key and body answers the first result; another body is refused. Every
    create of every area goes through here. Without a key nothing is fingerprinted or
    stored: an order entry pays nothing for retries it cannot make."""
    if not key:
        with rt.db.transaction() as session:
            return create(session)
    fingerprint = request_fingerprint(scope, body.model_dump(mode="json"))
    try:
        with rt.db.transaction() as session:
            replay = find_replay(session, user_id=principal.id, key=key, fingerprint=fingerprint)
            if replay is not None:
                return model.model_validate(replay.response)
            result = create(session)
            remember(
                session,
                user_id=principal.id,
                key=key,
                scope=scope,
                fingerprint=fingerprint,
                status_code=201,
                response=result.model_dump(mode="json"),
                at=rt.now(),
            )
            return result
    except IntegrityError:
        # A concurrent request with the same key won the race: answer what it stored.
        with rt.db.reading() as session:
            replay = find_replay(session, user_id=principal.id, key=key, fingerprint=fingerprint)
            if replay is None:
                raise
            return model.model_validate(replay.response)
