"""Cost budgets (成本预算表, D2): material use × quantity × (1 + overage) and labour from
routings, with purchase and production due dates, signed by sales, purchasing and
planning, then approved by the general manager."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base, Quantity


@register_document
class CostBudget(DocumentMixin, Base):
    __tablename__ = "cost_budgets"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "cost_budget"
    number_prefix = "CB"

    sales_order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    sales_order_number: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    material_cost: Mapped[Decimal]
    labour_cost: Mapped[Decimal]
    total_cost: Mapped[Decimal]
    #: The order's revenue, for the margin the GM sees.
    revenue: Mapped[Decimal]
    #: 采购交期 and 生产交期, filled in from the order's due date when taking it (1.1.1).
    purchase_due_date: Mapped[date]
    production_due_date: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    lines: Mapped[list[CostBudgetLine]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", order_by="CostBudgetLine.id"
    )
    signatures: Mapped[list[CostBudgetSignature]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", order_by="CostBudgetSignature.id"
    )


class CostBudgetLine(Base):
    """A material (kind "material") or an operation's labour (kind "labour")."""

    __tablename__ = "cost_budget_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("cost_budgets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    work_centre_id: Mapped[int | None] = mapped_column(ForeignKey("work_centres.id"))
    description: Mapped[str] = mapped_column(String(200))
    #: Material: unit use per finished unit (总用量 / order quantity); labour: minutes.
    unit_use: Mapped[Decimal] = mapped_column(Quantity)
    overage: Mapped[Decimal] = mapped_column(Numeric(7, 4, asdecimal=True), default=Decimal(0))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_cost: Mapped[Decimal] = mapped_column(Numeric(18, 4, asdecimal=True))
    amount: Mapped[Decimal]

    budget: Mapped[CostBudget] = relationship(back_populates="lines")


class CostBudgetSignature(Base):
    """A department's signature (O2: a named person in an allowed role)."""

    __tablename__ = "cost_budget_signatures"
    __table_args__ = (UniqueConstraint("budget_id", "department"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("cost_budgets.id"), index=True)
    department: Mapped[str] = mapped_column(String(20))  # sales | purchasing | planning
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_by_name: Mapped[str] = mapped_column(String(120))
    signed_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(String(400), default="")

    budget: Mapped[CostBudget] = relationship(back_populates="signatures")
