"""Shapes the master-data pages need beyond the areas' own: a user edit, a ledger row."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from orderflow.auth.roles import ALL_ROLES


class UserUpdate(BaseModel):
    """What an administrator changes on a user; a field left out stays as it is. An empty
    ``department_code`` takes the user out of their department."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    display_name: str | None = Field(default=None, min_length=1, max_length=120)
    roles: list[str] | None = Field(default=None, min_length=1)
    department_code: str | None = None
    email: EmailStr | None = None
    locale: str | None = Field(default=None, pattern="^(zh-CN|en)$")

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, roles: list[str] | None) -> list[str] | None:
        # The same rule and words as auth.users.UserCreate.
        unknown = sorted(set(roles or ()) - ALL_ROLES)
        if unknown:
            raise ValueError(f"unknown roles {unknown}; known: {sorted(ALL_ROLES)}")
        return roles


class StockMoveRead(BaseModel):
    """One row of a warehouse's stock ledger, as its page shows it."""

    at: datetime
    product_code: str
    product_name: str
    quantity: str
    reason: str
    reference: str
    actor: str | None
