"""Request dependencies shared by every area's routes: the runtime, the caller, headers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from orderflow.auth.service import principal_from_token
from orderflow.core.errors import FieldError, NotAuthenticated, ValidationFailed
from orderflow.runtime import Principal, Runtime

_bearer = HTTPBearer(auto_error=False)


async def get_runtime(request: Request) -> Runtime:
    # async: a plain attribute read need not hop to the thread pool.
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_principal(
    rt: RuntimeDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise NotAuthenticated("Send Authorization: Bearer <token> (POST /api/v1/auth/token)")
    return principal_from_token(rt, credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def if_match(value: Annotated[str | None, Header(alias="If-Match")] = None) -> int | None:
    """The version a step expects, from ``If-Match: 3`` or ``If-Match: "3"`` (an ETag)."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    try:
        return int(text)
    except ValueError as exc:
        raise ValidationFailed.of(
            [FieldError("If-Match", "Must be the document's version number", "bad_header")]
        ) from exc


IfMatchDep = Annotated[int | None, Depends(if_match)]


async def idempotency_key(
    value: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> str | None:
    if value is not None and not (1 <= len(value) <= 128):
        raise ValidationFailed.of(
            [FieldError("Idempotency-Key", "1 to 128 characters", "bad_header")]
        )
    return value


IdempotencyKeyDep = Annotated[str | None, Depends(idempotency_key)]
