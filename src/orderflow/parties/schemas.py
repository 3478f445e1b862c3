"""API shapes of customers: CustomerCreate / CustomerUpdate in, CustomerRead out."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from orderflow.api.schemas import Money


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ContactIn(_In):
    name: str = Field(min_length=1, max_length=120)
    phone: str | None = Field(default=None, max_length=40)
    email: EmailStr | None = None
    is_primary: bool = False


class AddressIn(_In):
    label: str = Field(default="", max_length=60)
    province: str = Field(default="", max_length=60)
    city: str = Field(default="", max_length=60)
    line: str = Field(min_length=1, max_length=300)
    postcode: str | None = Field(default=None, max_length=20)
    is_default: bool = False
    deliverable: bool = True


class CustomerFields(_In):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    customer_class: str | None = Field(default=None, max_length=20)
    is_dealer: bool | None = None
    is_new: bool | None = None
    credit_limit: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    payment_terms_days: int | None = Field(default=None, ge=0, le=365)
    price_list: str | None = Field(default=None, min_length=1, max_length=20)
    region: str | None = Field(default=None, max_length=60)
    locale: str | None = Field(default=None, pattern="^(zh-CN|en)$")
    quality_standard: str | None = None
    shipping_standard: str | None = None
    owner_username: str | None = None
    active: bool | None = None
    contacts: list[ContactIn] | None = None
    addresses: list[AddressIn] | None = None


class CustomerCreate(CustomerFields):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    name: str = Field(min_length=1, max_length=200)
    credit_limit: Decimal = Field(default=Decimal(0), ge=0, max_digits=16, decimal_places=2)


class CustomerUpdate(CustomerFields):
    """Only the given fields change; ``contacts`` / ``addresses`` replace the lists whole."""


class ContactRead(BaseModel):
    id: int
    name: str
    phone: str | None
    email: str | None
    is_primary: bool


class AddressRead(BaseModel):
    id: int
    label: str
    province: str
    city: str
    line: str
    postcode: str | None
    is_default: bool
    deliverable: bool


class CustomerRead(BaseModel):
    id: int
    code: str
    name: str
    customer_class: str
    is_dealer: bool
    is_new: bool
    credit_limit: Money
    payment_terms_days: int
    price_list: str
    region: str | None
    locale: str
    quality_standard: str | None
    shipping_standard: str | None
    owner_id: int | None
    active: bool
    contacts: list[ContactRead]
    addresses: list[AddressRead]
