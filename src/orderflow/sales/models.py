"""Sales orders and their lines (B1, B2, B4)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.catalog.models import Product
from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base, Quantity
from orderflow.parties.models import Customer


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    PHONE = "phone"
    EMAIL = "email"
    FAX = "fax"
    VISIT = "visit"
    EXHIBITION = "exhibition"


class Priority(StrEnum):
    NORMAL = "normal"
    SPECIAL = "special"
    URGENT = "urgent"


@register_document
class SalesOrder(DocumentMixin, Base):
    __tablename__ = "sales_orders"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_sales_orders_company_state", "company_id", "state"),
        # What a customer owes on open orders (B3) is summed at every entry, under the
        # customer's lock on PostgreSQL: from the index alone, not the orders' rows.
        Index(
            "ix_sales_orders_customer_exposure",
            "customer_id",
            "state",
            "total_amount",
            "paid_amount",
        ),
    )
    document_type = "sales_order"
    number_prefix = "SO"

    channel: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    delivery_address: Mapped[str] = mapped_column(String(400))
    requested_date: Mapped[date]
    promised_date: Mapped[date | None]
    payment_terms_days: Mapped[int] = mapped_column(Integer)
    priority: Mapped[str] = mapped_column(String(10), default=Priority.NORMAL)
    notes: Mapped[str] = mapped_column(Text, default="")
    technical_requirements: Mapped[str] = mapped_column(Text, default="")
    quality_requirements: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    total_amount: Mapped[Decimal]
    invoiced_amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    paid_amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    #: The salesperson who owns the order (sees it even with own-orders-only scope).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: The sales clerk who handles it (B8); its handling task is theirs.
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: A split order points at the order it was split from.
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    #: What the clerk chose for lines short of stock at confirmation: wait / split / substitute.
    shortage_decision: Mapped[str | None] = mapped_column(String(12))

    # --- classification and review (C1-C6) ---------------------------------------------
    #: regular / non_regular (常规/非常规) and general / special (一般/特殊), with the rules'
    #: reasons; a person may override them (the event records who and why).
    regularity: Mapped[str] = mapped_column(String(12), default="regular", server_default="regular")
    category: Mapped[str] = mapped_column(String(10), default="general", server_default="general")
    project_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    custom_design: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The contract has a late-delivery penalty (逾期罚款条款).
    late_penalty: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: The requested date is shorter than the normal cycle (赶货, C7).
    rush: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    classification_reasons: Mapped[list[Any]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    classification_overridden: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    #: not_required / if_short / required / in_review / passed / declined (review.flow)
    review_state: Mapped[str] = mapped_column(
        String(16), default="not_required", server_default="not_required"
    )
    #: When the order became effective (signed and deposit verified, or a stock-up notice),
    #: and by which: "contract" or "stock_up" (D4, B9).
    effective_at: Mapped[datetime | None]
    effective_by: Mapped[str | None] = mapped_column(String(40))

    lines: Mapped[list[SalesOrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="SalesOrderLine.line_no"
    )
    customer: Mapped[Customer] = relationship(lazy="joined", innerjoin=True)

    @property
    def outstanding(self) -> Decimal:
        return self.total_amount - self.paid_amount


class SalesOrderLine(Base):
    __tablename__ = "sales_order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    description: Mapped[str] = mapped_column(String(300), default="")
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal]
    amount: Mapped[Decimal]
    reserved_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    shipped_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))

    order: Mapped[SalesOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)

    @property
    def unreserved(self) -> Decimal:
        return self.quantity - self.shipped_quantity - self.reserved_quantity
