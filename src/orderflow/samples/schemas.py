"""API shapes of samples (E10) and tech packs (E11)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SampleCreate(_In):
    title: str = Field(min_length=1, max_length=200)
    requirements: str = Field(default="", max_length=4000)
    due_at: datetime
    customer_id: int | None = None
    sales_order_id: int | None = None
    product_code: str | None = Field(default=None, max_length=40)
    with_outsourcer: bool = False


class RoundRead(BaseModel):
    number: int
    started_at: datetime
    submitted_at: datetime | None
    verdict: str | None
    reason: str


class SampleRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    title: str
    requirements: str
    due_at: datetime
    customer_id: int | None
    sales_order_id: int | None
    round: int
    approved_round: int | None
    first_pass: bool | None
    standard_minutes: str
    with_outsourcer: bool
    rounds: list[RoundRead]
    allowed_transitions: list[str]


class SampleSummary(BaseModel):
    id: int
    number: str
    state: str
    title: str
    round: int
    due_at: datetime


class SamplesRead(BaseModel):
    items: list[SampleSummary]
    #: Approved samples in the period and the share approved in the first round.
    approved: int
    first_pass_rate: float | None


class TechPackCreate(_In):
    sales_order_id: int
    sample_request_id: int
    fabric_width: str = Field(default="", max_length=60)
    pattern: str = Field(default="", max_length=120)
    process: str = Field(default="", max_length=4000)


class TechPackRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    sales_order_id: int
    sales_order_number: str
    sample_request_id: int
    sample_number: str
    fabric_width: str
    pattern: str
    process: str
    checked_on: date | None
    mismatch: str
    exception_number: str | None
    sales_confirmed_by: str | None
    purchasing_confirmed_by: str | None
    allowed_transitions: list[str]
