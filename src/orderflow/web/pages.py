"""The areas' page routers, mounted by web.routes.install."""

from __future__ import annotations

from fastapi import APIRouter

from orderflow.costing.web import router as costing_pages
from orderflow.masterdata.web import router as masterdata_pages
from orderflow.notify.web import router as notify_pages
from orderflow.planning.web import router as planning_pages
from orderflow.production.web import router as production_pages
from orderflow.sales.web import router as order_pages
from orderflow.samples.web import router as sample_pages
from orderflow.tasks.web import router as task_pages

PAGE_ROUTERS: list[APIRouter] = [
    task_pages,
    order_pages,
    masterdata_pages,
    notify_pages,
    planning_pages,
    production_pages,
    costing_pages,
    sample_pages,
]
