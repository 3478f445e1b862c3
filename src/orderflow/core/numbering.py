"""Human document numbers, unique per company, prefix and year: SO-2026-000001."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, ForeignKey, Integer, String, bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from orderflow.db import Base, table_of


class Counter(Base):
    __tablename__ = "counters"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


_counters = table_of(Counter)
_BUMP = (
    update(_counters)
    .where(
        _counters.c.company_id == bindparam("k_company"),
        _counters.c.prefix == bindparam("k_prefix"),
        _counters.c.year == bindparam("k_year"),
    )
    .values(last=_counters.c.last + 1)
    .returning(_counters.c.last)
)


def next_number(
    session: Session, *, company_id: int, prefix: str, year: int, gapless: bool = True
) -> str:
    """The next number for ``prefix`` in the company and year.

    ``gapless``: taken in the caller's transaction; the counter row stays locked until
    commit and a rolled-back transaction gives its number back. Otherwise (PostgreSQL) the
    number is taken and committed at once on a connection of its own, so concurrent
    creators never queue on the counter; a failed request then leaves a gap. On SQLite,
    with its single writer, numbers are always taken in the caller's transaction.
    """
    key = {"k_company": company_id, "k_prefix": prefix, "k_year": year}
    bind = session.get_bind()
    if gapless or bind.dialect.name == "sqlite" or not isinstance(bind, Engine):
        return _format(prefix, year, _take(session.connection(), key))
    with bind.connect() as own:
        value = _take(own, key)
        own.commit()
    return _format(prefix, year, value)


def _format(prefix: str, year: int, value: int) -> str:
    return f"{prefix}-{year}-{value:06d}"


def _take(conn: Connection, key: dict[str, object]) -> int:
    value = conn.execute(_BUMP, key).scalar()
    if value is None:
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(_counters).values(
                        company_id=key["k_company"],
                        prefix=key["k_prefix"],
                        year=key["k_year"],
                        last=0,
                    )
                )
        except IntegrityError:
            pass  # another transaction made the row first; the bump below queues behind it
        value = conn.execute(_BUMP, key).scalar_one()
    return int(value)
