"""What every document with a lifecycle has in common."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class DocumentMixin:
    """A numbered document with a state, an optimistic-lock version and an event chain head.

    ``event_seq`` / ``event_hash`` are the head of the document's hash-chained timeline, so
    deleting the newest event is detectable too (the head would point past the chain).
    """

    #: Registry key used by events, tasks and the audit (e.g. "sales_order").
    document_type: str = ""
    #: Prefix of the human number (e.g. "SO" gives SO-2026-000001).
    number_prefix: str = ""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    event_seq: Mapped[int] = mapped_column(Integer, default=0)
    event_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # SQLAlchemy's version counter: every UPDATE of a document carries
        # "WHERE version = <as loaded>" and fails (StaleDataError) if another writer moved
        # it on. The engine sets the next version itself (generator off), once per step.
        table = cls.__table__  # type: ignore[attr-defined]
        return {"version_id_col": table.c.version, "version_id_generator": False}

    @declared_attr
    def company_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("companies.id"), index=True)


DOCUMENT_TYPES: dict[str, type[DocumentMixin]] = {}


def register_document(model: type[DocumentMixin]) -> type[DocumentMixin]:
    """Class decorator: lets the audit and the task sweeper find a document by its type key."""
    DOCUMENT_TYPES[model.document_type] = model
    return model
