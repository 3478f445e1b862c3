"""Transfer orders, customer-supplied notices and stock counts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.catalog.models import Product
from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base, Quantity

ZERO = Decimal(0)


@register_document
class TransferOrder(DocumentMixin, Base):
    """调拨单: stock moved from a sister company of the group before anything is bought (A5).

    It belongs to the *supplying* company (``company_id``), whose warehouse must ship it
    and whose task that is; the receiving company (``to_company_id``) sees it too."""

    __tablename__ = "transfer_orders"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "transfer_order"
    number_prefix = "TR"

    to_company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    from_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    to_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    #: The receiving company's sales order it is for, if any.
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    needed_by: Mapped[date]
    #: What asked for it: a requisition number, or planning's reason.
    origin: Mapped[str] = mapped_column(String(300), default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    carrier: Mapped[str] = mapped_column(String(120), default="")
    shipped_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]

    lines: Mapped[list[TransferLine]] = relationship(
        back_populates="transfer", cascade="all, delete-orphan", order_by="TransferLine.line_no"
    )


class TransferLine(Base):
    __tablename__ = "transfer_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfer_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    #: The same material is a product of each company (matched by code).
    from_product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    to_product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)

    transfer: Mapped[TransferOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(
        lazy="joined", innerjoin=True, foreign_keys=[to_product_id]
    )


@register_document
class CustomerSupplied(DocumentMixin, Base):
    """客供料通知: material the customer promised to send for an order (E12), counted and
    signed in by the warehouse when it comes (I3)."""

    __tablename__ = "customer_supplied_notices"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "customer_supplied"
    number_prefix = "CS"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    #: The date the customer promised; the schedule counts on it (E12).
    expected_date: Mapped[date]
    #: A later date the customer now gives, once late.
    new_expected_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    #: Who delivered it and signed the count with the warehouse.
    signed_by: Mapped[str] = mapped_column(String(120), default="")
    signed_at: Mapped[datetime | None]
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exception_number: Mapped[str | None] = mapped_column(String(32))

    lines: Mapped[list[CustomerSuppliedLine]] = relationship(
        back_populates="notice",
        cascade="all, delete-orphan",
        order_by="CustomerSuppliedLine.line_no",
    )


class CustomerSuppliedLine(Base):
    __tablename__ = "customer_supplied_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("customer_supplied_notices.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    promised_quantity: Mapped[Decimal] = mapped_column(Quantity)
    counted_quantity: Mapped[Decimal | None] = mapped_column(Quantity)

    notice: Mapped[CustomerSupplied] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)


@register_document
class StockCount(DocumentMixin, Base):
    """盘点单: what was counted against the books, and the differences posted with reasons."""

    __tablename__ = "stock_counts"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "stock_count"
    number_prefix = "SC"

    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    #: One location, or every storage location of the warehouse.
    location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_locations.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    counted_at: Mapped[datetime | None]
    counted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    posted_at: Mapped[datetime | None]

    lines: Mapped[list[StockCountLine]] = relationship(
        back_populates="count", cascade="all, delete-orphan", order_by="StockCountLine.line_no"
    )


class StockCountLine(Base):
    __tablename__ = "stock_count_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_counts.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    #: The books when counted; the count; why they differ.
    book_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    counted_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    reason: Mapped[str] = mapped_column(String(200), default="")

    count: Mapped[StockCount] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)

    @property
    def difference(self) -> Decimal | None:
        if self.counted_quantity is None:
            return None
        return self.counted_quantity - self.book_quantity
