"""Reserving, releasing and issuing stock with conditional updates (I1).

Every change is a single UPDATE whose WHERE clause carries the rule (enough available,
enough reserved), so the database decides atomically and a losing racer simply gets no
row: no locks held across statements, no oversell on either database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from orderflow.db import table_of
from orderflow.inventory import ledger
from orderflow.inventory.models import Reservation, StockLevel, Warehouse


@dataclass(frozen=True)
class Want:
    line_id: int
    product_id: int
    quantity: Decimal


@dataclass(frozen=True)
class Shortage:
    line_id: int
    product_id: int
    wanted: Decimal
    reserved: Decimal

    @property
    def missing(self) -> Decimal:
        return self.wanted - self.reserved


_stock = table_of(StockLevel)
_warehouses = table_of(Warehouse)
# The statements below run on the session's connection: they touch no ORM state, so they
# need not (and must not, on this hot path) flush the session first as Session.execute does.


# Built once: these run for every line of every confirmation.
_RESERVE = (
    update(_stock)
    .where(
        _stock.c.id == bindparam("level_id"),
        _stock.c.on_hand - _stock.c.reserved >= bindparam("qty"),
    )
    .values(reserved=_stock.c.reserved + bindparam("qty"))
)
_FREE = select(_stock.c.on_hand - _stock.c.reserved).where(_stock.c.id == bindparam("level_id"))
_CANDIDATES = (
    select(
        _stock.c.id,
        _stock.c.product_id,
        _stock.c.warehouse_id,
        (_stock.c.on_hand - _stock.c.reserved).label("free"),
    )
    .join(_warehouses, _warehouses.c.id == _stock.c.warehouse_id)
    .where(
        _stock.c.product_id.in_(bindparam("product_ids", expanding=True)),
        _warehouses.c.company_id == bindparam("company_id"),
    )
    .order_by((_stock.c.on_hand - _stock.c.reserved).desc(), _stock.c.id)
)
_INSERT_RESERVATIONS = insert(table_of(Reservation))


def _try_reserve(session: Session, level_id: int, qty: Decimal) -> bool:
    return session.connection().execute(_RESERVE, {"level_id": level_id, "qty": qty}).rowcount == 1


def _reserve_from(session: Session, level_id: int, take: Decimal) -> Decimal:
    """Reserve up to ``take`` from one stock row; returns what was reserved.

    The free figure read before may be stale by now; the conditional update decides. When
    it refuses, re-read what is free and try once more with that.
    """
    for _ in range(2):
        if take <= 0:
            return Decimal(0)
        if _try_reserve(session, level_id, take):
            return take
        free: Decimal = session.connection().execute(_FREE, {"level_id": level_id}).scalar_one()
        take = min(take, Decimal(free))
    return Decimal(0)


def reserve(
    session: Session, *, company_id: int, wants: Iterable[Want], at: datetime
) -> tuple[dict[int, Decimal], list[Shortage]]:
    """Reserve each line from the company's warehouses, fullest first, as much as there is.

    Returns what was reserved per line and the lines left short; the caller decides
    whether a shortage rolls the whole step back. Lines are taken in product order so two
    orders never wait on each other's rows in opposite orders (no deadlock).
    """
    wants = sorted(wants, key=lambda w: (w.product_id, w.line_id))
    # One read of every candidate stock row (fullest first); the conditional updates decide.
    by_product: dict[int, list[Any]] = {}
    for row in session.connection().execute(
        _CANDIDATES,
        {"product_ids": sorted({w.product_id for w in wants}), "company_id": company_id},
    ):
        by_product.setdefault(row.product_id, []).append(row)
    reserved: dict[int, Decimal] = {}
    shortages: list[Shortage] = []
    rows: list[dict[str, Any]] = []
    for want in wants:
        left = want.quantity
        for level in by_product.get(want.product_id, []):
            if left <= 0:
                break
            take = _reserve_from(session, level.id, min(left, Decimal(level.free)))
            if take > 0:
                rows.append(
                    {
                        "order_line_id": want.line_id,
                        "warehouse_id": level.warehouse_id,
                        "product_id": want.product_id,
                        "quantity": take,
                        "created_at": at,
                    }
                )
                left -= take
        got = want.quantity - left
        if got:
            reserved[want.line_id] = got
        if left > 0:
            shortages.append(Shortage(want.line_id, want.product_id, want.quantity, got))
    if rows:
        # Core insert: no ORM flush on the hot path of every confirmation.
        session.connection().execute(_INSERT_RESERVATIONS, rows)
    return reserved, shortages


def available(
    session: Session, *, company_id: int, product_ids: Iterable[int]
) -> dict[int, Decimal]:
    rows: Any = session.execute(
        select(_stock.c.product_id, func.sum(_stock.c.on_hand - _stock.c.reserved))
        .join(Warehouse, Warehouse.id == _stock.c.warehouse_id)
        .where(_stock.c.product_id.in_(list(product_ids)), Warehouse.company_id == company_id)
        .group_by(_stock.c.product_id)
    ).all()
    return {pid: Decimal(free or 0) for pid, free in rows}


def _held_by(line_ids: Iterable[int], transfer_line_ids: Iterable[int]) -> Any:
    """Reservations of these sales order lines and these transfer lines."""
    return or_(
        Reservation.order_line_id.in_(list(line_ids)),
        Reservation.transfer_line_id.in_(list(transfer_line_ids)),
    )


def hold_for_transfer(
    session: Session,
    *,
    transfer_line_id: int,
    warehouse_id: int,
    product_id: int,
    quantity: Decimal,
    at: datetime,
) -> bool:
    """Hold ``quantity`` at the supplying warehouse for a transfer line (A5), all of it or
    nothing: goods promised to a sister company are not free to sell meanwhile. Callers
    take their lines in product order, as ``reserve`` does (no lock cycles)."""
    level_id = (
        session.connection()
        .execute(
            select(_stock.c.id).where(
                _stock.c.warehouse_id == warehouse_id, _stock.c.product_id == product_id
            )
        )
        .scalar()
    )
    if level_id is None or not _try_reserve(session, level_id, quantity):
        return False
    session.connection().execute(
        _INSERT_RESERVATIONS,
        {
            "order_line_id": None,
            "transfer_line_id": transfer_line_id,
            "warehouse_id": warehouse_id,
            "product_id": product_id,
            "quantity": quantity,
            "created_at": at,
        },
    )
    return True


def release(
    session: Session, *, line_ids: Iterable[int] = (), transfer_line_ids: Iterable[int] = ()
) -> Decimal:
    """Give back every reservation of these order lines and transfer lines; returns the
    quantity released."""
    total = Decimal(0)
    rows = session.scalars(
        select(Reservation)
        .where(_held_by(line_ids, transfer_line_ids))
        # Stock rows in product order, as reservations take them: no lock cycles.
        .order_by(Reservation.product_id, Reservation.warehouse_id, Reservation.id)
    )
    for res in rows:
        session.execute(
            update(_stock)
            .where(_stock.c.warehouse_id == res.warehouse_id, _stock.c.product_id == res.product_id)
            .values(reserved=_stock.c.reserved - res.quantity)
        )
        total += res.quantity
        session.delete(res)
    return total


def issue_reserved(
    session: Session,
    *,
    line_id: int | None = None,
    transfer_line_id: int | None = None,
    quantity: Decimal,
    at: datetime,
    reference: str,
    actor_id: int | None,
    reason: str = "shipment",
) -> Decimal:
    """Ship ``quantity`` of an order line (or a transfer line) out of its reservations:
    on-hand and reserved both drop, ledger rows per location (inventory.ledger). Returns
    how much could be issued (≤ quantity)."""
    left = quantity
    for res in session.scalars(
        select(Reservation)
        .where(
            _held_by([line_id] if line_id else [], [transfer_line_id] if transfer_line_id else [])
        )
        .order_by(Reservation.id)
    ):
        if left <= 0:
            break
        take = min(left, res.quantity)
        # Through the ledger: on-hand and reserved drop together, one move per location.
        done = ledger.issue(
            session,
            warehouse_id=res.warehouse_id,
            product_id=res.product_id,
            quantity=take,
            release=take,
            reason=reason,
            reference=reference,
            at=at,
            actor_id=actor_id,
        )
        if done is None:
            continue
        res.quantity -= take
        if res.quantity == 0:
            session.delete(res)
        left -= take
    return quantity - left
