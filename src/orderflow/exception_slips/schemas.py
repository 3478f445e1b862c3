"""API shapes of exception slips: SlipCreate in, SlipRead out, counts for the KPIs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orderflow.api.schemas import Money


class SlipCreate(BaseModel):
    """An exception slip raised by hand (a data error, a design error found on the floor…)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(min_length=1, max_length=4000)
    sales_order_id: int | None = None
    #: The document it is about (free text when it is not in OrderFlow, e.g. a supplier's note).
    source_number: str = Field(default="", max_length=32)


class SlipSummary(BaseModel):
    id: int
    number: str
    state: str
    version: int
    kind: str
    description: str
    source_number: str
    owner_roles: list[str]
    liability: str | None
    created_at: datetime


class SlipRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    kind: str
    description: str
    source_document_type: str | None
    source_document_id: int | None
    source_number: str
    sales_order_id: int | None
    sales_order_number: str | None
    supplier_id: int | None
    supplier_name: str | None
    routes: list[str]
    owner_roles: list[str]
    owner_id: int | None
    owner_name: str | None
    raised_by: str | None
    cause: str
    decision: str
    remedy: str | None
    liability: str | None
    cost: Money
    closure: str
    details: dict[str, Any]
    created_at: datetime
    decided_at: datetime | None
    closed_at: datetime | None
    allowed_transitions: list[str]


class KindCountRead(BaseModel):
    kind: str
    raised: int
    open: int
    decided: int
    closed: int
    cancelled: int
    cost: Money
    by_liability: dict[str, int]


class ExceptionCounts(BaseModel):
    """Slips raised in a period, by kind and by the policy's KPI classes (N2)."""

    since: date
    until: date
    total: int
    kinds: list[KindCountRead]
    classes: dict[str, int]
