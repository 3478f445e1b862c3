"""API shapes of warehouses, stock levels and stock adjustments."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WarehouseCreate(_In):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(default="", max_length=300)


class WarehouseRead(BaseModel):
    id: int
    code: str
    name: str
    address: str


class StockAdjustment(_In):
    """A counted difference, a receipt outside purchasing, a write-off: always with a reason."""

    warehouse_code: str = Field(min_length=1)
    product_code: str = Field(min_length=1)
    quantity: Decimal = Field(max_digits=14, decimal_places=4)
    reason: str = Field(min_length=1, max_length=40)
    reference: str = Field(default="", max_length=60)


class StockRead(BaseModel):
    warehouse_code: str
    warehouse_name: str
    product_id: int
    product_code: str
    product_name: str
    unit: str
    on_hand: str
    reserved: str
    available: str
    #: Received or made, waiting for incoming or final inspection: not available yet (I2).
    awaiting_inspection: str = "0"
    #: Failed inspection, waiting to be returned or accepted by concession.
    rejected: str = "0"


class LocationCreate(_In):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(default="", max_length=100)
    kind: Literal["storage", "inspection", "rejected"] = "storage"


class LocationRead(BaseModel):
    id: int
    code: str
    name: str
    kind: str
    active: bool


class LocationStockRead(BaseModel):
    location_code: str
    location_kind: str
    product_code: str
    product_name: str
    unit: str
    quantity: str


class Relocation(_In):
    """Move stock between two locations of a warehouse (shelve it elsewhere)."""

    warehouse_code: str = Field(min_length=1)
    product_code: str = Field(min_length=1)
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    from_location: str = Field(min_length=1)
    to_location: str = Field(min_length=1)
    reason: str = Field(default="relocation", min_length=1, max_length=40)


class MoveRead(BaseModel):
    id: int
    at: datetime
    warehouse_code: str
    location_code: str
    product_code: str
    quantity: str
    reason: str
    reference: str
    actor: str | None


class LedgerCheck(BaseModel):
    ok: bool
    problems: list[str]


class ReservationRead(BaseModel):
    """Stock held for an order line in a warehouse (taken at confirmation, I1)."""

    order_number: str
    line_no: int
    warehouse_code: str
    product_code: str
    quantity: str
    created_at: datetime
