"""API shapes of quotes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orderflow.api.schemas import Money
from orderflow.files.schemas import FileRead
from orderflow.quotes.flow import Reason


class QuoteLineRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    product_code: str = Field(min_length=1)
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    #: Why the item is non-regular (surcharges from the policy's 异型更改标准).
    reasons: list[Reason] = []
    note: str = Field(default="", max_length=1000)


class QuoteCreate(BaseModel):
    """A quote request (报价申请单): for an order, or for a customer's enquiry."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_id: int | None = None
    customer_id: int | None = None
    lines: list[QuoteLineRequest] = Field(default=[], max_length=200)
    note: str = Field(default="", max_length=4000)

    @model_validator(mode="after")
    def _what(self) -> QuoteCreate:
        if self.order_id is None and (self.customer_id is None or not self.lines):
            raise ValueError("give order_id, or customer_id with lines")
        return self


class QuoteVersionRead(BaseModel):
    version_no: int
    lines: list[dict[str, Any]]
    total: Money
    valid_until: date
    notes: str
    created_by: str
    created_at: datetime


class QuoteRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    customer_id: int
    customer_name: str
    order_id: int | None
    request_lines: list[dict[str, Any]]
    request_note: str
    current_version: int
    total: Money
    valid_until: date | None
    expired: bool
    quoter_signed_by: str | None
    quoter_signed_at: datetime | None
    technical_signed_by: str | None
    technical_signed_at: datetime | None
    sent_at: datetime | None
    accepted_at: datetime | None
    versions: list[QuoteVersionRead]
    files: list[FileRead]
    pdf_url: str | None
    created_at: datetime
    updated_at: datetime
    allowed_transitions: list[str]


class QuoteSummary(BaseModel):
    id: int
    number: str
    state: str
    customer_name: str
    #: None: a quote for a customer's enquiry, without an order.
    order_id: int | None
    order_number: str | None
    total: Money
    valid_until: date | None
    created_at: datetime
