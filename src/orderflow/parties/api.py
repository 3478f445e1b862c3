"""/api/v1/customers."""

from __future__ import annotations

from fastapi import APIRouter, Query, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.parties import service
from orderflow.parties.schemas import CustomerCreate, CustomerRead, CustomerUpdate

router = APIRouter(prefix="/customers", tags=["customers"])


@router.get("", response_model=Page[CustomerRead])
def list_customers(
    rt: RuntimeDep,
    me: PrincipalDep,
    q: str | None = None,
    region: str | None = None,
    active: bool | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[CustomerRead]:
    items, nxt = service.list_customers(
        rt, me, q=q, region=region, active=active, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


@router.post("", response_model=CustomerRead, status_code=status.HTTP_201_CREATED)
def create_customer(body: CustomerCreate, rt: RuntimeDep, me: PrincipalDep) -> CustomerRead:
    return service.create_customer(rt, me, body)


@router.get("/{customer_id}", response_model=CustomerRead)
def get_customer(customer_id: int, rt: RuntimeDep, me: PrincipalDep) -> CustomerRead:
    return service.get_customer(rt, me, customer_id)


@router.patch("/{customer_id}", response_model=CustomerRead)
def update_customer(
    customer_id: int, body: CustomerUpdate, rt: RuntimeDep, me: PrincipalDep
) -> CustomerRead:
    return service.update_customer(rt, me, customer_id, body)
