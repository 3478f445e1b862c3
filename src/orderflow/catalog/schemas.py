"""API shapes of products and their price lists."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.api.schemas import Money
from orderflow.catalog.models import ProductKind


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PriceIn(_In):
    price_list: str = Field(default="STD", min_length=1, max_length=20)
    min_quantity: Decimal = Field(default=Decimal(0), ge=0)
    unit_price: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    currency: str = Field(default="CNY", pattern="^[A-Z]{3}$")


class ProductFields(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    model_spec: str | None = Field(default=None, max_length=200)
    unit: str | None = Field(default=None, min_length=1, max_length=20)
    kind: ProductKind | None = None
    active: bool | None = None
    lead_time_days: int | None = Field(default=None, ge=0, le=3650)
    prices: list[PriceIn] | None = None


class ProductCreate(ProductFields):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)


class ProductUpdate(ProductFields):
    """Only the given fields change; ``prices`` replaces the price list entries whole."""


class PriceRead(BaseModel):
    price_list: str
    min_quantity: str
    unit_price: Money


class ProductRead(BaseModel):
    id: int
    code: str
    name: str
    model_spec: str
    unit: str
    kind: str
    active: bool
    lead_time_days: int
    prices: list[PriceRead]
