"""The stock-up notice (备货通知单, B9): issued before the contract, with the force of a
production notice (§订单管理制度流程: 《备货通知单》与《生产通知单》同等效力)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base


@register_document
class StockUpNotice(DocumentMixin, Base):
    __tablename__ = "stock_up_notices"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "stock_up_notice"
    number_prefix = "BH"

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    issued_by: Mapped[str] = mapped_column(String(80))
    #: By when the goods must be ready (the order's requested date unless given).
    needed_by: Mapped[date | None]
    #: What production stocks up, as the order stood when the notice was issued (the order
    #: may change later; the notice says what was asked): [{line_no, product_code,
    #: product_name, model_spec, quantity, unit}]
    lines: Mapped[list[Any]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
