"""API shapes of transfers, customer-supplied notices and stock counts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Qty = Field(gt=0, max_digits=14, decimal_places=4)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProductQuantity(_In):
    product_id: int | None = None
    product_code: str | None = None
    quantity: Decimal = Qty

    @model_validator(mode="after")
    def _named(self) -> ProductQuantity:
        if self.product_id is None and not self.product_code:
            raise ValueError("give product_id or product_code")
        return self


class TransferCreate(_In):
    """Ask a sister company for stock (A5). Products are the caller's company's own."""

    from_company: str = Field(min_length=1, max_length=20, description="The company's code")
    needed_by: date
    sales_order_id: int | None = None
    #: Omitted: the caller's company's first warehouse.
    to_warehouse_code: str | None = None
    reason: str = Field(default="", max_length=300)
    lines: list[ProductQuantity] = Field(min_length=1, max_length=100)


class TransferLineRead(BaseModel):
    line_no: int
    product_code: str
    product_name: str
    unit: str
    quantity: str


class TransferRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    from_company: str
    to_company: str
    from_warehouse: str
    to_warehouse: str
    sales_order_number: str | None
    needed_by: date
    origin: str
    carrier: str
    shipped_at: datetime | None
    received_at: datetime | None
    created_at: datetime
    lines: list[TransferLineRead]
    allowed_transitions: list[str]


class TransferSummary(BaseModel):
    id: int
    number: str
    state: str
    from_company: str
    to_company: str
    needed_by: date
    lines: int
    created_at: datetime


class CustomerSuppliedCreate(_In):
    """The customer's promise (E12): what, how much, by when — entered by the business."""

    customer_id: int | None = None
    customer_code: str | None = None
    sales_order_id: int | None = None
    expected_date: date
    warehouse_code: str | None = None
    note: str = Field(default="", max_length=1000)
    lines: list[ProductQuantity] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _named(self) -> CustomerSuppliedCreate:
        if self.customer_id is None and not self.customer_code and self.sales_order_id is None:
            raise ValueError("give customer_id, customer_code or sales_order_id")
        return self


class CustomerSuppliedLineRead(BaseModel):
    line_no: int
    product_code: str
    product_name: str
    unit: str
    promised: str
    counted: str | None


class CustomerSuppliedRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    customer_code: str
    customer_name: str
    sales_order_id: int | None
    sales_order_number: str | None
    warehouse: str
    expected_date: date
    new_expected_date: date | None
    note: str
    signed_by: str
    signed_at: datetime | None
    exception_number: str | None
    created_at: datetime
    lines: list[CustomerSuppliedLineRead]
    allowed_transitions: list[str]


class CustomerSuppliedSummary(BaseModel):
    id: int
    number: str
    state: str
    customer_name: str
    expected_date: date
    created_at: datetime


class CountCreate(_In):
    warehouse_code: str = Field(min_length=1)
    #: Omitted: every storage location of the warehouse.
    location_code: str | None = None
    reason: str = Field(default="", max_length=1000)


class CountLineRead(BaseModel):
    line_no: int
    location_code: str
    product_code: str
    product_name: str
    unit: str
    book: str
    counted: str | None
    difference: str | None
    reason: str


class CountRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    warehouse: str
    location: str | None
    reason: str
    counted_at: datetime | None
    posted_at: datetime | None
    created_at: datetime
    lines: list[CountLineRead]
    allowed_transitions: list[str]


class CountSummary(BaseModel):
    id: int
    number: str
    state: str
    warehouse: str
    location: str | None
    created_at: datetime
