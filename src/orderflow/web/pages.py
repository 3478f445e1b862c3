"""The areas' page routers, mounted by web.routes.install."""

from __future__ import annotations

from fastapi import APIRouter

from orderflow.changes.web import router as change_pages
from orderflow.contracts.web import router as contract_pages
from orderflow.costing.web import router as costing_pages
from orderflow.exception_slips.web import router as exception_pages
from orderflow.masterdata.web import router as masterdata_pages
from orderflow.notify.web import router as notify_pages
from orderflow.planning.web import router as planning_pages
from orderflow.procurement.web import router as purchasing_pages
from orderflow.production.web import router as production_pages
from orderflow.quality.web import router as quality_pages
from orderflow.quotes.web import router as quote_pages
from orderflow.review.web import router as review_pages
from orderflow.sales.web import router as order_pages
from orderflow.samples.web import router as sample_pages
from orderflow.stockup.web import router as stock_up_pages
from orderflow.tasks.web import router as task_pages
from orderflow.warehouse.web import router as warehouse_pages

PAGE_ROUTERS: list[APIRouter] = [
    task_pages,
    change_pages,  # before the orders' pages: /changes/new and /orders/{id}/versions
    order_pages,
    review_pages,
    quote_pages,
    contract_pages,
    stock_up_pages,
    masterdata_pages,
    notify_pages,
    purchasing_pages,
    warehouse_pages,
    quality_pages,
    exception_pages,
    planning_pages,
    production_pages,
    costing_pages,
    sample_pages,
]
