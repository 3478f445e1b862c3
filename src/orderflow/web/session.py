"""Web login: a signed session cookie, a CSRF token per session, the caller on each request."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Form, Request
from sqlalchemy import select

from orderflow.auth.models import User
from orderflow.auth.service import principal_of
from orderflow.core.errors import NotAuthenticated, PermissionDenied
from orderflow.i18n import negotiate
from orderflow.runtime import Principal, Runtime


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a redirect to the login page."""


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def start_session(request: Request, principal: Principal) -> None:
    request.session.clear()
    request.session["uid"] = principal.id
    request.session["csrf"] = secrets.token_urlsafe(24)
    request.session["locale"] = principal.locale


def page_principal(request: Request) -> Principal:
    """The logged-in user of a page request (or a redirect to /login)."""
    uid = request.session.get("uid")
    if uid is None:
        raise LoginRequired
    with runtime(request).db.reading() as session:
        user = session.scalar(select(User).where(User.id == uid))
        if user is None or not user.is_active:
            request.session.clear()
            raise LoginRequired
        principal = principal_of(user)
    request.state.principal = principal
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]


def check_csrf(request: Request, csrf_token: Annotated[str | None, Form()] = None) -> None:
    """Every state-changing form carries the session's token (as a field or an HTMX header)."""
    sent = csrf_token or request.headers.get("X-CSRF-Token")
    expected = request.session.get("csrf")
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        raise PermissionDenied("The form expired or did not come from this site; reload the page")


CsrfChecked = Depends(check_csrf)


def set_locale(request: Request) -> str:
    """The page language: ?lang=, else the session's choice, else the browser's."""
    chosen = request.query_params.get("lang")
    if not chosen and "session" in request.scope:
        chosen = request.session.get("locale")
    locale = negotiate(chosen or request.headers.get("accept-language"))
    request.state.locale = locale
    return locale


__all__ = [
    "CsrfChecked",
    "LoginRequired",
    "NotAuthenticated",
    "PagePrincipal",
    "check_csrf",
    "page_principal",
    "set_locale",
    "start_session",
]
