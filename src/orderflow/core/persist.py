"""Writing a new document and its lines with Core INSERTs instead of an ORM flush.

Every document is saved when it starts, because its first event and tasks need its id.
The ORM's unit of work spent more time deciding what to write (history, dependency
sorting, per-object bookkeeping) than the INSERTs themselves took: a third of an order's
entry. ``insert_new`` writes the same rows with the same number of statements, then hands
the objects to the session as persistent and loaded — exactly the state a flush leaves
them in — so everything after (steps, versioned UPDATEs, reads) works unchanged.

It covers the plain shape every document has: column values, many-to-one references to
objects already saved, and one-to-many collections of new lines (recursively). Anything
else (an object already in a session, a reference to an unsaved object) is left to the
ORM's flush, which handles every case.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Column, Table, insert
from sqlalchemy.orm import Mapper, Session, make_transient_to_detached
from sqlalchemy.orm.base import instance_state


@cache
def _plan(mapper: Mapper[Any]) -> tuple[Any, Any, list[tuple[str, Any]]]:
    """Per mapped class: its INSERT … RETURNING id, its key and (attribute, column) pairs."""
    table = cast(Table, mapper.local_table)
    (pk,) = mapper.primary_key
    columns = [(mapper.get_property_by_column(c).key, c) for c in table.columns]
    return insert(table).returning(pk), pk, columns


def _default(column: Column[Any]) -> Any:
    default = column.default
    if default is None:
        return None
    if getattr(default, "is_scalar", False):
        return default.arg  # type: ignore[attr-defined]
    if getattr(default, "is_callable", False):
        return default.arg(None)  # type: ignore[attr-defined]  # list, dict: no context used
    raise _Unsupported(f"{column} has a SQL default")


class _Unsupported(Exception):
    """The object graph needs the ORM's flush."""


def _collect(obj: Any, rows: list[tuple[Any, Any]], parent: Any = None) -> None:
    """Depth-first: ``obj`` and then the new objects of its one-to-many collections."""
    state = instance_state(obj)
    if not state.transient:
        raise _Unsupported("already in a session")
    mapper = state.mapper
    for rel in mapper.relationships:
        value = state.dict.get(rel.key)
        if rel.direction.name == "MANYTOONE":
            if value is None or value is parent:  # the parent's id comes with _link_children
                continue
            target = instance_state(value)
            if target.key is None:
                raise _Unsupported(f"{rel} refers to an unsaved object")
            for local, remote in rel.local_remote_pairs:
                remote_key = target.mapper.get_property_by_column(remote).key
                if remote_key not in target.dict:
                    raise _Unsupported(f"{rel}: the referenced key is not loaded")
                state.dict[mapper.get_property_by_column(local).key] = target.dict[remote_key]
        elif rel.direction.name == "ONETOMANY":
            if value and "save-update" not in rel.cascade:
                raise _Unsupported(f"{rel} does not cascade")
        elif value:
            raise _Unsupported(f"{rel} is many-to-many")
    _, _, columns = _plan(mapper)
    for key, column in columns:
        if column.primary_key:
            if state.dict.get(key) is not None:
                raise _Unsupported("the key is given")
        elif state.dict.get(key) is None:
            # As the ORM's INSERT does: a column left None takes its default.
            state.dict[key] = _default(column)
    rows.append((obj, mapper))
    for rel in mapper.relationships:
        if rel.direction.name == "ONETOMANY":
            for child in state.dict.get(rel.key) or ():
                _collect(child, rows, parent=obj)


def _link_children(obj: Any) -> None:
    """Give the lines of ``obj`` (now saved) its id in their foreign key."""
    state = instance_state(obj)
    for rel in state.mapper.relationships:
        if rel.direction.name != "ONETOMANY":
            continue
        for child in state.dict.get(rel.key) or ():
            child_state = instance_state(child)
            for local, remote in rel.local_remote_pairs:
                child_state.dict[child_state.mapper.get_property_by_column(remote).key] = (
                    state.dict[state.mapper.get_property_by_column(local).key]
                )


def insert_new(session: Session, obj: Any) -> None:
    """Save new ``obj`` and its new lines in ``session``'s transaction, leaving them
    persistent and loaded; falls back to ``session.add`` + ``flush`` for any other shape."""
    rows: list[tuple[Any, Any]] = []
    try:
        _collect(obj, rows)
    except _Unsupported:
        session.add(obj)
        session.flush()
        return
    connection = session.connection()
    for item, mapper in rows:
        statement, pk, columns = _plan(mapper)
        state = instance_state(item)
        values = {column.key: state.dict[key] for key, column in columns if not column.primary_key}
        new_id: int = connection.execute(statement, values).scalar_one()
        state.dict[mapper.get_property_by_column(pk).key] = new_id
        _link_children(item)
    # Children first: adding the document cascades to its lines, which must already be
    # detached (saved) by then, or the session would take them for new rows.
    for item, _ in reversed(rows):
        make_transient_to_detached(item)
    session.add(obj)
