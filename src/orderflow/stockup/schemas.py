"""API shapes of stock-up notices."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class StockUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    order_id: int
    reason: str = Field(min_length=1, max_length=2000)
    #: By when the goods must be ready; the order's requested date if not given.
    needed_by: date | None = None


class StockUpRead(BaseModel):
    id: int
    number: str
    state: str
    version: int
    order_id: int
    order_number: str
    customer_name: str
    reason: str
    needed_by: date | None
    lines: list[dict[str, Any]]
    issued_by: str
    #: The order as it stands: effective since when and by what ("stock_up", "contract").
    order_effective_at: datetime | None
    order_effective_by: str | None
    created_at: datetime
    updated_at: datetime
    allowed_transitions: list[str]


class StockUpSummary(BaseModel):
    id: int
    number: str
    state: str
    order_id: int
    order_number: str
    customer_name: str
    needed_by: date | None
    issued_by: str
    created_at: datetime
