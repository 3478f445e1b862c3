"""Customers and dealers with their contacts and delivery addresses (A1)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.db import Base


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    #: Customer class (A, B, C…) or dealer; drives the price list and credit rules.
    customer_class: Mapped[str] = mapped_column(String(20), default="B")
    is_dealer: Mapped[bool] = mapped_column(Boolean, default=False)
    #: New customers get stricter credit checks (B3) until they have a paid order.
    is_new: Mapped[bool] = mapped_column(Boolean, default=True)
    credit_limit: Mapped[Decimal]
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    price_list: Mapped[str] = mapped_column(String(20), default="STD")
    region: Mapped[str | None] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(8), default="zh-CN")
    quality_standard: Mapped[str | None] = mapped_column(Text)
    shipping_standard: Mapped[str | None] = mapped_column(Text)
    #: The salesperson who owns the account; they see its orders.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id"
    )
    addresses: Mapped[list[Address]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Address.id"
    )


class Contact(Base):
    __tablename__ = "customer_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class Address(Base):
    __tablename__ = "customer_addresses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    province: Mapped[str] = mapped_column(String(60), default="")
    city: Mapped[str] = mapped_column(String(60), default="")
    line: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(20))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    #: False for an address our carriers cannot reach (B3 deliverable area).
    deliverable: Mapped[bool] = mapped_column(Boolean, default=True)

    customer: Mapped[Customer] = relationship(back_populates="addresses")

    def one_line(self) -> str:
        return " ".join(part for part in (self.province, self.city, self.line) if part)
