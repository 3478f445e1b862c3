"""The stock ledger: every change through one posting, balances always the sum of moves."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text, update

from orderflow.db import make_engine
from orderflow.inventory import ledger
from orderflow.inventory import service as stock
from orderflow.inventory.models import Location, LocationKind, LocationStock, StockLevel, StockMove
from orderflow.migrate import upgrade
from orderflow.models import metadata
from orderflow.runtime import Runtime
from tests.factories import World, make_world

D = Decimal


def _level(rt: Runtime, world: World, code: str) -> tuple[Decimal, Decimal]:
    with rt.db.reading() as s:
        row = s.execute(
            select(StockLevel.on_hand, StockLevel.reserved).where(
                StockLevel.warehouse_id == world.warehouse_id,
                StockLevel.product_id == world.products[code],
            )
        ).one()
        return row.on_hand, row.reserved


def test_goods_awaiting_inspection_are_not_available_until_put_away(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": 10})
    with rt.db.transaction() as s:
        locs = ledger.locations_of(s, world.warehouse_id)
        ledger.receive(
            s,
            warehouse_id=world.warehouse_id,
            product_id=world.products["P1"],
            quantity=D(5),
            reason="receipt",
            location="QC",
            at=rt.now(),
        )
        # awaiting inspection: on the books of the QC location, not available
        assert stock.available(
            s, company_id=world.company_id, product_ids=[world.products["P1"]]
        ) == {world.products["P1"]: D(10)}
        held = ledger.held(s, company_id=world.company_id)
        assert held[(world.warehouse_id, world.products["P1"])] == {LocationKind.INSPECTION: D(5)}
        on_hand = ledger.relocate(
            s,
            warehouse_id=world.warehouse_id,
            product_id=world.products["P1"],
            quantity=D(5),
            from_location_id=locs["QC"].id,
            to_location_id=locs["MAIN"].id,
            reason="inspection_accepted",
            at=rt.now(),
        )
        assert on_hand == D(15)
        assert ledger.check(s) == []


def test_a_refused_posting_writes_nothing(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": 10})
    with rt.db.transaction() as s:
        product = world.products["P1"]
        s.execute(update(StockLevel).where(StockLevel.product_id == product).values(reserved=D(8)))
        moves_before = s.scalar(select(func.count()).select_from(StockMove))
        # Only 2 are free: taking 3 would eat into what orders hold.
        assert (
            ledger.issue(
                s,
                warehouse_id=world.warehouse_id,
                product_id=product,
                quantity=D(3),
                reason="scrap",
                at=rt.now(),
            )
            is None
        )
        # More than lies in the warehouse at all.
        assert (
            ledger.issue(
                s,
                warehouse_id=world.warehouse_id,
                product_id=product,
                quantity=D(11),
                reason="scrap",
                release=D(8),
                at=rt.now(),
            )
            is None
        )
        assert s.scalar(select(func.count()).select_from(StockMove)) == moves_before
        assert s.scalar(select(StockLevel.on_hand).where(StockLevel.product_id == product)) == D(10)
        # Releasing the reservation in the same posting is how a shipment takes it.
        assert ledger.issue(
            s,
            warehouse_id=world.warehouse_id,
            product_id=product,
            quantity=D(8),
            release=D(8),
            reason="shipment",
            at=rt.now(),
        ) == D(2)


def test_an_issue_takes_from_the_fullest_locations_first(rt: Runtime) -> None:
    world = make_world(rt, stock={"P2": 3})
    with rt.db.transaction() as s:
        shelf = Location(warehouse_id=world.warehouse_id, code="A-01", kind=LocationKind.STORAGE)
        s.add(shelf)
        s.flush()
        ledger.receive(
            s,
            warehouse_id=world.warehouse_id,
            product_id=world.products["P2"],
            quantity=D(7),
            reason="receipt",
            location=shelf.id,
            at=rt.now(),
        )
        assert ledger.issue(
            s,
            warehouse_id=world.warehouse_id,
            product_id=world.products["P2"],
            quantity=D(9),
            reason="shipment",
            reference="SH-1",
            at=rt.now(),
        ) == D(1)
        moves = s.execute(
            select(StockMove.location_id, StockMove.quantity).where(StockMove.reference == "SH-1")
        ).all()
        main = ledger.standard_location(s, world.warehouse_id).id
        assert sorted((m.location_id, m.quantity) for m in moves) == sorted(
            [(shelf.id, D(-7)), (main, D(-2))]
        )
        assert ledger.check(s) == []


def test_the_check_names_a_balance_that_is_not_its_moves(rt: Runtime) -> None:
    world = make_world(rt, stock={"P1": 10})
    with rt.db.transaction() as s:
        s.execute(update(LocationStock).values(quantity=D(11)))
        problems = ledger.check(s)
    assert any("not the sum of its moves" in p for p in problems)
    assert any("not the sum of its storage" in p for p in problems)
    assert world.warehouse_id


def test_stock_recorded_before_locations_is_placed_in_main(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO companies (id, code, name, currency) VALUES (1, 'A', 'A', 'CNY')")
        )
        conn.execute(
            text(
                "INSERT INTO products (id, company_id, code, name, model_spec, unit, kind, active,"
                " lead_time_days, created_at) VALUES (1, 1, 'P', 'P', '', 'pcs', 'raw', 1, 0,"
                " '2026-01-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO warehouses (id, company_id, code, name, address) VALUES (1, 1, 'W', 'W', '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO stock_levels (warehouse_id, product_id, on_hand, reserved) VALUES (1, 1, 12, 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO stock_moves (warehouse_id, product_id, quantity, reason, reference, at)"
                " VALUES (1, 1, 5, 'count', '', '2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        assert ledger.check(s) == []
        assert s.scalar(select(func.count()).select_from(Location)) == 3
    engine.dispose()


def test_the_migrations_match_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    engine.dispose()
    assert diff == []
