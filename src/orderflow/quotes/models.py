"""A quote request and its priced versions (报价申请单 → 报价单)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base


@register_document
class Quote(DocumentMixin, Base):
    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "quote"
    number_prefix = "QT"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    #: The order the quote prices (after its review), or None for an enquiry.
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    #: What was asked: [{product_id, quantity, reasons: [...], note}]
    request_lines: Mapped[list[Any]] = mapped_column(JSON)
    request_note: Mapped[str] = mapped_column(Text, default="")
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    total_amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    valid_until: Mapped[date | None]
    quoter_signed_by: Mapped[str | None] = mapped_column(String(80))
    quoter_signed_at: Mapped[datetime | None]
    technical_signed_by: Mapped[str | None] = mapped_column(String(80))
    technical_signed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]

    versions: Mapped[list[QuoteVersion]] = relationship(
        back_populates="quote",
        cascade="all, delete-orphan",
        order_by="QuoteVersion.version_no",
        lazy="selectin",
    )


class QuoteVersion(Base):
    """One priced version: lines with list price, surcharge and price; validity."""

    __tablename__ = "quote_versions"
    __table_args__ = (UniqueConstraint("quote_id", "version_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    lines: Mapped[list[Any]] = mapped_column(JSON)
    total_amount: Mapped[Decimal]
    valid_until: Mapped[date]
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]

    quote: Mapped[Quote] = relationship(back_populates="versions")
