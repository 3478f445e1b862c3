"""Contracts from the template (D3) and their filing to departments (备案)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base


@register_document
class Contract(DocumentMixin, Base):
    __tablename__ = "contracts"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "contract"
    number_prefix = "CT"

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    #: "main", or "supplementary" for a structural change (G2, 补签合同).
    kind: Mapped[str] = mapped_column(String(16), default="main")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change_notices.id"))
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    amount: Mapped[Decimal]
    deposit_amount: Mapped[Decimal]
    delivery_date: Mapped[date | None]
    #: The template's clauses as agreed: {clause: text}
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    sent_at: Mapped[datetime | None]
    customer_signatory: Mapped[str | None] = mapped_column(String(120))
    signed_on: Mapped[date | None]
    signature_file_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    filed_at: Mapped[datetime | None]
    deposit_received: Mapped[Decimal | None]
    deposit_reference: Mapped[str | None] = mapped_column(String(120))
    deposit_verified_at: Mapped[datetime | None]
    deposit_verified_by: Mapped[str | None] = mapped_column(String(80))

    filings: Mapped[list[ContractFiling]] = relationship(
        back_populates="contract",
        cascade="all, delete-orphan",
        order_by="ContractFiling.id",
        lazy="selectin",
    )


class ContractFiling(Base):
    """The contract filed with one department (备案): it shows in that department's list."""

    __tablename__ = "contract_filings"
    __table_args__ = (UniqueConstraint("contract_id", "department"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    department: Mapped[str] = mapped_column(String(40), index=True)
    filed_at: Mapped[datetime]
    filed_by: Mapped[str] = mapped_column(String(80))

    contract: Mapped[Contract] = relationship(back_populates="filings")
