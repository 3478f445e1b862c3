"""The areas' page routers, mounted by web.routes.install."""

from __future__ import annotations

from fastapi import APIRouter

PAGE_ROUTERS: list[APIRouter] = []
