"""Shapes every area's API shares: money, lists, problems."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


class Money(BaseModel):
    amount: str
    currency: str = "CNY"

    @classmethod
    def of(cls, amount: Decimal, currency: str = "CNY") -> Money:
        return cls(
            amount=f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}", currency=currency
        )


class Page(BaseModel, Generic[T]):
    items: list[T]
    next: str | None = None


class ProblemField(BaseModel):
    field: str
    message: str
    code: str = "invalid"


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemField] = []


class EventRead(BaseModel):
    """One entry of a document's timeline."""

    seq: int
    name: str
    actor: str
    at: datetime
    from_state: str | None
    to_state: str | None
    payload: dict[str, object]
    reason: str | None
