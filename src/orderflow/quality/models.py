"""Inspections (检验, J1): a lot, its sample, what was found, and the verdict."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.catalog.models import Product
from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base, Quantity


@register_document
class Inspection(DocumentMixin, Base):
    __tablename__ = "inspections"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_inspections_company_state", "company_id", "state"),
    )
    document_type = "inspection"
    number_prefix = "QI"

    #: incoming (来料), in_process (过程), final (成品)
    stage: Mapped[str] = mapped_column(String(12))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    lot_quantity: Mapped[Decimal] = mapped_column(Quantity)
    #: The lot's reference: a goods receipt, a batch number.
    lot: Mapped[str] = mapped_column(String(40), default="")
    source_document_type: Mapped[str | None] = mapped_column(String(40))
    source_document_id: Mapped[int | None] = mapped_column(Integer)
    source_number: Mapped[str] = mapped_column(String(32), default="")
    source_line: Mapped[int | None] = mapped_column(Integer)
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    #: In-process: the operation or work centre inspected.
    operation: Mapped[str] = mapped_column(String(120), default="")
    #: The sampling plan (GB/T 2828.1) when the lot came in: AQL and inspection level.
    aql: Mapped[str] = mapped_column(String(6))
    inspection_level: Mapped[str] = mapped_column(String(4), default="II", server_default="II")
    sample_size: Mapped[int] = mapped_column(Integer)
    accept_number: Mapped[int] = mapped_column(Integer)
    #: The customer's quality and shipping standards (J4), for a final inspection.
    quality_standard: Mapped[str] = mapped_column(Text, default="")
    shipping_standard: Mapped[str] = mapped_column(Text, default="")
    # What was found.
    inspected: Mapped[int | None] = mapped_column(Integer)
    defective: Mapped[int | None] = mapped_column(Integer)
    pass_rate: Mapped[Decimal | None] = mapped_column(Quantity)
    accepted_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    rejected_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    #: [{"category", "defect", "severity", "quantity", "note"}]
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    routes: Mapped[list[str]] = mapped_column(JSON, default=list)
    standards_met: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inspected_at: Mapped[datetime | None]
    exception_number: Mapped[str | None] = mapped_column(String(32))

    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)
