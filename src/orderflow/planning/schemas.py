"""API shapes of planning: runs, the board, materials, suggestions, promises, plans."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanRunRead(BaseModel):
    id: int
    planned_at: datetime
    planned_by: str
    origin: date
    method: str
    solver_status: str
    orders: int
    jobs: int
    operations: int
    late_orders: int
    blocked_jobs: int
    seconds: dict[str, float]
    warnings: list[str]


class LateOrderRead(BaseModel):
    sales_order_id: int
    sales_order_number: str
    customer_name: str
    priority: str
    due_date: date
    finish: datetime | None
    late_days: int
    #: What holds it: "capacity:PRESS", "material:RAW", "missing:LABEL", "waits:…".
    limited_by: str
    released: bool


class BarRead(BaseModel):
    """One operation on the board."""

    job_key: str
    sales_order_id: int
    sales_order_number: str
    production_order_id: int | None
    production_order_number: str | None
    product_code: str
    seq: int
    start: datetime
    finish: datetime
    minutes: int
    late: bool
    #: Position on the board's time axis, in percent of its width.
    left: float
    width: float


class BoardRowRead(BaseModel):
    work_centre_id: int
    work_centre_code: str
    work_centre_name: str
    unit: int
    #: Load over the window as a share of capacity (0..1+).
    load: float
    bars: list[BarRead]


class BoardRead(BaseModel):
    run: PlanRunRead | None
    start: date
    days: int
    day_labels: list[date]
    rows: list[BoardRowRead]
    late: list[LateOrderRead]


class AllocationRead(BaseModel):
    source: str
    quantity: str
    ready: date | None
    company_code: str | None
    reference: str


class RequirementRead(BaseModel):
    sales_order_id: int
    sales_order_number: str
    job_key: str | None
    level: int
    product_code: str
    product_name: str
    unit: str
    quantity: str
    need_date: date
    ready_date: date | None
    allocations: list[AllocationRead]


class SuggestionRead(BaseModel):
    id: int
    kind: str
    company_code: str
    from_company_code: str | None
    product_code: str
    product_name: str
    unit: str
    quantity: str
    needed_by: date
    sales_order_number: str | None
    released_as: str | None


class MaterialsRead(BaseModel):
    run: PlanRunRead | None
    requirements: list[RequirementRead]
    suggestions: list[SuggestionRead]
    #: Whether procurement is installed to take the suggestions (ports connected).
    can_release_purchases: bool
    can_release_transfers: bool


class ReleasedSuggestions(BaseModel):
    transfers: list[str]
    purchases: list[str]


class PromiseLineIn(_In):
    product_code: str = Field(min_length=1, max_length=40)
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)


class PromiseIn(_In):
    lines: list[PromiseLineIn] = Field(min_length=1, max_length=200)
    requested_date: date | None = None
    #: A changed order: its own plan is left out of the load.
    sales_order_id: int | None = None


class PromiseLineRead(BaseModel):
    product_code: str
    quantity: str
    ready: date | None
    limited_by: str
    explanation: str


class PromiseRead(BaseModel):
    earliest_date: date | None
    feasible: bool
    limited_by: str
    explanation: str
    lines: list[PromiseLineRead]
    run_id: int | None


class PlanLineRead(BaseModel):
    production_order_id: int
    production_order_number: str
    sales_order_number: str
    product_code: str
    planned: str
    finished: str


class ProductionPlanRead(BaseModel):
    id: int
    kind: str
    period_start: date
    period_end: date
    published_at: datetime
    lines: list[PlanLineRead]
    planned: str
    finished: str
    achievement: float | None
    target: float
    met: bool | None


class PublishIn(_In):
    kinds: list[str] = Field(default_factory=lambda: ["monthly", "weekly", "daily"])


class PlansRead(BaseModel):
    plans: list[ProductionPlanRead]
    targets: dict[str, float]


def jsonable(value: Any) -> Any:
    return value
