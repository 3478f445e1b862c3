"""Products with model/spec, unit, kind, and price lists (A2)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.db import Base, Quantity


class ProductKind(StrEnum):
    FINISHED = "finished"
    COMPONENT = "component"
    RAW = "raw"
    CUSTOMER_SUPPLIED = "customer_supplied"


#: Kinds a customer can order.
SELLABLE_KINDS = frozenset({ProductKind.FINISHED, ProductKind.COMPONENT})


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    model_spec: Mapped[str] = mapped_column(String(200), default="")  # 规格型号
    unit: Mapped[str] = mapped_column(String(20), default="pcs")
    kind: Mapped[str] = mapped_column(String(20), default=ProductKind.FINISHED)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]

    prices: Mapped[list[PriceListEntry]] = relationship(
        back_populates="product",
        cascade="all, delete-orphan",
        order_by="PriceListEntry.min_quantity",
    )

    @property
    def sellable(self) -> bool:
        return self.active and self.kind in SELLABLE_KINDS


class PriceListEntry(Base):
    """A price on one list (报价表), optionally for quantities from ``min_quantity`` up."""

    __tablename__ = "price_list_entries"
    __table_args__ = (UniqueConstraint("product_id", "price_list", "min_quantity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    price_list: Mapped[str] = mapped_column(String(20), default="STD")
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    unit_price: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")

    product: Mapped[Product] = relationship(back_populates="prices")


def list_price(prices: list[PriceListEntry], price_list: str, quantity: Decimal) -> Decimal | None:
    """The price for ``quantity`` on ``price_list``, falling back to the standard list."""
    for name in (price_list, "STD"):
        tiers = [p for p in prices if p.price_list == name and p.min_quantity <= quantity]
        if tiers:
            return max(tiers, key=lambda p: p.min_quantity).unit_price
    return None
