"""Keyset pages of a list, newest first: an opaque cursor names the last id shown."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select

from orderflow.core.errors import FieldError, ValidationFailed

T = TypeVar("T")


def after_cursor(query: Select[Any], id_column: Any, cursor: str | None) -> Select[Any]:
    """``query`` narrowed to rows older than the cursor, newest first."""
    if cursor:
        try:
            before = int(base64.urlsafe_b64decode(cursor.encode()).decode())
        except ValueError as exc:
            raise ValidationFailed.of(
                [FieldError("cursor", "Not a cursor from this list")]
            ) from exc
        query = query.where(id_column < before)
    return query.order_by(id_column.desc())


def page_of(
    rows: Sequence[T], limit: int, id_of: Any = lambda row: row.id
) -> tuple[list[T], str | None]:
    """The first ``limit`` rows (the query asked for one more) and the next page's cursor."""
    shown = list(rows[:limit])
    more = len(rows) > limit and shown
    nxt = base64.urlsafe_b64encode(str(id_of(shown[-1])).encode()).decode() if more else None
    return shown, nxt
