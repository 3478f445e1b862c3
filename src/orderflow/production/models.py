"""Production master data and documents (A3, E1, E2, E3, E4, E9, E13).

Master data: work centres (capacity on the business calendar), bills of material (unit
consumption and overage, 抛数), routings (operations with standard times, 工时).

Documents: the production instruction (生产指令单) per sales order with its breakdown into
milestones, coordination meetings and objections; production orders (one per thing to
make, sub-assemblies included) with their operations and progress reports; outsourcing
requests (外协) for the group GM.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base, Quantity

#: Overage and rates: a fraction with four places (0.0350 = 3.5 %).
Fraction = Numeric(7, 4, asdecimal=True)
#: Minutes per unit with four places (standard times are often fractions of a minute).
Minutes = Numeric(12, 4, asdecimal=True)


class WorkCentre(Base):
    """A line, machine group or team: ``units`` of it work in parallel in its shifts on the
    business calendar's working days, except its own closed days (maintenance)."""

    __tablename__ = "work_centres"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    units: Mapped[int] = mapped_column(Integer, default=1)
    #: Working periods of an open day ("08:30-12:00"); empty: the company calendar's.
    shifts: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Extra closed days (ISO dates) on top of the business calendar.
    closed_days: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Labour and machine cost per hour, for cost budgets (D2).
    hourly_rate: Mapped[Decimal] = mapped_column(default=Decimal(0))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class BomLine(Base):
    """One component of a product: how much per unit (单件用量) and the overage (抛数)."""

    __tablename__ = "bom_lines"
    __table_args__ = (UniqueConstraint("product_id", "component_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    component_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    overage: Mapped[Decimal] = mapped_column(Fraction, default=Decimal(0))
    note: Mapped[str] = mapped_column(String(200), default="")


class RoutingStep(Base):
    """One operation of a product's routing, with its standard times (工时)."""

    __tablename__ = "routing_steps"
    __table_args__ = (UniqueConstraint("product_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    work_centre_id: Mapped[int] = mapped_column(ForeignKey("work_centres.id"))
    setup_minutes: Mapped[int] = mapped_column(Integer, default=0)
    run_minutes: Mapped[Decimal] = mapped_column(Minutes, default=Decimal(0))


@register_document
class ProductionInstruction(DocumentMixin, Base):
    """生产指令单: production released for one sales order (E1), broken down into milestones
    with due times (E2), with its coordination meetings (E3) and objections (E4)."""

    __tablename__ = "production_instructions"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "production_instruction"
    number_prefix = "PI"

    sales_order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    sales_order_number: Mapped[str] = mapped_column(String(32))
    #: 成套产品: a complete set (24 h to break down, packing told 3 days ahead).
    complete_set: Mapped[bool] = mapped_column(Boolean, default=False)
    #: 非常规: needs a coordination meeting before the breakdown (E3).
    non_regular: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    #: The date promised to the customer.
    due_date: Mapped[date]
    #: The latest date production may confirm: the due date less the buffer (E1).
    latest_date: Mapped[date]
    #: The date production confirms, at least the buffer before the due date (E1).
    confirmed_date: Mapped[date | None]
    broken_down_at: Mapped[datetime | None]
    planned_start: Mapped[datetime | None]
    planned_finish: Mapped[datetime | None]
    #: Days late in the latest plan (0: on time).
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    limited_by: Mapped[str] = mapped_column(String(120), default="")
    #: Due times of this document's own tasks, computed with the policy (resolvers read them).
    breakdown_due_at: Mapped[datetime]
    packing_notice_at: Mapped[datetime | None]
    follow_up_at: Mapped[datetime | None]
    readiness_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="instruction", cascade="all, delete-orphan", order_by="Milestone.id"
    )
    orders: Mapped[list[ProductionOrder]] = relationship(
        back_populates="instruction", order_by="ProductionOrder.id"
    )

    def milestone(self, kind: str) -> Milestone | None:
        return next((m for m in self.milestones if m.kind == kind), None)


class Milestone(Base):
    """One item of the breakdown (计划分解): design, subcontracting, purchasing, assembly
    start and finish, packing — each with its owner and due time (E2)."""

    __tablename__ = "production_milestones"
    __table_args__ = (UniqueConstraint("instruction_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instruction_id: Mapped[int] = mapped_column(
        ForeignKey("production_instructions.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(40))
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(400), default="")

    instruction: Mapped[ProductionInstruction] = relationship(back_populates="milestones")


class CoordinationMeeting(Base):
    """计划协调会 for a non-regular order (E3): who was there and what was decided."""

    __tablename__ = "coordination_meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instruction_id: Mapped[int] = mapped_column(
        ForeignKey("production_instructions.id"), index=True
    )
    held_on: Mapped[date]
    attendees: Mapped[str] = mapped_column(String(400))
    decisions: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime]


class PlanObjection(Base):
    """A department's objection to a planned time, within 1 working day (E4), and the answer."""

    __tablename__ = "plan_objections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instruction_id: Mapped[int] = mapped_column(
        ForeignKey("production_instructions.id"), index=True
    )
    milestone: Mapped[str] = mapped_column(String(30))
    proposed_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime]
    accepted: Mapped[bool | None] = mapped_column(Boolean)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]


@register_document
class ProductionOrder(DocumentMixin, Base):
    """One thing to make for an order: a finished line or one of its sub-assemblies."""

    __tablename__ = "production_orders"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "production_order"
    number_prefix = "MO"

    instruction_id: Mapped[int] = mapped_column(
        ForeignKey("production_instructions.id"), index=True
    )
    sales_order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"), index=True)
    sales_order_line_id: Mapped[int | None] = mapped_column(ForeignKey("sales_order_lines.id"))
    #: The order this sub-assembly goes into (None: a line of the sales order).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("production_orders.id"))
    #: The planning engine's key for this job ("SO-2026-000012/1.2").
    job_key: Mapped[str] = mapped_column(String(120), index=True)
    level: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    due_date: Mapped[date]
    planned_start: Mapped[datetime | None]
    planned_finish: Mapped[datetime | None]
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    limited_by: Mapped[str] = mapped_column(String(120), default="")
    #: What was received into stock at completion (E13, reconciled with the reports).
    output_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    output_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    #: The final inspection the output waits for in the QC area (J1, I2); None: the output
    #: went straight into storage (a sub-assembly, or the policy's switch is off).
    final_inspection: Mapped[str | None] = mapped_column(String(32))
    #: What that inspection let into storage, and what it set aside in REJ (held there).
    accepted_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    rejected_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    #: When the order's materials were issued from stock to the floor (领料); planning then
    #: counts them as the order's, not as free stock.
    materials_issued_at: Mapped[datetime | None]
    #: What was scrapped out of REJ (``settle_rejects``): gone, neither waiting nor held.
    scrapped_quantity: Mapped[Decimal] = mapped_column(
        Quantity, default=Decimal(0), server_default="0"
    )

    instruction: Mapped[ProductionInstruction] = relationship(back_populates="orders")
    operations: Mapped[list[ProductionOperation]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="ProductionOperation.seq"
    )

    @property
    def awaiting_inspection(self) -> Decimal:
        """Output still in the QC area, neither let into storage nor set aside."""
        if self.final_inspection is None:
            return Decimal(0)
        return (
            self.output_quantity
            - self.accepted_quantity
            - self.rejected_quantity
            - self.scrapped_quantity
        )


class ProductionOperation(Base):
    """One routing step of a production order, copied at release (a later routing change
    does not alter released work), with its plan and what was reported."""

    __tablename__ = "production_operations"
    __table_args__ = (UniqueConstraint("production_order_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    production_order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    work_centre_id: Mapped[int] = mapped_column(ForeignKey("work_centres.id"), index=True)
    setup_minutes: Mapped[int] = mapped_column(Integer, default=0)
    run_minutes: Mapped[Decimal] = mapped_column(Minutes, default=Decimal(0))
    #: Approved outsourcing (E9): done outside in this many working days, no own capacity.
    outsourced_days: Mapped[int] = mapped_column(Integer, default=0)
    planned_start: Mapped[datetime | None]
    planned_finish: Mapped[datetime | None]
    planned_unit: Mapped[int | None] = mapped_column(Integer)
    good_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    scrap_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))

    order: Mapped[ProductionOrder] = relationship(back_populates="operations")

    @property
    def outsourced(self) -> bool:
        return self.outsourced_days > 0


class ProgressReport(Base):
    """What the shop floor reported for one operation (E13)."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    production_order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("production_operations.id"), index=True)
    good: Mapped[Decimal] = mapped_column(Quantity)
    scrap: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    note: Mapped[str] = mapped_column(String(400), default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[datetime] = mapped_column(index=True)


@register_document
class OutsourcingRequest(DocumentMixin, Base):
    """外协: an operation done by another company, approved by the group GM (E9)."""

    __tablename__ = "outsourcing_requests"
    __table_args__ = (UniqueConstraint("company_id", "number"),)
    document_type = "outsourcing_request"
    number_prefix = "OS"

    production_order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"), index=True)
    operation_id: Mapped[int] = mapped_column(ForeignKey("production_operations.id"))
    supplier: Mapped[str] = mapped_column(String(200))
    days: Mapped[int] = mapped_column(Integer)
    cost: Mapped[Decimal] = mapped_column(default=Decimal(0))
    reason: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
