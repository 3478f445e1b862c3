"""The ASGI application: the JSON API under /api/v1 and the web pages under /."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

import orderflow.models  # noqa: F401  (every document type, port and overdue action)
from orderflow.api import problems
from orderflow.auth.api import router as auth_router
from orderflow.auth.users_api import router as users_router
from orderflow.catalog.api import router as products_router
from orderflow.changes.api import design_errors_router, versions_router
from orderflow.changes.api import router as changes_router
from orderflow.contracts.api import router as contracts_router
from orderflow.costing.api import router as costing_router
from orderflow.exception_slips.api import router as exceptions_router
from orderflow.files.api import router as files_router
from orderflow.inventory.api import router as stock_router
from orderflow.migrate import upgrade
from orderflow.parties.api import router as customers_router
from orderflow.planning.api import router as planning_router
from orderflow.procurement.api import order_router as purchase_orders_router
from orderflow.procurement.api import requisition_router, supplier_router
from orderflow.production.api import ROUTERS as production_routers
from orderflow.quality.api import router as inspections_router
from orderflow.quotes.api import router as quotes_router
from orderflow.review.api import router as reviews_router
from orderflow.runtime import Runtime
from orderflow.sales.api import router as orders_router
from orderflow.samples.api import packs as packs_router
from orderflow.samples.api import samples as samples_router
from orderflow.stockup.api import router as stock_up_router
from orderflow.system.api import router as system_router
from orderflow.tasks.api import router as tasks_router
from orderflow.warehouse.api import count_router, customer_supplied_router, transfer_router
from orderflow.worker import run_worker

log = logging.getLogger(__name__)

API_ROUTERS: list[APIRouter] = [
    auth_router,
    versions_router,
    orders_router,
    reviews_router,
    quotes_router,
    contracts_router,
    stock_up_router,
    changes_router,
    design_errors_router,
    files_router,
    tasks_router,
    customers_router,
    products_router,
    stock_router,
    users_router,
    system_router,
    supplier_router,
    requisition_router,
    purchase_orders_router,
    inspections_router,
    exceptions_router,
    transfer_router,
    customer_supplied_router,
    count_router,
    *production_routers,
    planning_router,
    costing_router,
    samples_router,
    packs_router,
]


def create_app(
    rt: Runtime | None = None, *, migrate: bool = True, worker: bool | None = None
) -> FastAPI:
    """Build the app. ``migrate`` applies pending migrations first; ``worker`` runs the
    sweeper and mail dispatcher in a thread (single-process mode)."""
    runtime = rt or Runtime.from_settings()
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            upgrade(runtime.db.url)
        thread = None
        if worker if worker is not None else runtime.settings.embedded_worker:
            thread = threading.Thread(
                target=run_worker, args=(runtime, stop), name="orderflow-worker", daemon=True
            )
            thread.start()
        yield
        stop.set()
        if thread is not None:
            thread.join(timeout=5)

    app = FastAPI(
        title="OrderFlow",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        description="Order-to-cash and make-to-order management. Conventions: shared/API.md.",
    )
    app.state.runtime = runtime
    problems.install(app)
    api = APIRouter(prefix="/api/v1")
    for router in API_ROUTERS:
        api.include_router(router)
    app.include_router(api)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        with runtime.db.reading() as session:
            session.connection().exec_driver_sql("SELECT 1")
        return {"status": "ok", "database": runtime.db.dialect}

    from orderflow.web.routes import install as install_web

    install_web(app)
    return app
