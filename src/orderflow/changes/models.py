"""Change notices (G1-G3), the versions of an order they produce, and design error notices
(G4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base


@register_document
class ChangeNotice(DocumentMixin, Base):
    __tablename__ = "change_notices"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "change_notice"
    number_prefix = "CN"

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(32))
    #: A technical change (技术更改通知单): needs the customer's written approval (G3).
    technical: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text)
    #: What changes, as a patch of the order (changes.flow.ChangePatch).
    patch: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: minor / date / structural, once answered (G2).
    impact: Mapped[str | None] = mapped_column(String(12))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[str | None] = mapped_column(String(80))
    review_id: Mapped[int | None] = mapped_column(Integer)
    review_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    approval_file_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    from_version: Mapped[int | None] = mapped_column(Integer)
    to_version: Mapped[int | None] = mapped_column(Integer)


class OrderVersion(Base):
    """A snapshot of an order as it stood: version 1 is the order as first agreed."""

    __tablename__ = "order_versions"
    __table_args__ = (UniqueConstraint("order_id", "version_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Why this version exists: "original", "change CN-2026-000001", "quote QT-…"
    reason: Mapped[str] = mapped_column(String(200))
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change_notices.id"))
    created_at: Mapped[datetime]
    created_by_name: Mapped[str] = mapped_column(String(80))


@register_document
class DesignErrorNotice(DocumentMixin, Base):
    """设计差错通知: a design error found after drawings and specifications were released,
    told in writing (what is wrong, what is corrected) to production, quality and supply
    (§技术部 3.6), each of which confirms it knows (G4)."""

    __tablename__ = "design_error_notices"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "design_error_notice"
    number_prefix = "DE"

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(32))
    #: The drawing or specification concerned (图号 / 规范编号).
    drawing: Mapped[str] = mapped_column(String(120), default="")
    #: What is wrong (事由) and what is corrected (更正内容).
    description: Mapped[str] = mapped_column(Text)
    correction: Mapped[str] = mapped_column(Text)
    #: The departments told, as the policy named them when it was issued.
    departments: Mapped[list[Any]] = mapped_column(JSON)
    issued_by: Mapped[str] = mapped_column(String(80))
    #: The exception slip (异常单) raised for it, when the exceptions area is installed.
    exception_number: Mapped[str | None] = mapped_column(String(32))

    acks: Mapped[list[DesignErrorAck]] = relationship(
        back_populates="notice",
        cascade="all, delete-orphan",
        order_by="DesignErrorAck.id",
        lazy="selectin",
    )


class DesignErrorAck(Base):
    """One department confirmed it knows of the design error: who, when, what it did."""

    __tablename__ = "design_error_acks"
    __table_args__ = (UniqueConstraint("notice_id", "department"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("design_error_notices.id"), index=True)
    department: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")

    notice: Mapped[DesignErrorNotice] = relationship(back_populates="acks")
