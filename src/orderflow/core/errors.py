"""The domain's exceptions, mapped to problem+json, web messages and CLI exit codes.

    OrderFlowError
    ├── ValidationFailed      422  one or more fields are wrong (``errors`` names each)
    ├── NotAuthenticated      401
    ├── PermissionDenied      403  a known object, but not this caller's step to take
    ├── NotFound              404  missing, or not the caller's to see
    └── Conflict              409
        ├── TransitionNotAllowed   the step is not allowed from the current state
        ├── VersionMismatch        someone changed the document since it was read
        ├── IdempotencyKeyReused   the same key came with another request body
        ├── InsufficientStock      a reservation could not be made
        └── ReviewRequired         the order must pass its review first (C2, C6)

Each carries a stable ``code`` so clients and translations key on it, not on text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    code: str = "invalid"


class OrderFlowError(Exception):
    status = 400
    code = "error"
    title = "Request failed"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra


class ValidationFailed(OrderFlowError):
    status = 422
    code = "validation_failed"
    title = "Validation failed"

    @classmethod
    def of(cls, problems: list[FieldError]) -> ValidationFailed:
        names = ", ".join(p.field for p in problems)
        return cls(f"Invalid fields: {names}", errors=problems)


class NotAuthenticated(OrderFlowError):
    status = 401
    code = "not_authenticated"
    title = "Not logged in"


class PermissionDenied(OrderFlowError):
    status = 403
    code = "permission_denied"
    title = "Not allowed"


class NotFound(OrderFlowError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(OrderFlowError):
    status = 409
    code = "conflict"
    title = "Conflict"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    title = "Step not allowed now"


class VersionMismatch(Conflict):
    code = "version_mismatch"
    title = "Changed by someone else"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    title = "Idempotency key reused with another request"


class InsufficientStock(Conflict):
    code = "insufficient_stock"
    title = "Not enough stock"


@dataclass
class FieldErrors:
    """Collects every failing field before raising, so the user sees them all at once."""

    items: list[FieldError] = field(default_factory=list)

    def add(self, name: str, message: str, code: str = "invalid") -> None:
        self.items.append(FieldError(name, message, code))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed.of(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """Pydantic's error location as the field name users see: ``lines[1].quantity``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate(schema: type[M], data: Mapping[str, Any] | None, *, prefix: str = "") -> M:
    """Parse ``data`` with ``schema``; every failing field is named in one ValidationFailed."""
    try:
        return schema.model_validate(dict(data or {}))
    except ValidationError as exc:
        raise ValidationFailed.of(
            [
                FieldError(
                    prefix + (field_path(e["loc"]) or "body"),
                    e["msg"].removeprefix("Value error, "),
                    e["type"],
                )
                for e in exc.errors()
            ]
        ) from exc


class ReviewRequired(Conflict):
    code = "review_required"
    title = "The order must pass its review first"
