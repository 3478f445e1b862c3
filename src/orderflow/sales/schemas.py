"""API shapes of sales orders: OrderCreate in, OrderRead out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orderflow.api.schemas import Money
from orderflow.sales.models import Channel, Priority


class LineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    product_id: int | None = None
    product_code: str | None = None
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    #: Omitted: the customer's price list decides.
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    description: str = Field(default="", max_length=300)

    @model_validator(mode="after")
    def _product_named(self) -> LineCreate:
        if self.product_id is None and not self.product_code:
            raise ValueError("give product_id or product_code")
        return self


class OrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel
    customer_id: int | None = None
    customer_code: str | None = None
    contact_name: str | None = Field(default=None, max_length=120)
    contact_phone: str | None = Field(default=None, max_length=40)
    contact_email: str | None = Field(default=None, max_length=200)
    #: Omitted: the customer's default address.
    address_id: int | None = None
    delivery_address: str | None = Field(default=None, max_length=400)
    requested_date: date
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)
    priority: Priority = Priority.NORMAL
    notes: str = Field(default="", max_length=4000)
    technical_requirements: str = Field(default="", max_length=4000)
    quality_requirements: str = Field(default="", max_length=4000)
    lines: list[LineCreate] = Field(min_length=1, max_length=500)
    #: Needs new technical design (非常规, C1).
    custom_design: bool = False
    #: The contract has a late-delivery penalty (C1 non-regular / special).
    late_penalty: bool = False
    #: A project order (工程项目): reviewed by finance, production and technical (C2).
    project_name: str = Field(default="", max_length=200)
    #: Confirm in the same step (web-shop orders): stock is reserved or nothing is saved.
    #: An order that must be reviewed first is saved as a draft with its review started.
    confirm: bool = False

    @model_validator(mode="after")
    def _customer_named(self) -> OrderCreate:
        if self.customer_id is None and not self.customer_code:
            raise ValueError("give customer_id or customer_code")
        return self


class LineRead(BaseModel):
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    model_spec: str
    unit: str
    description: str
    quantity: str
    unit_price: Money
    amount: Money
    reserved_quantity: str
    shipped_quantity: str
    available: str | None = None


class ShipmentRead(BaseModel):
    number: str
    carrier: str
    tracking_number: str
    shipped_at: datetime
    delivered_at: datetime | None
    signed_by: str | None
    lines: list[dict[str, str | int]]


class InvoiceRead(BaseModel):
    number: str
    amount: Money
    tax_invoice_number: str
    issued_at: datetime
    due_date: date


class PaymentRead(BaseModel):
    number: str
    amount: Money
    method: str
    reference: str
    received_on: date


class OrderRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    channel: str
    customer_id: int
    customer_code: str
    customer_name: str
    contact_name: str
    contact_phone: str
    contact_email: str
    delivery_address: str
    requested_date: date
    promised_date: date | None
    payment_terms_days: int
    priority: str
    notes: str
    technical_requirements: str
    quality_requirements: str
    total: Money
    invoiced: Money
    paid: Money
    outstanding: Money
    shortage_decision: str | None
    owner_id: int | None
    handler_id: int | None
    created_at: datetime
    updated_at: datetime
    regularity: str = "regular"
    category: str = "general"
    project_name: str = ""
    custom_design: bool = False
    late_penalty: bool = False
    rush: bool = False
    classification_reasons: list[str] = []
    classification_overridden: bool = False
    review_state: str = "not_required"
    effective_at: datetime | None = None
    effective_by: str | None = None
    lines: list[LineRead]
    shipments: list[ShipmentRead] = []
    invoices: list[InvoiceRead] = []
    payments: list[PaymentRead] = []
    allowed_transitions: list[str]


class OrderSummary(BaseModel):
    id: int
    number: str
    state: str
    version: int
    customer_name: str
    requested_date: date
    priority: str
    total: Money
    channel: str
    created_at: datetime
    regularity: str = "regular"
    review_state: str = "not_required"
