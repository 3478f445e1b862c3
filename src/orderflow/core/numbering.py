"""Human document numbers, unique per company, prefix and year: SO-2026-000001."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from orderflow.db import Base


class Counter(Base):
    __tablename__ = "counters"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


def next_number(session: Session, *, company_id: int, prefix: str, year: int) -> str:
    """Take the next number in the caller's transaction.

    The counter row stays locked until commit, so callers take the number as late as they
    can (just before committing) to keep concurrent creates from queueing on it. A rolled
    back transaction gives its number back: there are no gaps from failed requests.
    """
    table = Counter.__table__
    bump = (
        update(table)
        .where(table.c.company_id == company_id, table.c.prefix == prefix, table.c.year == year)
        .values(last=table.c.last + 1)
        .returning(table.c.last)
    )
    value = session.execute(bump).scalar()
    if value is None:
        try:
            with session.begin_nested():
                session.execute(
                    insert(table).values(company_id=company_id, prefix=prefix, year=year, last=0)
                )
        except IntegrityError:
            pass  # another transaction made the row first; the bump below queues behind it
        value = session.execute(bump).scalar_one()
    return f"{prefix}-{year}-{value:06d}"
