"""Passwords (Argon2id), bearer tokens and the principal behind a request."""

from __future__ import annotations

import time
from datetime import datetime
from functools import lru_cache
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.core.errors import NotAuthenticated
from orderflow.db import table_of
from orderflow.runtime import Principal, Runtime

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing the same, so the
# login form does not tell which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class _UserFacts(Protocol):
    """What a principal is made of: a User, or a row of its columns."""

    id: int
    username: str
    display_name: str
    company_id: int
    roles: list[str]
    locale: str


def principal_of(user: _UserFacts) -> Principal:
    return Principal(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        company_id=user.company_id,
        roles=frozenset(user.roles),
        locale=user.locale,
    )


def authenticate(session: Session, username: str, password: str) -> Principal:
    user = session.scalar(select(User).where(User.username == username.strip()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError) as exc:
        raise NotAuthenticated("Wrong username or password") from exc
    if user is None or not user.is_active:
        raise NotAuthenticated("Wrong username or password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return principal_of(user)


@lru_cache(maxsize=16)
def _signer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"orderflow.{purpose}")


@lru_cache(maxsize=4096)
def _signed_by_us(secret: str, purpose: str, token: str) -> tuple[object, float]:
    """The user id a token carries and when it was issued (epoch seconds), or BadSignature.

    Cached: whether a token's signature is ours never changes, and checking it (deriving
    the key, an HMAC) was a tenth of the server's work per API request. A refusal is not
    cached (lru_cache does not keep exceptions); age and the user are checked every time.
    """
    data, issued = _signer(secret, purpose).loads(token, return_timestamp=True)
    return (data.get("uid") if isinstance(data, dict) else None), issued.timestamp()


def issue_token(rt: Runtime, principal: Principal, purpose: str = "api") -> str:
    return _signer(rt.settings.secret_key, purpose).dumps({"uid": principal.id})


_users = table_of(User)
# Built once, read as plain columns: this runs on every API request.
_PRINCIPAL = select(
    _users.c.id,
    _users.c.username,
    _users.c.display_name,
    _users.c.company_id,
    _users.c.roles,
    _users.c.locale,
).where(_users.c.id == bindparam("uid"), _users.c.is_active.is_(True))


def principal_from_token(rt: Runtime, token: str, purpose: str = "api") -> Principal:
    """The active user a token was issued to; an expired, forged or revoked one is refused."""
    try:
        uid, issued = _signed_by_us(rt.settings.secret_key, purpose, token)
    except BadSignature as exc:
        raise NotAuthenticated("Invalid token") from exc
    if time.time() - issued > rt.settings.token_ttl_hours * 3600:
        raise NotAuthenticated("The token has expired; log in again")
    if not isinstance(uid, int):
        raise NotAuthenticated("Invalid token")
    # Looked up on every request (not cached), so a deactivated user is refused at once.
    with rt.db.reading() as session:
        row = session.connection().execute(_PRINCIPAL, {"uid": uid}).first()
    if row is None:
        raise NotAuthenticated("Invalid token")
    return principal_of(row)


def new_user(
    *,
    company_id: int,
    username: str,
    display_name: str,
    password: str,
    roles: list[str],
    now: datetime,
    department_id: int | None = None,
    email: str | None = None,
    locale: str = "zh-CN",
) -> User:
    return User(
        company_id=company_id,
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        roles=roles,
        department_id=department_id,
        email=email,
        locale=locale,
        is_active=True,
        created_at=now,
    )
