"""Jinja2 for the pages: one environment, with the locale's messages and formats.

Templates live beside each area (``sales/templates/``) and here (``web/templates/``) for the
layout; every template gets ``t()``, ``money()``, ``when()``, ``day()``, the caller and the
CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

from orderflow import i18n

AREAS_WITH_TEMPLATES = ["web", "sales", "tasks", "masterdata", "notify"]


def _loaders() -> list[PackageLoader]:
    loaders = []
    for area in AREAS_WITH_TEMPLATES:
        try:
            loaders.append(PackageLoader(f"orderflow.{area}", "templates"))
        except (ValueError, ModuleNotFoundError):  # the area has no templates (yet)
            continue
    return loaders


env = Environment(
    loader=ChoiceLoader(_loaders()),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    locale: str = getattr(request.state, "locale", "zh-CN")
    zone = request.app.state.runtime.policy.calendar.timezone
    page = env.get_template(template).render(
        request=request,
        me=getattr(request.state, "principal", None),
        csrf_token=request.session.get("csrf", "") if "session" in request.scope else "",
        locale=locale,
        t=lambda key, **kw: i18n.t(key, locale, **kw),
        money=lambda amount, currency="CNY": i18n.money(amount, currency, locale),
        when=lambda moment: i18n.when(moment, zone, locale),
        day=lambda value: i18n.day(value, locale),
        **context,
    )
    return HTMLResponse(page, status_code=status_code)
