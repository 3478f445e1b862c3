"""Jinja2 for the pages: one environment, with the locale's messages and formats.

Templates live beside each area (``sales/templates/``) and here (``web/templates/``) for the
layout; every template gets ``t()``, ``money()``, ``when()``, ``day()``, ``may()``, the caller
and the CSRF token.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from orderflow import i18n
from orderflow.auth.roles import PERMISSIONS


def _loaders() -> list[PackageLoader]:
    """The layout's templates first, then every area package that has a ``templates/``
    folder. One namespace: name an area's templates after the area (``review_*.html``)."""
    root = resources.files("orderflow")
    areas = sorted(
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and entry.name != "web" and entry.joinpath("templates").is_dir()
    )
    return [PackageLoader(f"orderflow.{area}", "templates") for area in ["web", *areas]]


env = Environment(
    loader=ChoiceLoader(_loaders()),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _document_url(document_type: str | None, document_id: int | None) -> str | None:
    from orderflow.web.documents import document_url

    return document_url(document_type, document_id)


env.globals["document_url"] = _document_url


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    locale: str = getattr(request.state, "locale", "zh-CN")
    zone = request.app.state.runtime.policy.calendar.timezone
    me = getattr(request.state, "principal", None)
    page = env.get_template(template).render(
        request=request,
        me=me,
        # ``may('users.read')``: whether the caller holds a permission (links, buttons).
        may=lambda permission: me is not None and me.can(PERMISSIONS[permission]),
        csrf_token=request.session.get("csrf", "") if "session" in request.scope else "",
        locale=locale,
        t=lambda key, **kw: i18n.t(key, locale, **kw),
        money=lambda amount, currency="CNY": i18n.money(amount, currency, locale),
        when=lambda moment: i18n.when(moment, zone, locale),
        day=lambda value: i18n.day(value, locale),
        **context,
    )
    return HTMLResponse(page, status_code=status_code)
