"""API shapes of contracts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orderflow.api.schemas import Money
from orderflow.files.schemas import FileRead


class ClauseText(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    zh: str = Field(min_length=1, max_length=4000)
    en: str = Field(min_length=1, max_length=4000)


class ContractCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_id: int
    kind: Literal["main", "supplementary"] = "main"
    #: A supplementary contract belongs to a structural change (G2).
    change_id: int | None = None
    #: A supplementary contract's added price (the main contract takes the order's total);
    #: left out, the change's price difference is proposed.
    amount: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    delivery_date: date | None = None
    #: Clauses that differ from the template, by clause key.
    terms: dict[str, ClauseText] = {}

    @model_validator(mode="after")
    def _supplementary(self) -> ContractCreate:
        if self.kind == "supplementary" and self.change_id is None:
            raise ValueError("a supplementary contract needs change_id")
        return self


class FilingRead(BaseModel):
    department: str
    filed_at: datetime
    filed_by: str


class ContractLink(BaseModel):
    id: int
    number: str
    state: str
    kind: str


class ContractRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    kind: str
    order_id: int
    order_number: str
    customer_id: int
    customer_name: str
    change_id: int | None
    change_number: str | None
    #: A supplementary contract: the contract it supplements.
    parent: ContractLink | None
    #: A main contract: its supplementary agreements.
    supplements: list[ContractLink]
    quote_id: int | None
    amount: Money
    deposit: Money
    delivery_date: date | None
    terms: dict[str, Any]
    sent_at: datetime | None
    customer_signatory: str | None
    signed_on: date | None
    signature_file_id: int | None
    filed_at: datetime | None
    filings: list[FilingRead]
    deposit_received: Money | None
    deposit_reference: str | None
    deposit_verified_at: datetime | None
    deposit_verified_by: str | None
    order_effective_at: datetime | None
    files: list[FileRead]
    pdf_url: str
    created_at: datetime
    updated_at: datetime
    allowed_transitions: list[str]


class ContractSummary(BaseModel):
    id: int
    number: str
    state: str
    kind: str
    order_number: str
    customer_name: str
    amount: Money
    filed_to: list[str]
    created_at: datetime


class ContractDraft(BaseModel):
    """What drawing a contract now would give (the drawing page): clauses may be edited."""

    order_id: int
    order_number: str
    customer_name: str
    kind: str
    change_id: int | None
    change_number: str | None
    parent_number: str | None
    amount: Money
    deposit: Money
    deposit_share: str
    delivery_date: date
    terms: dict[str, dict[str, str]]
