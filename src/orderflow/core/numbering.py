"""Human document numbers, unique per company, prefix and year: SO-2026-000001."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, bindparam, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from orderflow.db import Base


class Counter(Base):
    __tablename__ = "counters"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


_counters = Counter.__table__
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


def next_number(session: Session, *, company_id: int, prefix: str, year: int) -> str:
    """Take the next number in the caller's transaction.

    The counter row stays locked until commit, so callers take the number as late as they
    can (just before committing) to keep concurrent creates from queueing on it. A rolled
    back transaction gives its number back: there are no gaps from failed requests.
    """
    key = {"k_company": company_id, "k_prefix": prefix, "k_year": year}
    value = session.connection().execute(_BUMP, key).scalar()
    if value is None:
        try:
            with session.begin_nested():
                session.execute(
                    insert(_counters).values(
                        company_id=company_id, prefix=prefix, year=year, last=0
                    )
                )
        except IntegrityError:
            pass  # another transaction made the row first; the bump below queues behind it
        value = session.connection().execute(_BUMP, key).scalar_one()
    return f"{prefix}-{year}-{value:06d}"
