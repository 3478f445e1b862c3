"""Keyset pagination for every list (shared/API.md): newest first by id, an opaque cursor.

A list answers ``{"items": [...], "next": <cursor or null>}``. The cursor names the last id
of the page, so the next page is ``WHERE id < last`` — stable while documents are added
(an OFFSET page would repeat or skip rows) and as cheap on page 100 as on page 1. Clients
treat it as opaque: it is the id in URL-safe base64, the format /api/v1/orders has used
from the start, so cursors of every list look alike.

    page = Keyset.of(limit, cursor)            # 422 naming ``cursor`` if it is not one
    rows = session.scalars(page.apply(query, Model.id)).all()
    items, next_cursor = page.cut(rows)

or, where the caller holds the limit itself, ``after_cursor(query, Model.id, cursor)``
(add ``.limit(limit + 1)``) and ``page_of(rows, limit)``: the same rule in two calls.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from sqlalchemy import Select

from orderflow.core.errors import FieldError, ValidationFailed

T = TypeVar("T")
Q = TypeVar("Q", bound=Select)  # any select: of models, or of (model, columns…)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode()


def decode_cursor(cursor: str | None, *, field: str = "cursor") -> int | None:
    """The id a cursor stands for; None for no cursor (the first page)."""
    if not cursor:
        return None
    try:
        value = int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise ValidationFailed.of(
            [
                FieldError(
                    field, "Not a cursor of this list; start from the first page", "bad_cursor"
                )
            ]
        ) from exc
    if value < 1:
        raise ValidationFailed.of(
            [
                FieldError(
                    field, "Not a cursor of this list; start from the first page", "bad_cursor"
                )
            ]
        )
    return value


@dataclass(frozen=True)
class Keyset:
    """One page's window: at most ``limit`` rows with an id below ``before``."""

    limit: int
    before: int | None = None

    @classmethod
    def of(cls, limit: int | None = None, cursor: str | None = None) -> Keyset:
        """The window for a request; ``limit`` is held to 1…200 (default 50)."""
        size = DEFAULT_LIMIT if limit is None else max(1, min(int(limit), MAX_LIMIT))
        return cls(size, decode_cursor(cursor))

    def apply(self, query: Q, id_column: Any) -> Q:
        """Newest first, one row more than the page, to know whether another follows."""
        if self.before is not None:
            query = query.where(id_column < self.before)
        return query.order_by(id_column.desc()).limit(self.limit + 1)

    def cut(
        self, rows: Sequence[T], id_of: Callable[[T], int] = attrgetter("id")
    ) -> tuple[list[T], str | None]:
        """The page's rows and the cursor of the next page (None on the last one);
        ``id_of`` finds a row's id when rows are not models (``(quote, name)`` tuples)."""
        page = list(rows[: self.limit])
        more = len(rows) > self.limit and page
        return page, encode_cursor(id_of(page[-1])) if more else None


def first_id(row: Sequence[Any]) -> int:
    """The id of a row selected as ``(model, other columns…)``."""
    return int(row[0].id)


def after_cursor(query: Select[Any], id_column: Any, cursor: str | None) -> Select[Any]:
    """``query`` narrowed to rows older than the cursor, newest first (the caller adds
    ``.limit(limit + 1)``)."""
    before = decode_cursor(cursor)
    if before is not None:
        query = query.where(id_column < before)
    return query.order_by(id_column.desc())


def page_of(
    rows: Sequence[T], limit: int, id_of: Callable[[T], int] = attrgetter("id")
) -> tuple[list[T], str | None]:
    """The first ``limit`` rows (the query asked for one more) and the next page's cursor."""
    return Keyset(limit).cut(rows, id_of)
