"""API shapes of production: master data (work centres, BOMs, routings), production
instructions and orders, progress and outsourcing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orderflow.api.schemas import Money
from orderflow.planning.axis import periods_from

CODE = r"^[A-Za-z0-9._-]+$"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- master data ------------------------------------------------------------------------


class WorkCentreFields(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    units: int | None = Field(default=None, ge=1, le=500)
    #: Working periods of an open day; empty: the company calendar's.
    shifts: list[str] | None = None
    closed_days: list[date] | None = None
    hourly_rate: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    active: bool | None = None

    @field_validator("shifts")
    @classmethod
    def _shifts(cls, value: list[str] | None) -> list[str] | None:
        if value:
            periods_from(value)  # raises naming the bad period
        return value


class WorkCentreCreate(WorkCentreFields):
    code: str = Field(min_length=1, max_length=20, pattern=CODE)
    name: str = Field(min_length=1, max_length=200)


class WorkCentreUpdate(WorkCentreFields):
    """Only the given fields change."""


class WorkCentreRead(BaseModel):
    id: int
    code: str
    name: str
    units: int
    shifts: list[str]
    closed_days: list[date]
    hourly_rate: Money
    active: bool
    #: Working minutes of one unit on an open day.
    day_minutes: int


class BomLineIn(_In):
    component_code: str = Field(min_length=1, max_length=40)
    #: 单件用量: how much per unit of the parent.
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    #: 抛数: overage as a fraction (0.03 = 3 %).
    overage: Decimal = Field(default=Decimal(0), ge=0, le=1, max_digits=6, decimal_places=4)
    note: str = Field(default="", max_length=200)


class BomIn(_In):
    lines: list[BomLineIn] = Field(max_length=500)


class BomLineRead(BaseModel):
    line_no: int
    component_id: int
    component_code: str
    component_name: str
    unit: str
    quantity: str
    overage: str
    note: str


class BomRead(BaseModel):
    product_id: int
    product_code: str
    lines: list[BomLineRead]


class RoutingStepIn(_In):
    seq: int = Field(ge=1, le=9999)
    name: str = Field(min_length=1, max_length=120)
    work_centre_code: str = Field(min_length=1, max_length=20)
    setup_minutes: int = Field(default=0, ge=0, le=100_000)
    #: Standard minutes per unit (工时).
    run_minutes: Decimal = Field(default=Decimal(0), ge=0, max_digits=12, decimal_places=4)


class RoutingIn(_In):
    steps: list[RoutingStepIn] = Field(max_length=100)


class RoutingStepRead(BaseModel):
    seq: int
    name: str
    work_centre_id: int
    work_centre_code: str
    setup_minutes: int
    run_minutes: str


class RoutingRead(BaseModel):
    product_id: int
    product_code: str
    steps: list[RoutingStepRead]


# --- production instruction and orders ---------------------------------------------------


class ReleaseIn(_In):
    """Release production for a sales order (E1)."""

    sales_order_id: int
    #: 成套产品: 24 h to break down and packing told 3 days ahead; else 4 h and 1 day.
    complete_set: bool = False
    #: 非常规: a coordination meeting comes before the breakdown (E3).
    non_regular: bool = False
    note: str = Field(default="", max_length=2000)


class MilestoneRead(BaseModel):
    kind: str
    role: str
    due_at: datetime
    done_at: datetime | None
    note: str


class MeetingRead(BaseModel):
    held_on: date
    attendees: str
    decisions: str
    recorded_at: datetime


class ObjectionRead(BaseModel):
    id: int
    milestone: str
    proposed_at: datetime | None
    reason: str
    raised_by: str
    raised_at: datetime
    accepted: bool | None
    answer: str


class OrderSummaryRead(BaseModel):
    id: int
    number: str
    state: str
    product_code: str
    product_name: str
    quantity: str
    level: int
    planned_start: datetime | None
    planned_finish: datetime | None
    late_days: int
    limited_by: str


class InstructionRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    sales_order_id: int
    sales_order_number: str
    customer_name: str
    complete_set: bool
    non_regular: bool
    priority: str
    due_date: date
    confirmed_date: date | None
    latest_confirmable: date
    planned_start: datetime | None
    planned_finish: datetime | None
    late_days: int
    limited_by: str
    breakdown_due_at: datetime
    note: str
    milestones: list[MilestoneRead]
    meetings: list[MeetingRead]
    objections: list[ObjectionRead]
    orders: list[OrderSummaryRead]
    allowed_transitions: list[str]


class InstructionSummary(BaseModel):
    id: int
    number: str
    state: str
    sales_order_number: str
    customer_name: str
    priority: str
    due_date: date
    confirmed_date: date | None
    planned_finish: datetime | None
    late_days: int


class OperationRead(BaseModel):
    id: int
    seq: int
    name: str
    work_centre_id: int
    work_centre_code: str
    minutes: int
    outsourced_days: int
    planned_start: datetime | None
    planned_finish: datetime | None
    good_quantity: str
    scrap_quantity: str
    #: What may still be reported good here: what the operation before passed on.
    open_quantity: str


class ReportRead(BaseModel):
    seq: int
    good: str
    scrap: str
    note: str
    reported_by: str
    reported_at: datetime


class ProductionOrderRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    instruction_id: int
    instruction_number: str
    sales_order_id: int
    sales_order_number: str
    parent_id: int | None
    product_id: int
    product_code: str
    product_name: str
    unit: str
    quantity: str
    level: int
    priority: str
    due_date: date
    planned_start: datetime | None
    planned_finish: datetime | None
    late_days: int
    limited_by: str
    output_quantity: str
    #: The final inspection the output waits for in QC (None: straight into storage).
    final_inspection: str | None
    #: Still in QC; let into storage (and reserved for the order); held in REJ.
    awaiting_inspection: str
    accepted_quantity: str
    rejected_quantity: str
    scrapped_quantity: str
    materials_issued_at: datetime | None
    operations: list[OperationRead]
    reports: list[ReportRead]
    allowed_transitions: list[str]


class ProductionOrderSummary(BaseModel):
    id: int
    number: str
    state: str
    sales_order_number: str
    product_code: str
    quantity: str
    level: int
    due_date: date
    planned_finish: datetime | None
    late_days: int


class OutsourcingCreate(_In):
    production_order_id: int
    seq: int = Field(ge=1)
    supplier: str = Field(min_length=1, max_length=200)
    days: int = Field(ge=1, le=365)
    cost: Decimal = Field(default=Decimal(0), ge=0, max_digits=16, decimal_places=2)
    reason: str = Field(min_length=1, max_length=2000)


class OutsourcingRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    production_order_id: int
    production_order_number: str
    seq: int
    operation_name: str
    supplier: str
    days: int
    cost: Money
    reason: str
    allowed_transitions: list[str]
