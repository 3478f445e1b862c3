"""API shapes of suppliers, requisitions and purchase orders."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orderflow.api.schemas import Money

Qty = Field(gt=0, max_digits=14, decimal_places=4)
OptQty = Field(default=None, gt=0, max_digits=14, decimal_places=4)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Product(_In):
    product_id: int | None = None
    product_code: str | None = None

    @model_validator(mode="after")
    def _named(self) -> _Product:
        if self.product_id is None and not self.product_code:
            raise ValueError("give product_id or product_code")
        return self


# --- suppliers ------------------------------------------------------------------------------


class SupplierItemIn(_Product):
    lead_time_days: int = Field(ge=0, le=365)
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=4)
    min_quantity: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=4)


class SupplierCreate(_In):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)
    contact_name: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=400)
    default_lead_time_days: int = Field(default=7, ge=0, le=365)
    notes: str = Field(default="", max_length=4000)
    #: The lead-time table (采购周期表): per material.
    items: list[SupplierItemIn] = []


class SupplierUpdate(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    contact_name: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=400)
    default_lead_time_days: int | None = Field(default=None, ge=0, le=365)
    active: bool | None = None
    notes: str | None = Field(default=None, max_length=4000)
    #: Given: the whole lead-time table is replaced by this one.
    items: list[SupplierItemIn] | None = None


class SupplierItemRead(BaseModel):
    product_id: int
    product_code: str
    product_name: str
    unit: str
    lead_time_days: int
    unit_price: str | None
    min_quantity: str


class SupplierRead(BaseModel):
    id: int
    code: str
    name: str
    contact_name: str
    phone: str
    email: str
    address: str
    default_lead_time_days: int
    active: bool
    notes: str
    items: list[SupplierItemRead]
    #: H7 over the last 12 months: complete lines on time / counted.
    on_time_rate: str | None
    on_time: int
    late: int


class OnTimeRead(BaseModel):
    key_id: int
    code: str
    name: str
    on_time: int
    late: int
    #: on_time / (on_time + late), 4 decimals; null when nothing was due yet.
    rate: str | None


class PerformanceRead(BaseModel):
    since: date
    until: date
    by: str
    items: list[OnTimeRead]


# --- requisitions ---------------------------------------------------------------------------


class RequisitionLineCreate(_Product):
    #: Omitted: unit use × for_quantity × (1 + allowance). For a sales order, unit use and
    #: for_quantity not given come from its bills of material (H2), so a line may name only
    #: the material; the service refuses a line left with nothing to go by.
    quantity: Decimal | None = OptQty
    unit_use: Decimal | None = OptQty
    for_quantity: Decimal | None = OptQty
    allowance: Decimal | None = Field(default=None, ge=0, le=10, max_digits=8, decimal_places=4)
    needed_by: date | None = None
    note: str = Field(default="", max_length=300)


class RequisitionCreate(_In):
    sales_order_id: int | None = None
    needed_by: date
    reason: str = Field(default="", max_length=1000)
    lines: list[RequisitionLineCreate] = Field(min_length=1, max_length=200)


class GroupStockRead(BaseModel):
    company_code: str
    free: str


class RequisitionLineRead(BaseModel):
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    unit: str
    quantity: str
    unit_use: str | None
    for_quantity: str | None
    allowance: str | None
    #: "bom" (taken from the sales order's bills of material) or "entered" (typed).
    unit_use_source: str | None
    #: The BOM's unit use, its overage included, when the BOM holds the material.
    bom_unit_use: str | None
    #: A typed unit use (with its allowance) other than the BOM's: kept, but shown.
    differs_from_bom: bool
    needed_by: date
    transferred: str
    ordered: str
    open: str
    note: str
    group_free: list[GroupStockRead]


class RequisitionRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    source: str
    sales_order_id: int | None
    sales_order_number: str | None
    needed_by: date
    reason: str
    requested_by: str | None
    created_at: datetime
    lines: list[RequisitionLineRead]
    purchase_orders: list[str]
    allowed_transitions: list[str]


class RequisitionSummary(BaseModel):
    id: int
    number: str
    state: str
    version: int
    source: str
    sales_order_number: str | None
    needed_by: date
    lines: int
    open_lines: int
    created_at: datetime


# --- purchase orders ------------------------------------------------------------------------


class OrderLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    product_id: int | None = None
    product_code: str | None = None
    #: Omitted for a requisition line: what it still needs.
    quantity: Decimal | None = OptQty
    #: Omitted: the supplier's price in the lead-time table.
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=4)
    #: Buy for a requisition's line (its number and line number).
    requisition: str | None = None
    requisition_line: int | None = Field(default=None, ge=1)
    #: The H2 basis of a line bought by hand for a sales order.
    unit_use: Decimal | None = OptQty
    for_quantity: Decimal | None = OptQty
    allowance: Decimal | None = Field(default=None, ge=0, le=10, max_digits=8, decimal_places=4)

    @model_validator(mode="after")
    def _named(self) -> OrderLineCreate:
        if self.requisition:
            if self.requisition_line is None:
                raise ValueError("give requisition_line with requisition")
        elif self.product_id is None and not self.product_code:
            raise ValueError("give product_id or product_code (or a requisition line)")
        elif self.quantity is None:
            raise ValueError("give quantity")
        return self


class OrderCreate(_In):
    supplier_id: int | None = None
    supplier_code: str | None = None
    #: Taken from the requisitions when omitted; one order per sales order (按单采购).
    sales_order_id: int | None = None
    #: Omitted: the company's first warehouse.
    warehouse_code: str | None = None
    #: Omitted: the earliest date a requisition needs it by, else today + lead time.
    due_date: date | None = None
    #: A date the supplier already agreed before the order was placed (3.1.2).
    supplier_promised_date: date | None = None
    #: Every open line of these requisitions (by number).
    from_requisitions: list[str] = []
    lines: list[OrderLineCreate] = Field(default=[], max_length=200)
    notes: str = Field(default="", max_length=4000)

    @model_validator(mode="after")
    def _named(self) -> OrderCreate:
        if self.supplier_id is None and not self.supplier_code:
            raise ValueError("give supplier_id or supplier_code")
        if not self.lines and not self.from_requisitions:
            raise ValueError("give lines or from_requisitions")
        return self


class ReceiptLineRead(BaseModel):
    line_no: int
    quantity: str
    inspection_number: str | None


class ReceiptRead(BaseModel):
    number: str
    delivery_note: str
    received_at: datetime
    received_by: str | None
    lines: list[ReceiptLineRead]


class OrderLineRead(BaseModel):
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    model_spec: str
    unit: str
    quantity: str
    unit_price: Money
    amount: Money
    requisition: str | None
    requisition_line: int | None
    unit_use: str | None
    for_quantity: str | None
    allowance: str | None
    #: "bom" (taken from the sales order's bills of material) or "entered" (typed).
    unit_use_source: str | None
    #: The BOM's unit use, its overage included, when the BOM holds the material.
    bom_unit_use: str | None
    #: A typed unit use (with its allowance) other than the BOM's: kept, but shown.
    differs_from_bom: bool
    received: str
    accepted: str
    rejected: str
    returned: str
    cancelled: str
    outstanding: str
    awaiting_inspection: str
    completed_on: date | None
    lead_time_days: int
    group_free: list[GroupStockRead]


class PurchaseOrderRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    supplier_id: int
    supplier_code: str
    supplier_name: str
    sales_order_id: int | None
    sales_order_number: str | None
    warehouse_code: str
    due_date: date
    supplier_promised_date: date | None
    expected_date: date | None
    late: bool
    exception_number: str | None
    exception_id: int | None
    carrier: str
    tracking_number: str
    shipped_on: date | None
    total: Money
    notes: str
    no_transfer_reason: str
    buyer: str | None
    approved_by: str | None
    approved_at: datetime | None
    pending_reduction: dict[str, object] | None
    lines: list[OrderLineRead]
    receipts: list[ReceiptRead]
    created_at: datetime
    allowed_transitions: list[str]


class PurchaseOrderSummary(BaseModel):
    id: int
    number: str
    state: str
    version: int
    supplier_name: str
    sales_order_number: str | None
    due_date: date
    expected_date: date | None
    late: bool
    total: Money
    created_at: datetime
