"""The exception slip (异常单, J3): what went wrong, on which document, who owns it, what was
decided, who is liable, what it cost, and how it was closed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base


@register_document
class ExceptionSlip(DocumentMixin, Base):
    __tablename__ = "exception_slips"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_exception_slips_company_kind", "company_id", "kind", "created_at"),
    )
    document_type = "exception_slip"
    number_prefix = "EX"

    #: supplier_late, quality, shortage, customer_supplied_late, tech_pack_mismatch…
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    #: The document the problem was found on (a purchase order, an inspection…), if any.
    source_document_type: Mapped[str | None] = mapped_column(String(40))
    source_document_id: Mapped[int | None] = mapped_column(Integer)
    source_number: Mapped[str] = mapped_column(String(32), default="")
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    #: Where the routing sent it (J2: "purchased_material", "batch_heads"…).
    routes: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The roles whose task it is to decide (from the policy's task rules for its routes).
    owner_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: The person who owns it, once assigned.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Role → the person that role's tasks on this slip go to, where the raising area knows
    #: them (J2: the operator who made a reworkable defect). Other roles: their queue.
    assignees: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cause: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    remedy: Mapped[str | None] = mapped_column(String(40))
    #: supplier, internal or customer
    liability: Mapped[str | None] = mapped_column(String(12))
    cost: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    closure: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: What the raising area wants kept with it (pass rate, dates…), shown on the page.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
