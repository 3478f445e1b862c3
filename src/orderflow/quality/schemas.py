"""API shapes of inspections."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class InspectionCreate(BaseModel):
    """An in-process or final inspection asked for by hand (incoming ones come with receipts)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    stage: Literal["in_process", "final"]
    product_id: int | None = None
    product_code: str | None = None
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    sales_order_id: int | None = None
    lot: str = Field(default="", max_length=40)
    operation: str = Field(default="", max_length=120)
    #: In-process: the production order (number) and operation inspected; a reworkable
    #: defect then goes to the operator who reported that operation (J2).
    production_order: str | None = Field(default=None, max_length=32)
    operation_seq: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _named(self) -> InspectionCreate:
        if self.product_id is None and not self.product_code:
            raise ValueError("give product_id or product_code")
        return self


class InspectionRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    stage: str
    product_id: int
    product_code: str
    product_name: str
    unit: str
    lot_quantity: str
    lot: str
    source_document_type: str | None
    source_document_id: int | None
    source_number: str
    source_line: int | None
    sales_order_id: int | None
    sales_order_number: str | None
    supplier_name: str | None
    operation: str
    aql: str
    inspection_level: str
    sample_size: int
    accept_number: int
    quality_standard: str
    shipping_standard: str
    inspected: int | None
    defective: int | None
    pass_rate: str | None
    accepted_quantity: str | None
    rejected_quantity: str | None
    findings: list[dict[str, Any]]
    routes: list[str]
    standards_met: dict[str, Any]
    note: str
    inspector: str | None
    inspected_at: datetime | None
    exception_number: str | None
    exception_id: int | None
    created_at: datetime
    allowed_transitions: list[str]


class InspectionSummary(BaseModel):
    id: int
    number: str
    state: str
    stage: str
    product_code: str
    product_name: str
    lot_quantity: str
    lot: str
    source_number: str
    pass_rate: str | None
    exception_number: str | None
    created_at: datetime


class StageStats(BaseModel):
    stage: str
    lots: int
    passed: int
    failed: int
    #: Passed lots / judged lots, 4 decimals.
    lot_pass_rate: str | None
    #: Good units / inspected units over every sample, 4 decimals.
    sample_pass_rate: str | None


class QualityStats(BaseModel):
    since: date
    until: date
    stages: list[StageStats]
