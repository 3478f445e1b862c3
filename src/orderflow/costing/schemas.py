"""API shapes of cost budgets (D2)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from orderflow.api.schemas import Money


class BudgetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sales_order_id: int
    #: 采购交期 / 生产交期: defaults from the order's due date and the lead times.
    purchase_due_date: date | None = None
    production_due_date: date | None = None


class BudgetLineRead(BaseModel):
    kind: str
    description: str
    unit_use: str
    overage: str
    quantity: str
    unit_cost: str
    amount: Money


class SignatureRead(BaseModel):
    department: str
    signed_by: str
    signed_at: datetime
    note: str


class BudgetRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    sales_order_id: int
    sales_order_number: str
    material_cost: Money
    labour_cost: Money
    total_cost: Money
    revenue: Money
    margin: Money
    purchase_due_date: date
    production_due_date: date
    lines: list[BudgetLineRead]
    signatures: list[SignatureRead]
    missing_signatures: list[str]
    allowed_transitions: list[str]


class BudgetSummary(BaseModel):
    id: int
    number: str
    state: str
    sales_order_number: str
    total_cost: Money
    revenue: Money
