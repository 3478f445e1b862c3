"""The stock ledger: the one way stock changes (I1, I2, A5).

``post_moves`` writes one ``StockMove`` per location it touches and, in the same
transaction, moves both balances: ``LocationStock`` (what lies in each location) and, for
storage locations, ``StockLevel.on_hand`` (what the warehouse may sell or reserve). Every
rule sits in the WHERE clause of a conditional update, so no number of concurrent writers
can take a location below zero or on-hand below what is reserved: the loser gets no row,
the posting is rolled back to its savepoint, and the caller is told (``None``).

Rows are always taken in one order — the warehouse's ``StockLevel`` row first, then
location rows by id — so two postings never wait on each other in opposite orders.

Invariants (``check`` verifies them; the stateful tests hammer them):

* every location's balance equals the sum of its moves;
* every warehouse's on-hand equals the sum of its storage locations;
* 0 ≤ reserved ≤ on-hand, and reserved equals the reservations held there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, Table, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from orderflow.db import table_of
from orderflow.inventory.models import (
    STANDARD_LOCATIONS,
    Location,
    LocationKind,
    LocationStock,
    Reservation,
    StockLevel,
    StockMove,
    Warehouse,
)

ZERO = Decimal(0)
_levels = table_of(StockLevel)
_bins = table_of(LocationStock)
_moves = table_of(StockMove)
_locations = table_of(Location)


@dataclass(frozen=True)
class Part:
    """One location's share of a posting: + in, − out."""

    location_id: int
    quantity: Decimal


class _Refused(Exception):
    """A conditional update found no row: roll the posting back to its savepoint."""


def _insert_ignoring_duplicates(session: Session, table: Table, values: dict[str, Any]) -> None:
    """Make a balance row unless a concurrent transaction made it first."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported databases
        stmt = insert(table).values(**values)
    session.execute(stmt)


# --- locations ----------------------------------------------------------------------------


def locations_of(session: Session, warehouse_id: int) -> dict[str, Location]:
    """The warehouse's locations by code, making the standard ones (MAIN, QC, REJ) if missing."""
    found = {
        loc.code: loc
        for loc in session.scalars(select(Location).where(Location.warehouse_id == warehouse_id))
    }
    missing = [code for code in STANDARD_LOCATIONS if code not in found]
    if missing:
        for code in missing:
            kind, name = STANDARD_LOCATIONS[code]
            _insert_ignoring_duplicates(
                session,
                _locations,
                {
                    "warehouse_id": warehouse_id,
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "active": True,
                },
            )
        found = {
            loc.code: loc
            for loc in session.scalars(
                select(Location).where(Location.warehouse_id == warehouse_id)
            )
        }
    return found


def standard_location(session: Session, warehouse_id: int, code: str = "MAIN") -> Location:
    return locations_of(session, warehouse_id)[code]


# --- the one posting function ---------------------------------------------------------------


def post_moves(
    session: Session,
    *,
    warehouse_id: int,
    product_id: int,
    parts: Sequence[Part],
    reason: str,
    reference: str = "",
    at: datetime,
    actor_id: int | None = None,
    release: Decimal = ZERO,
) -> Decimal | None:
    """Post ``parts`` (location, ± quantity) of one product in one warehouse, or nothing.

    ``release`` gives back that much of the warehouse's reservation in the same update
    (a shipment issues reserved stock). Returns the warehouse's new on-hand, or ``None``
    when a rule refused: a location would go below zero, on-hand would fall below what
    stays reserved, or less is reserved than ``release``. Nothing is written then.
    """
    parts = [p for p in parts if p.quantity != 0]
    if not parts and not release:
        raise ValueError("a posting needs at least one non-zero part")
    kinds: dict[int, str] = dict(
        session.execute(
            select(_locations.c.id, _locations.c.kind).where(
                _locations.c.id.in_({p.location_id for p in parts}),
                _locations.c.warehouse_id == warehouse_id,
            )
        ).all()
    )
    if len(kinds) != len({p.location_id for p in parts}):
        raise ValueError("every location of a posting must belong to its warehouse")
    usable = sum((p.quantity for p in parts if kinds[p.location_id] == LocationKind.STORAGE), ZERO)
    on_hand: Decimal | None = None
    try:
        with session.begin_nested():
            if usable or release:
                on_hand = _move_level(session, warehouse_id, product_id, usable, release)
            elif any(p.quantity > 0 for p in parts):
                # Goods arriving in QC: the warehouse lists the product (nothing usable yet).
                _insert_ignoring_duplicates(
                    session,
                    _levels,
                    {
                        "warehouse_id": warehouse_id,
                        "product_id": product_id,
                        "on_hand": 0,
                        "reserved": 0,
                    },
                )
            for part in sorted(parts, key=lambda p: p.location_id):
                _move_bin(session, part, product_id)
            if parts:
                session.execute(
                    insert(_moves),
                    [
                        {
                            "warehouse_id": warehouse_id,
                            "location_id": part.location_id,
                            "product_id": product_id,
                            "quantity": part.quantity,
                            "reason": reason,
                            "reference": reference,
                            "at": at,
                            "actor_id": actor_id,
                        }
                        for part in parts
                    ],
                )
    except _Refused:
        return None
    if on_hand is None:
        on_hand = session.execute(
            select(_levels.c.on_hand).where(
                _levels.c.warehouse_id == warehouse_id, _levels.c.product_id == product_id
            )
        ).scalar()
    return Decimal(on_hand or 0)


def _move_level(
    session: Session, warehouse_id: int, product_id: int, delta: Decimal, release: Decimal
) -> Decimal:
    mine = (_levels.c.warehouse_id == warehouse_id) & (_levels.c.product_id == product_id)
    if delta > 0 and not release:
        _insert_ignoring_duplicates(
            session,
            _levels,
            {"warehouse_id": warehouse_id, "product_id": product_id, "on_hand": 0, "reserved": 0},
        )
    row = session.execute(
        update(_levels)
        .where(
            mine,
            _levels.c.on_hand + delta >= _levels.c.reserved - release,
            _levels.c.reserved >= release,
        )
        .values(on_hand=_levels.c.on_hand + delta, reserved=_levels.c.reserved - release)
        .returning(_levels.c.on_hand)
    ).one_or_none()
    if row is None:
        raise _Refused
    return Decimal(row.on_hand)


def _move_bin(session: Session, part: Part, product_id: int) -> None:
    if part.quantity > 0:
        _insert_ignoring_duplicates(
            session,
            _bins,
            {"location_id": part.location_id, "product_id": product_id, "quantity": 0},
        )
    done = cast(
        CursorResult[Any],
        session.execute(
            update(_bins)
            .where(
                _bins.c.location_id == part.location_id,
                _bins.c.product_id == product_id,
                _bins.c.quantity + part.quantity >= 0,
            )
            .values(quantity=_bins.c.quantity + part.quantity)
        ),
    ).rowcount
    if done != 1:
        raise _Refused


# --- what callers use ---------------------------------------------------------------------


def receive(
    session: Session,
    *,
    warehouse_id: int,
    product_id: int,
    quantity: Decimal,
    reason: str,
    at: datetime,
    reference: str = "",
    actor_id: int | None = None,
    location: str | int = "MAIN",
) -> Decimal:
    """Stock comes in to one location (a code of the warehouse's, or a location id)."""
    if quantity <= 0:
        raise ValueError("a receipt brings a positive quantity")
    loc_id = (
        location
        if isinstance(location, int)
        else standard_location(session, warehouse_id, location).id
    )
    result = post_moves(
        session,
        warehouse_id=warehouse_id,
        product_id=product_id,
        parts=[Part(loc_id, quantity)],
        reason=reason,
        reference=reference,
        at=at,
        actor_id=actor_id,
    )
    assert result is not None  # an incoming move has no rule that can refuse it
    return result


def _picks(session: Session, warehouse_id: int, product_id: int) -> list[tuple[int, Decimal]]:
    """Storage locations holding the product, fullest first."""
    rows = session.execute(
        select(_bins.c.location_id, _bins.c.quantity)
        .join(_locations, _locations.c.id == _bins.c.location_id)
        .where(
            _locations.c.warehouse_id == warehouse_id,
            _locations.c.kind == LocationKind.STORAGE,
            _bins.c.product_id == product_id,
            _bins.c.quantity > 0,
        )
        .order_by(_bins.c.quantity.desc(), _bins.c.location_id)
    ).all()
    return [(row.location_id, Decimal(row.quantity)) for row in rows]


def issue(
    session: Session,
    *,
    warehouse_id: int,
    product_id: int,
    quantity: Decimal,
    reason: str,
    at: datetime,
    reference: str = "",
    actor_id: int | None = None,
    release: Decimal = ZERO,
    location_id: int | None = None,
) -> Decimal | None:
    """Stock leaves the warehouse's storage (from ``location_id``, else fullest locations
    first). Returns the new on-hand, or None when there is not that much to take."""
    if quantity <= 0:
        raise ValueError("an issue takes a positive quantity")
    for _ in range(2):  # the balances read may be stale by the update: re-read once
        if location_id is not None:
            parts = [Part(location_id, -quantity)]
        else:
            left, parts = quantity, []
            for loc_id, free in _picks(session, warehouse_id, product_id):
                take = min(left, free)
                parts.append(Part(loc_id, -take))
                left -= take
                if left <= 0:
                    break
            if left > 0:
                return None
        result = post_moves(
            session,
            warehouse_id=warehouse_id,
            product_id=product_id,
            parts=parts,
            reason=reason,
            reference=reference,
            at=at,
            actor_id=actor_id,
            release=release,
        )
        if result is not None or location_id is not None:
            return result
    return None


def relocate(
    session: Session,
    *,
    warehouse_id: int,
    product_id: int,
    quantity: Decimal,
    from_location_id: int,
    to_location_id: int,
    reason: str,
    at: datetime,
    reference: str = "",
    actor_id: int | None = None,
) -> Decimal | None:
    """Move stock between two locations of one warehouse (put away after inspection,
    set aside rejects, shelve elsewhere). Returns the new on-hand, or None if refused."""
    if quantity <= 0 or from_location_id == to_location_id:
        raise ValueError("a relocation moves a positive quantity between two locations")
    return post_moves(
        session,
        warehouse_id=warehouse_id,
        product_id=product_id,
        parts=[Part(from_location_id, -quantity), Part(to_location_id, quantity)],
        reason=reason,
        reference=reference,
        at=at,
        actor_id=actor_id,
    )


# --- reads --------------------------------------------------------------------------------


def held(
    session: Session, *, company_id: int, product_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], dict[str, Decimal]]:
    """Stock outside storage per (warehouse, product): {"inspection": q, "rejected": q}."""
    query = (
        select(_locations.c.warehouse_id, _bins.c.product_id, _locations.c.kind, _bins.c.quantity)
        .join(_locations, _locations.c.id == _bins.c.location_id)
        .join(Warehouse, Warehouse.id == _locations.c.warehouse_id)
        .where(
            Warehouse.company_id == company_id,
            _locations.c.kind != LocationKind.STORAGE,
            _bins.c.quantity > 0,
        )
    )
    if product_ids is not None:
        query = query.where(_bins.c.product_id.in_(list(product_ids)))
    out: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for row in session.execute(query):
        key = (row.warehouse_id, row.product_id)
        out[key][row.kind] = out[key].get(row.kind, ZERO) + Decimal(row.quantity)
    return dict(out)


def _q(value: object) -> Decimal:
    """Sums come back as floats on SQLite; compare at the ledger's precision."""
    return Decimal(str(value or 0)).quantize(Decimal("0.0001"))


def check(session: Session) -> list[str]:
    """Every broken ledger invariant, in words (empty when the books balance)."""
    problems: list[str] = []
    moved = {
        (row.location_id, row.product_id): _q(row.total)
        for row in session.execute(
            select(
                _moves.c.location_id,
                _moves.c.product_id,
                func.sum(_moves.c.quantity).label("total"),
            ).group_by(_moves.c.location_id, _moves.c.product_id)
        )
    }
    kinds: dict[int, str] = dict(session.execute(select(_locations.c.id, _locations.c.kind)).all())
    warehouse_of: dict[int, int] = dict(
        session.execute(select(_locations.c.id, _locations.c.warehouse_id)).all()
    )
    storage: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in session.execute(select(_bins.c.location_id, _bins.c.product_id, _bins.c.quantity)):
        key = (row.location_id, row.product_id)
        balance = _q(row.quantity)
        if balance < 0:
            problems.append(f"location {key[0]} product {key[1]}: negative balance {balance}")
        if moved.pop(key, _q(0)) != balance:
            problems.append(
                f"location {key[0]} product {key[1]}: balance {balance} is not the sum of its moves"
            )
        if kinds.get(row.location_id) == LocationKind.STORAGE:
            storage[(warehouse_of[row.location_id], row.product_id)] += balance
    for (loc, product), total in moved.items():
        if total:
            problems.append(
                f"location {loc} product {product}: moves sum to {total} but no balance"
            )
    reserved = {
        (row.warehouse_id, row.product_id): _q(row.total)
        for row in session.execute(
            select(
                Reservation.warehouse_id,
                Reservation.product_id,
                func.sum(Reservation.quantity).label("total"),
            ).group_by(Reservation.warehouse_id, Reservation.product_id)
        )
    }
    for row in session.execute(
        select(_levels.c.warehouse_id, _levels.c.product_id, _levels.c.on_hand, _levels.c.reserved)
    ):
        key = (row.warehouse_id, row.product_id)
        on_hand, held_back = _q(row.on_hand), _q(row.reserved)
        if on_hand != storage.pop(key, _q(0)):
            problems.append(
                f"warehouse {key[0]} product {key[1]}: on-hand {on_hand} is not the sum of its storage"
            )
        if not ZERO <= held_back <= on_hand:
            problems.append(
                f"warehouse {key[0]} product {key[1]}: reserved {held_back} of {on_hand}"
            )
        if held_back != reserved.pop(key, _q(0)):
            problems.append(
                f"warehouse {key[0]} product {key[1]}: reserved {held_back} is not its reservations"
            )
    for key, total in storage.items():
        if total:
            problems.append(
                f"warehouse {key[0]} product {key[1]}: {total} in storage, no stock level"
            )
    for key, total in reserved.items():
        if total:
            problems.append(
                f"warehouse {key[0]} product {key[1]}: reservations of {total}, no stock level"
            )
    return problems
