"""Warehouses, their locations, stock on hand, reservations and the stock ledger (A5, I1).

Available = on_hand − reserved. Reservations are taken with one conditional UPDATE
(``… WHERE on_hand - reserved >= :qty``), which is atomic on both databases, so no number
of concurrent confirmations can sell the same unit twice.

Stock lies in *locations* of a warehouse. Only storage locations hold usable stock:
``StockLevel.on_hand`` is the sum over a warehouse's storage locations, so goods waiting
for incoming inspection (待检区) or rejected by it (不合格品区) are never available to
sell or reserve. Every change goes through ``inventory.ledger.post_moves``, which writes
the ledger rows and both balances in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orderflow.db import Base, Quantity


class Warehouse(Base):
    __tablename__ = "warehouses"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")


class StockLevel(Base):
    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "product_id"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    on_hand: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class Reservation(Base):
    """Stock held in one warehouse for one sales order line, or for one line of a transfer
    to a sister company (调拨, agreed but not shipped yet); released on cancel, consumed on
    ship."""

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("(order_line_id IS NULL) <> (transfer_line_id IS NULL)", name="holder"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("sales_order_lines.id"), index=True
    )
    transfer_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("transfer_lines.id"), index=True
    )
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    created_at: Mapped[datetime]


class LocationKind(StrEnum):
    #: Usable stock: counts in ``StockLevel.on_hand``.
    STORAGE = "storage"
    #: 待检区: received, waiting for incoming inspection (I2, H5).
    INSPECTION = "inspection"
    #: 不合格品区: failed inspection, waiting to be returned or accepted by concession.
    REJECTED = "rejected"


#: The locations every warehouse has (made on first use): code → (kind, name).
STANDARD_LOCATIONS = {
    "MAIN": (LocationKind.STORAGE, "主库位"),
    "QC": (LocationKind.INSPECTION, "待检区"),
    "REJ": (LocationKind.REJECTED, "不合格品区"),
}


class Location(Base):
    """A place in a warehouse (库位): a shelf or area of storage, inspection or rejects."""

    __tablename__ = "stock_locations"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(12), default=LocationKind.STORAGE)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class LocationStock(Base):
    """What lies in one location: the sum of the ledger's moves there."""

    __tablename__ = "location_stock"
    __table_args__ = (
        UniqueConstraint("location_id", "product_id"),
        CheckConstraint("quantity >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))


class StockMove(Base):
    """The stock ledger: every change of stock is one row per location (receipts,
    inspections, shipments, transfers, counts). A move between two locations is two rows."""

    __tablename__ = "stock_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)  # + in, − out
    reason: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
