"""/api/v1/products."""

from __future__ import annotations

from fastapi import APIRouter, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.catalog import service
from orderflow.catalog.models import ProductKind
from orderflow.catalog.schemas import ProductCreate, ProductRead, ProductUpdate

router = APIRouter(prefix="/products", tags=["products"])


@router.get("", response_model=Page[ProductRead])
def list_products(
    rt: RuntimeDep,
    me: PrincipalDep,
    q: str | None = None,
    kind: ProductKind | None = None,
    active: bool | None = None,
) -> Page[ProductRead]:
    return Page(items=service.list_products(rt, me, q=q, kind=kind, active=active), next=None)


@router.post("", response_model=ProductRead, status_code=status.HTTP_201_CREATED)
def create_product(body: ProductCreate, rt: RuntimeDep, me: PrincipalDep) -> ProductRead:
    return service.create_product(rt, me, body)


@router.get("/{product_id}", response_model=ProductRead)
def get_product(product_id: int, rt: RuntimeDep, me: PrincipalDep) -> ProductRead:
    return service.get_product(rt, me, product_id)


@router.patch("/{product_id}", response_model=ProductRead)
def update_product(
    product_id: int, body: ProductUpdate, rt: RuntimeDep, me: PrincipalDep
) -> ProductRead:
    return service.update_product(rt, me, product_id, body)
