"""Master data pages: customers, products with price lists, warehouses and stock, users and
departments. One module per kind under ``pages/``; every form goes through ``forms.py``."""

from __future__ import annotations

from fastapi import APIRouter

from orderflow.masterdata.pages import customers, products, users, warehouses

router = APIRouter(include_in_schema=False)
for part in (customers, products, warehouses, users):
    router.include_router(part.router)
