"""Shipments of an order: what left, with which carrier, and the customer's sign-off (K3–K6)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.db import Base, Quantity


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(120))
    tracking_number: Mapped[str] = mapped_column(String(120), default="")
    shipped_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    signed_by: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    lines: Mapped[list[ShipmentLine]] = relationship(cascade="all, delete-orphan")


class ShipmentLine(Base):
    __tablename__ = "shipment_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
