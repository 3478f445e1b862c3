"""Samples (打样, E10) and tech packs (工艺单, E11) of the technical department.

A sample request goes round by round until sales signs the sample off; a sample approved
in its first round counts for the first-pass rate (样品制作一次性通过率). A tech pack per
order is checked against the approved sample (fabric width, pattern, process); a
mismatch raises an exception slip and needs sales and purchasing to confirm the change
before the tech pack is made again (§技术部 2.4.1).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base


@register_document
class SampleRequest(DocumentMixin, Base):
    __tablename__ = "sample_requests"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "sample_request"
    number_prefix = "SR"

    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    title: Mapped[str] = mapped_column(String(200))
    requirements: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime]
    #: Also sampled by an outside workshop (非主流产品, 2.1.3).
    with_outsourcer: Mapped[bool] = mapped_column(Boolean, default=False)
    round: Mapped[int] = mapped_column(Integer, default=1)
    approved_round: Mapped[int | None] = mapped_column(Integer)
    #: Reference standard minutes per operation noted on the sample (工时, 2.3.1).
    standard_minutes: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    rounds: Mapped[list[SampleRound]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="SampleRound.number"
    )


class SampleRound(Base):
    __tablename__ = "sample_rounds"
    __table_args__ = (UniqueConstraint("request_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("sample_requests.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    verdict: Mapped[str | None] = mapped_column(String(10))  # approved | rejected
    verdict_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[SampleRequest] = relationship(back_populates="rounds")


@register_document
class TechPack(DocumentMixin, Base):
    __tablename__ = "tech_packs"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "tech_pack"
    number_prefix = "TP"

    sales_order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    sales_order_number: Mapped[str] = mapped_column(String(32))
    sample_request_id: Mapped[int] = mapped_column(ForeignKey("sample_requests.id"))
    fabric_width: Mapped[str] = mapped_column(String(60), default="")
    pattern: Mapped[str] = mapped_column(String(120), default="")
    process: Mapped[str] = mapped_column(Text, default="")
    checked_on: Mapped[date | None]
    #: The exception slip raised for a mismatch (its number), when quality is installed.
    exception_number: Mapped[str | None] = mapped_column(String(40))
    mismatch: Mapped[str] = mapped_column(Text, default="")
    #: Who confirmed the changed requirements after a mismatch (sales and purchasing).
    sales_confirmed_by: Mapped[str | None] = mapped_column(String(120))
    purchasing_confirmed_by: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
