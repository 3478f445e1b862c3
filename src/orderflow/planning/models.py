"""Stored planning results: a run's jobs, operations, material requirements, suggestions,
work-centre loads and what it left free for promises; and published production plans.

A run is a snapshot computed by the pure engine and written once; the newest run of a
group is the *current* plan that the board, the material page and promise dates read.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from orderflow.db import Base, Quantity


class PlanRun(Base):
    __tablename__ = "plan_runs"
    __table_args__ = (Index("ix_plan_runs_group_current", "group_key", "current"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The company whose planner made the run.
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    #: The group planned together: its group code, or "company:<id>" for a lone company.
    group_key: Mapped[str] = mapped_column(String(40))
    #: The companies planned together (the group), as ids.
    companies: Mapped[list[int]] = mapped_column(JSON)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    origin: Mapped[date]
    planned_at: Mapped[datetime]
    planned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    method: Mapped[str] = mapped_column(String(20))
    solver_status: Mapped[str] = mapped_column(String(120), default="")
    stats: Mapped[dict[str, Any]]
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)


class PlannedJob(Base):
    """One job of a run: a released production order or a planned one (order not released)."""

    __tablename__ = "plan_jobs"
    __table_args__ = (
        Index("ix_plan_jobs_run_order", "run_id", "sales_order_id"),
        Index("ix_plan_jobs_run_key", "run_id", "job_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"))
    job_key: Mapped[str] = mapped_column(String(120))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    sales_order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    production_order_id: Mapped[int | None] = mapped_column(ForeignKey("production_orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    level: Mapped[int] = mapped_column(Integer)
    parent_key: Mapped[str | None] = mapped_column(String(120))
    priority: Mapped[int] = mapped_column(Integer)
    start: Mapped[datetime | None]
    finish: Mapped[datetime | None]
    target: Mapped[date]
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    limited_by: Mapped[str] = mapped_column(String(120), default="")
    material_ready: Mapped[date | None]


class PlannedOperation(Base):
    __tablename__ = "plan_operations"
    __table_args__ = (Index("ix_plan_operations_run_centre", "run_id", "work_centre_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"))
    job_key: Mapped[str] = mapped_column(String(120))
    sales_order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    production_order_id: Mapped[int | None] = mapped_column(ForeignKey("production_orders.id"))
    seq: Mapped[int] = mapped_column(Integer)
    #: None: outsourced.
    work_centre_id: Mapped[int | None] = mapped_column(ForeignKey("work_centres.id"))
    unit: Mapped[int] = mapped_column(Integer)
    start: Mapped[datetime]
    finish: Mapped[datetime]
    minutes: Mapped[int] = mapped_column(Integer)
    late: Mapped[bool] = mapped_column(Boolean, default=False)


class MaterialRequirement(Base):
    """One exploded and netted requirement (E7): where each part of it comes from."""

    __tablename__ = "plan_requirements"
    __table_args__ = (Index("ix_plan_requirements_run_order", "run_id", "sales_order_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"))
    req_key: Mapped[str] = mapped_column(String(120))
    job_key: Mapped[str | None] = mapped_column(String(120))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    sales_order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    level: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    need_date: Mapped[date]
    ready_date: Mapped[date | None]
    #: [{"source", "quantity", "ready", "company_id", "reference"}, ...]
    allocations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class PlanSuggestion(Base):
    """A suggested transfer (调拨, first) or purchase requisition (E7 → procurement)."""

    __tablename__ = "plan_suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # transfer | purchase
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    from_company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    needed_by: Mapped[date]
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))
    #: The requisition or transfer number procurement gave it, once released.
    released_as: Mapped[str | None] = mapped_column(String(60))
    released_at: Mapped[datetime | None]


class PlanLoad(Base):
    """Capacity and load of one work centre on one day."""

    __tablename__ = "plan_loads"

    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"), primary_key=True)
    work_centre_id: Mapped[int] = mapped_column(ForeignKey("work_centres.id"), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    capacity_minutes: Mapped[int] = mapped_column(Integer)
    load_minutes: Mapped[int] = mapped_column(Integer)


class PlanLeftover(Base):
    """Stock and open supply the run left free: what a promise may still draw on."""

    __tablename__ = "plan_leftovers"
    __table_args__ = (Index("ix_plan_leftovers_run_product", "run_id", "product_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    #: None: stock on hand; otherwise supply arriving that day.
    available_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(60), default="")
    sales_order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id"))


class ProductionPlan(Base):
    """A published monthly, weekly or daily production plan (E6)."""

    __tablename__ = "production_plans"
    __table_args__ = (
        Index("ix_production_plans_company_kind", "company_id", "kind", "period_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    kind: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[date]
    period_end: Mapped[date]
    run_id: Mapped[int] = mapped_column(ForeignKey("plan_runs.id"))
    published_at: Mapped[datetime]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: A later plan for the same period replaces this one (rolling daily plans).
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)


class ProductionPlanLine(Base):
    __tablename__ = "production_plan_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("production_plans.id"), index=True)
    production_order_id: Mapped[int] = mapped_column(ForeignKey("production_orders.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)


class SalesForecast(Base):
    """A tentative line of a monthly sales plan (E6): what sales expects to sell in a month
    beyond the orders it holds (the firm part of the plan is the orders themselves)."""

    __tablename__ = "sales_forecasts"
    __table_args__ = (Index("ix_sales_forecasts_company_month", "company_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    #: The month, as its first day.
    month: Mapped[date]
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
