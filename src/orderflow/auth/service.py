"""Passwords (Argon2id), bearer tokens and the principal behind a request."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.auth.models import User
from orderflow.core.errors import NotAuthenticated
from orderflow.runtime import Principal, Runtime

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the timing the same, so the
# login form does not tell which usernames exist.
_DUMMY_HASH = _hasher.hash("not-a-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def principal_of(user: User) -> Principal:
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


def _signer(rt: Runtime, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(rt.settings.secret_key, salt=f"orderflow.{purpose}")


def issue_token(rt: Runtime, principal: Principal, purpose: str = "api") -> str:
    return _signer(rt, purpose).dumps({"uid": principal.id})


def principal_from_token(rt: Runtime, token: str, purpose: str = "api") -> Principal:
    """The active user a token was issued to; an expired, forged or revoked one is refused."""
    try:
        data = _signer(rt, purpose).loads(token, max_age=rt.settings.token_ttl_hours * 3600)
    except SignatureExpired as exc:
        raise NotAuthenticated("The token has expired; log in again") from exc
    except BadSignature as exc:
        raise NotAuthenticated("Invalid token") from exc
    with rt.db.reading() as session:
        user = session.get(User, data.get("uid"))
        if user is None or not user.is_active:
            raise NotAuthenticated("Invalid token")
        return principal_of(user)


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
