"""Suppliers with their lead-time table, requisitions, purchase orders and goods receipts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.catalog.models import Product
from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base, Quantity
from orderflow.procurement.flow import ENTERED, differs_from_bom

ZERO = Decimal(0)


class Supplier(Base):
    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    #: Days from order to arrival for a material not in its table.
    default_lead_time_days: Mapped[int] = mapped_column(Integer, default=7)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]

    items: Mapped[list[SupplierItem]] = relationship(
        back_populates="supplier", cascade="all, delete-orphan", order_by="SupplierItem.id"
    )


class SupplierItem(Base):
    """One row of the lead-time table (采购周期表, A4): what the supplier sells us, how fast."""

    __tablename__ = "supplier_items"
    __table_args__ = (UniqueConstraint("supplier_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lead_time_days: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal | None]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)

    supplier: Mapped[Supplier] = relationship(back_populates="items")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)


@register_document
class PurchaseRequisition(DocumentMixin, Base):
    """请购单: material to buy for a sales order, from planning (E7) or raised by hand."""

    __tablename__ = "purchase_requisitions"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "purchase_requisition"
    number_prefix = "PR"

    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    #: planning, manual or rebuy (the rest of a purchase order cancelled to buy elsewhere)
    source: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text, default="")
    needed_by: Mapped[date]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    lines: Mapped[list[RequisitionLine]] = relationship(
        back_populates="requisition",
        cascade="all, delete-orphan",
        order_by="RequisitionLine.line_no",
    )


class PurchaseBasis:
    """The H2 basis of a line raised or bought by hand: unit use × order quantity ×
    (1 + allowance), typed by the user or taken from the sales order's BOM."""

    unit_use: Mapped[Decimal | None] = mapped_column(Quantity)
    for_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    allowance: Mapped[Decimal | None] = mapped_column(Quantity)
    #: "bom" or "entered" (None: no unit use at all).
    unit_use_source: Mapped[str | None] = mapped_column(String(8))
    #: The BOM's unit use (overage included) when the order's BOM holds the material:
    #: kept so a typed unit use that differs from it is shown as such.
    bom_unit_use: Mapped[Decimal | None] = mapped_column(Quantity)

    @property
    def differs_from_bom(self) -> bool:
        return self.unit_use_source == ENTERED and differs_from_bom(
            self.unit_use, self.allowance, self.bom_unit_use
        )


class RequisitionLine(PurchaseBasis, Base):
    __tablename__ = "purchase_requisition_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requisition_id: Mapped[int] = mapped_column(ForeignKey("purchase_requisitions.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    #: What is needed (for planning's lines: BOM × quantity × (1 + overage), netted).
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    needed_by: Mapped[date]
    #: Covered by transfers from a group company (A5) and by purchase order lines.
    transferred_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    ordered_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    note: Mapped[str] = mapped_column(String(300), default="")

    requisition: Mapped[PurchaseRequisition] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)

    @property
    def open_quantity(self) -> Decimal:
        return max(self.quantity - self.transferred_quantity - self.ordered_quantity, ZERO)


@register_document
class PurchaseOrder(DocumentMixin, Base):
    """采购单: bought per sales order (按单采购), delivered per order to one warehouse."""

    __tablename__ = "purchase_orders"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_purchase_orders_company_state", "company_id", "state"),
    )
    document_type = "purchase_order"
    number_prefix = "PO"

    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    #: The planned arrival date (采购计划时间): follow-up deadlines count back from it.
    due_date: Mapped[date]
    #: The date the supplier confirmed (H3); a later one makes the order late.
    supplier_promised_date: Mapped[date | None]
    #: The supplier is late (H4); the slip that says so and the date now expected.
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    exception_number: Mapped[str | None] = mapped_column(String(32))
    expected_date: Mapped[date | None]
    carrier: Mapped[str] = mapped_column(String(120), default="")
    tracking_number: Mapped[str] = mapped_column(String(120), default="")
    shipped_on: Mapped[date | None]
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    total_amount: Mapped[Decimal]
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Why group stock was not transferred instead (A5), when some was free.
    no_transfer_reason: Mapped[str] = mapped_column(Text, default="")
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    #: A quantity reduction waiting for the planner's consent (H6):
    #: {"lines": {"<line_no>": "<new quantity>"}, "reason": "…"}
    pending_reduction: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="PurchaseOrderLine.line_no"
    )
    supplier: Mapped[Supplier] = relationship(lazy="joined", innerjoin=True)


class PurchaseOrderLine(PurchaseBasis, Base):
    __tablename__ = "purchase_order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal]
    amount: Mapped[Decimal]
    requisition_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("purchase_requisition_lines.id"), index=True
    )
    #: Arrived; passed inspection; failed and held aside; sent back; no longer wanted.
    received_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    accepted_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    rejected_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    returned_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    cancelled_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    #: The day everything ordered had arrived (for the on-time rate, H7).
    completed_on: Mapped[date | None]

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)

    @property
    def wanted(self) -> Decimal:
        return self.quantity - self.cancelled_quantity

    @property
    def outstanding(self) -> Decimal:
        """What the supplier still owes: wanted, less what arrived and was kept."""
        return self.wanted - (self.received_quantity - self.returned_quantity)

    @property
    def awaiting_inspection(self) -> Decimal:
        return (
            self.received_quantity
            - self.accepted_quantity
            - self.rejected_quantity
            - self.returned_quantity
        )


class GoodsReceipt(Base):
    """收货单: one delivery against one purchase order, into the warehouse's QC area."""

    __tablename__ = "goods_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    #: The supplier's delivery note (送货单) number.
    delivery_note: Mapped[str] = mapped_column(String(60), default="")
    received_at: Mapped[datetime]
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[GoodsReceiptLine]] = relationship(cascade="all, delete-orphan")


class GoodsReceiptLine(Base):
    __tablename__ = "goods_receipt_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("goods_receipts.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("purchase_order_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    #: The incoming inspection of this lot (I2).
    inspection_number: Mapped[str | None] = mapped_column(String(32))
