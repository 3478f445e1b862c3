"""API shapes of reviews."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from orderflow.api.schemas import Money


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: int


class OpinionRead(BaseModel):
    role: str
    state: str
    checked: list[str]
    topic: str | None
    comment: str
    feasible_date: date | None
    resolved: bool
    decided_by: str | None
    decided_at: datetime | None


class StockLine(BaseModel):
    line_no: int
    product_code: str
    product_name: str
    quantity: str
    available: str
    lead_time_days: int
    #: Open orders of the same product (not yet shipped in full), other than this one.
    open_orders: int
    open_quantity: str


class CustomerHistory(BaseModel):
    code: str
    name: str
    customer_class: str
    region: str | None
    is_new: bool
    orders: int
    completed: int
    cancelled: int
    ordered_total: Money
    credit_limit: Money
    exposure: Money
    credit_available: Money


class ReviewRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    kind: str
    round: int
    order_id: int
    order_number: str
    change_id: int | None
    regularity: str
    category: str
    classification_reasons: list[str]
    rush: bool
    total: Money
    routing: list[str]
    meeting_needed: bool
    requested_date: date
    estimated_date: date | None
    estimate_source: str
    estimate_note: str
    agreed_date: date | None
    meeting_held_on: date | None
    meeting_attendees: list[str] | None
    meeting_minutes: str | None
    meeting_decisions: str | None
    opinions: list[OpinionRead]
    blockers: list[str]
    stock: list[StockLine] = Field(default_factory=list)
    customer: CustomerHistory | None = None
    created_at: datetime
    updated_at: datetime
    allowed_transitions: list[str]


class ReviewSummary(BaseModel):
    id: int
    number: str
    state: str
    kind: str
    order_id: int
    order_number: str
    routing: list[str]
    pending: list[str]
    created_at: datetime
