"""Writing documents with Core statements instead of the ORM's flush.

The ORM's unit of work spent more time deciding what to write (history, dependency
sorting, per-object bookkeeping) than the statements took: a third of an order's entry.
Two functions write the same rows with the same statements and leave the objects in the
state a flush leaves them, so everything else (reads, later steps) works unchanged:

- ``insert_new``: a new document and its lines, when it starts (its first event and
  tasks need its id);
- ``write_changes``: at the end of a step, the document's versioned UPDATE and one for
  its changed lines.

Each covers the plain shape every document has; anything else (an object already in a
session, a reference to an unsaved object, other changes pending in the session) is left
to the ORM's flush, which handles every case.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from sqlalchemy import Column, Table, bindparam, insert, update
from sqlalchemy.orm import ColumnProperty, Mapper, Session, make_transient_to_detached
from sqlalchemy.orm.base import instance_state
from sqlalchemy.orm.exc import StaleDataError


@cache
def _plan(mapper: Mapper[Any]) -> tuple[Any, Any, Any, list[tuple[str, Any]]]:
    """Per mapped class: its INSERT … RETURNING id for one row and for several (ids in
    the rows' order), its key, and its (attribute, column) pairs."""
    table = cast(Table, mapper.local_table)
    (pk,) = mapper.primary_key
    columns = [(mapper.get_property_by_column(c).key, c) for c in table.columns]
    one = insert(table).returning(pk)
    many = insert(table).returning(pk, sort_by_parameter_order=True)
    return one, many, pk, columns


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


def _collect(obj: Any, rows: list[Any], parent: Any = None) -> None:
    """Check ``obj`` and its new lines (depth-first) can be written here; fill in their
    foreign keys to saved objects and their column defaults."""
    state = instance_state(obj)
    if not state.transient:
        raise _Unsupported("already in a session")
    mapper = state.mapper
    for rel in mapper.relationships:
        value = state.dict.get(rel.key)
        if rel.direction.name == "MANYTOONE":
            if value is None or value is parent:  # its id is given by _children once saved
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
    columns = _plan(mapper)[3]
    for key, column in columns:
        if column.primary_key:
            if state.dict.get(key) is not None:
                raise _Unsupported("the key is given")
        elif state.dict.get(key) is None:
            # As the ORM's INSERT does: a column left None takes its default.
            state.dict[key] = _default(column)
    rows.append(obj)
    for rel in mapper.relationships:
        if rel.direction.name == "ONETOMANY":
            for child in state.dict.get(rel.key) or ():
                _collect(child, rows, parent=obj)


def _children(obj: Any) -> list[Any]:
    """The new objects of ``obj``'s one-to-many collections, each given ``obj``'s id in
    its foreign key (``obj`` is saved by now)."""
    state = instance_state(obj)
    out = []
    for rel in state.mapper.relationships:
        if rel.direction.name != "ONETOMANY":
            continue
        for child in state.dict.get(rel.key) or ():
            child_state = instance_state(child)
            for local, remote in rel.local_remote_pairs:
                child_state.dict[child_state.mapper.get_property_by_column(remote).key] = (
                    state.dict[state.mapper.get_property_by_column(local).key]
                )
            out.append(child)
    return out


def _write(connection: Any, objs: list[Any]) -> None:
    """INSERT objects of one class in one statement (PostgreSQL: one round trip for all of
    an order's lines; SQLite: SQLAlchemy sends them one by one, to know which id is
    whose), then their own lines."""
    mapper = instance_state(objs[0]).mapper
    one, many, pk, columns = _plan(mapper)
    rows = [
        {
            column.key: instance_state(o).dict[key]
            for key, column in columns
            if not column.primary_key
        }
        for o in objs
    ]
    if len(rows) == 1:
        ids = [connection.execute(one, rows[0]).scalar_one()]
    else:
        ids = connection.execute(many, rows).scalars().all()
    key = mapper.get_property_by_column(pk).key
    by_class: dict[Any, list[Any]] = {}
    for obj, new_id in zip(objs, ids, strict=True):
        instance_state(obj).dict[key] = new_id
        for child in _children(obj):
            by_class.setdefault(type(child), []).append(child)
    for group in by_class.values():
        _write(connection, group)


def insert_new(session: Session, obj: Any) -> None:
    """Save new ``obj`` and its new lines in ``session``'s transaction, leaving them
    persistent and loaded; falls back to ``session.add`` + ``flush`` for any other shape."""
    rows: list[Any] = []
    try:
        _collect(obj, rows)
    except _Unsupported:
        session.add(obj)
        session.flush()
        return
    _write(session.connection(), [obj])
    # Children first: adding the document cascades to its lines, which must already be
    # detached (saved) by then, or the session would take them for new rows.
    for item in reversed(rows):
        make_transient_to_detached(item)
    session.add(obj)


# --- a step's changes -------------------------------------------------------------------


@cache
def _update(mapper: Mapper[Any], keys: frozenset[str]) -> tuple[Any, list[tuple[str, str]]]:
    """UPDATE … SET <keys> WHERE id = :pk [AND version = :version], built once per shape;
    with the (attribute, parameter) pairs to fill it."""
    table = cast(Table, mapper.local_table)
    (pk,) = mapper.primary_key
    where = [pk == bindparam("_pk")]
    version = mapper.version_id_col
    if version is not None:
        where.append(version == bindparam("_version"))
    names = [(key, mapper.get_property(key).columns[0].key) for key in sorted(keys)]
    statement = update(table).where(*where).values({col: bindparam(col) for _, col in names})
    return statement, names


def _changes(state: Any) -> dict[str, Any] | None:
    """The column values changed since the object was loaded or last written, by attribute;
    None when something else changed (a relationship, the key, an expired value)."""
    mapper = state.mapper
    if mapper.version_id_col is not None and mapper.version_id_generator is not False:
        return None  # SQLAlchemy moves this version itself: only its flush knows how
    changed: dict[str, Any] = {}
    for key in state.committed_state:
        prop = mapper.attrs.get(key)
        if not isinstance(prop, ColumnProperty) or prop.columns[0].primary_key:
            return None
        history = state.attrs[key].history
        if history.added:
            changed[key] = history.added[0]
        elif not history.unchanged:
            return None  # set to nothing: expired or deleted, the ORM knows what to do
    return changed


def write_changes(session: Session, doc: Any) -> None:
    """Write the changes of ``doc`` and its lines with Core UPDATEs — the same statements
    the ORM's flush would send, versioned alike — and leave them clean.

    The engine calls this at the end of every step. Only that plain shape is covered:
    with anything else pending in the session (a new or deleted object, a change to
    another object or to a relationship) nothing is written here and the ORM's flush
    writes everything, as before.
    """
    if session.new or session.deleted:
        return
    state = instance_state(doc)
    ours = {state}
    for rel in state.mapper.relationships:
        if rel.direction.name == "ONETOMANY" and rel.key in state.dict:
            ours.update(instance_state(child) for child in state.dict[rel.key])
    dirty = [instance_state(obj) for obj in session.dirty]
    if not dirty or any(s not in ours for s in dirty):
        return
    plans = []
    for each in dirty:
        changed = _changes(each)
        if changed is None:
            return
        plans.append((each, changed))
    connection = session.connection()
    # Rows of one class changing the same columns go in one statement (an order's lines:
    # one round trip), as the ORM's flush batches them.
    batches: dict[tuple[Any, frozenset[str]], list[tuple[Any, dict[str, Any]]]] = {}
    for each, changed in plans:
        if changed:
            batches.setdefault((each.mapper, frozenset(changed)), []).append((each, changed))
    for (mapper, keys), rows in batches.items():
        _write_updates(connection, mapper, keys, rows)
    for each, _ in plans:
        each._commit_all(each.dict, session.identity_map)  # what a flush does after writing


def _write_updates(
    connection: Any, mapper: Any, keys: frozenset[str], rows: list[tuple[Any, dict[str, Any]]]
) -> None:
    statement, names = _update(mapper, keys)
    version = mapper.version_id_col
    version_key = None if version is None else mapper.get_property_by_column(version).key
    params = []
    for state, changed in rows:
        row = {col: changed[key] for key, col in names}
        row["_pk"] = state.identity[0]
        if version_key is not None:
            history = state.attrs[version_key].history
            # WHERE version = the version as loaded (before this step moved it on).
            row["_version"] = history.deleted[0] if history.deleted else state.dict[version_key]
        params.append(row)
    if len(params) == 1:
        matched = connection.execute(statement, params[0]).rowcount
    else:
        matched = connection.execute(statement, params).rowcount
        if not connection.dialect.supports_sane_multi_rowcount:
            return
    if matched != len(params):
        raise StaleDataError(
            f"UPDATE of {mapper.local_table} matched {matched} of {len(params)} rows: "
            "changed or deleted by someone else"
        )
