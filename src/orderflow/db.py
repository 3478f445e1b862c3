"""Engine, declarative base and the unit of work.

SQLite is the zero-set-up default and PostgreSQL the production database; the same code
runs on both. On SQLite every transaction begins IMMEDIATE so concurrent writers queue on
the database lock instead of failing half-way with "database is locked" on upgrade.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    MetaData,
    Numeric,
    Table,
    TypeDecorator,
    create_engine,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from orderflow.core.clock import as_utc
from orderflow.core.errors import FieldError, ValidationFailed, VersionMismatch

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always hands back aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


# Money and quantities: 18 digits with 4 decimals covers any order value and unit fraction.
Money = Numeric(18, 2, asdecimal=True)
Quantity = Numeric(18, 4, asdecimal=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), Decimal: Money, dict[str, Any]: JSON}


def table_of(model: type[Any]) -> Table:
    """A mapped class's Table for Core statements (``__table__`` is typed as a FromClause)."""
    return cast(Table, model.__table__)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


#: Execution option marking a unit of work that only reads.
READ_ONLY = "orderflow_read_only"


#: What a driver raises for a value the database cannot hold: an integer past 64 bits
#: (sqlite3's OverflowError, PostgreSQL's numeric_value_out_of_range), text with a NUL
#: byte (psycopg refuses it before sending). Raised while binding a caller's value, so it
#: is bad input — answered 422 — never a server fault.
_UNSTORABLE_SQLSTATES = ("22003", "22P05", "22021")


def _unstorable(exc: BaseException) -> bool:
    if isinstance(exc, OverflowError):
        return True
    if "cannot contain NUL" in str(exc):  # psycopg's DataError, raised before sending
        return True
    return getattr(exc, "sqlstate", None) in _UNSTORABLE_SQLSTATES


def _refuse_unstorable_values(engine: Engine) -> None:
    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        if _unstorable(context.original_exception):
            raise ValidationFailed.of(
                [
                    FieldError(
                        "request",
                        "A value is out of range: a number beyond 64 bits, or text with a "
                        "NUL character",
                        "out_of_range",
                    )
                ]
            ) from context.original_exception


def make_engine(url: str, **kwargs: Any) -> Engine:
    if is_sqlite(url):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _tune_sqlite(engine)
        _refuse_unstorable_values(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    # No pre-ping: it costs a round trip on every unit of work. A connection the server
    # dropped fails one request (clients retry safely with Idempotency-Key) and SQLAlchemy
    # then replaces every pooled connection; recycling keeps them from growing stale.
    kwargs.setdefault("pool_recycle", 1800)
    engine = create_engine(url, **kwargs)
    _refuse_unstorable_values(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Reads begin deferred: in WAL mode they never wait for the writer. An IMMEDIATE
        # read would queue behind every write on SQLite's sleeping busy handler.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class FairLock:
    """A lock taken in arrival order: the thread releasing it hands it to the longest
    waiter, so no writer can barge ahead of those queued (a plain Lock lets the releasing
    thread take it straight back, which starved some writers for a second under load)."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            baton = threading.Lock()
            baton.acquire()
            self._waiters.append(baton)
        baton.acquire()  # released by the holder handing over; _held stays True meanwhile

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._held = False

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Database:
    """Owns the engine and hands out units of work (one transaction each)."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time. Queueing this process's writers on a lock is fair
        # and wakes the next one at once; SQLite's own busy handler sleeps and retries, which
        # gave multi-second tails under 8 concurrent clients. Other processes still meet the
        # busy timeout.
        self._write_lock: FairLock | None = FairLock() if is_sqlite(url) else None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def single_writer(self) -> bool:
        """Every write transaction holds the whole database (SQLite's BEGIN IMMEDIATE), so
        no two interleave: what one reads stays true until it commits, without row locks."""
        return is_sqlite(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One use case, one commit: everything inside is written together or not at all.

        A document changed by someone else since it was loaded (its versioned UPDATE found
        no row) rolls the whole use case back as VersionMismatch.
        """
        try:
            if self._write_lock is None:
                with self.sessions() as session, session.begin():
                    yield session
                return
            with self._write_lock, self.sessions() as session, session.begin():
                yield session
        except StaleDataError as exc:
            raise VersionMismatch(
                "The document was changed by someone else; reload and retry"
            ) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads; closing it ends the transaction and leaves loaded objects
        usable (detached, not expired). Never write through it."""
        with self._read_sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
