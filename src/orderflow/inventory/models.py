"""Warehouses, stock on hand and reservations (A5, I1).

Available = on_hand − reserved. Reservations are taken with one conditional UPDATE
(``… WHERE on_hand - reserved >= :qty``), which is atomic on both databases, so no number
of concurrent confirmations can sell the same unit twice.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
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
    """Stock held for one order line in one warehouse; released on cancel, consumed on ship."""

    __tablename__ = "reservations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    created_at: Mapped[datetime]


class StockMove(Base):
    """The stock ledger: every change of on-hand is one row (receipts, shipments, counts)."""

    __tablename__ = "stock_moves"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)  # + in, − out
    reason: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
