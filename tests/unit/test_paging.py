"""Keyset pagination: opaque cursors, a window held to its limits, a page and what follows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Integer, column, select, table

from orderflow.core.errors import ValidationFailed
from orderflow.core.paging import Keyset, decode_cursor, encode_cursor

docs = table("docs", column("id", Integer))


@given(st.integers(min_value=1, max_value=2**62))
def test_a_cursor_stands_for_the_id_it_was_made_from(last_id: int) -> None:
    assert decode_cursor(encode_cursor(last_id)) == last_id


@pytest.mark.parametrize("bad", ["not-a-cursor", "!!", encode_cursor(0), "LTU="])
def test_anything_else_is_refused_naming_the_cursor(bad: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(bad)
    assert [(e.field, e.code) for e in refused.value.errors] == [("cursor", "bad_cursor")]


def test_the_limit_is_held_between_one_and_the_cap() -> None:
    assert Keyset.of().limit == 50
    assert Keyset.of(0).limit == 1
    assert Keyset.of(10_000).limit == 200
    assert Keyset.of(None, None).before is None


def test_the_window_asks_for_one_row_more_below_the_cursor() -> None:
    sql = str(
        Keyset.of(2, encode_cursor(9))
        .apply(select(docs.c.id), docs.c.id)
        .compile(compile_kwargs={"literal_binds": True})
    )
    assert "WHERE docs.id < 9" in sql and "ORDER BY docs.id DESC" in sql and "LIMIT 3" in sql


def test_a_full_page_names_the_next_one_and_the_last_page_does_not() -> None:
    rows = [SimpleNamespace(id=i) for i in (9, 7, 4)]
    page, nxt = Keyset.of(2).cut(rows)
    assert [r.id for r in page] == [9, 7] and decode_cursor(nxt) == 7
    page, nxt = Keyset.of(2).cut(rows[:2])
    assert len(page) == 2 and nxt is None
    assert Keyset.of(2).cut([]) == ([], None)
