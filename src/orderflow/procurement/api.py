"""/api/v1/suppliers, /api/v1/requisitions and /api/v1/purchase-orders: thin routes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Query, Response, status

from orderflow.api.deps import IdempotencyKeyDep, PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.procurement import service, suppliers
from orderflow.procurement.schemas import (
    OrderCreate,
    PerformanceRead,
    PurchaseOrderRead,
    PurchaseOrderSummary,
    RequisitionCreate,
    RequisitionRead,
    RequisitionSummary,
    SupplierCreate,
    SupplierRead,
    SupplierUpdate,
)

supplier_router = APIRouter(prefix="/suppliers", tags=["suppliers"])
requisition_router = APIRouter(prefix="/requisitions", tags=["requisitions"])
order_router = APIRouter(prefix="/purchase-orders", tags=["purchase orders"])


@supplier_router.get("", response_model=Page[SupplierRead])
def list_suppliers(
    rt: RuntimeDep, me: PrincipalDep, q: str | None = None, active: bool | None = None
) -> Page[SupplierRead]:
    return Page(items=suppliers.list_suppliers(rt, me, q_text=q, active=active), next=None)


@supplier_router.post("", response_model=SupplierRead, status_code=status.HTTP_201_CREATED)
def create_supplier(body: SupplierCreate, rt: RuntimeDep, me: PrincipalDep) -> SupplierRead:
    """A supplier with its lead-time table (采购周期表) per material."""
    return suppliers.create_supplier(rt, me, body)


@supplier_router.get("/performance", response_model=PerformanceRead)
def supplier_performance(
    rt: RuntimeDep,
    me: PrincipalDep,
    since: date | None = Query(None, description="First due date counted (default: 90 days ago)"),
    until: date | None = Query(None, description="Last due date counted (default: today)"),
    by: Literal["supplier", "product"] = "supplier",
) -> PerformanceRead:
    """On-time rate per supplier or per material (H7, N2)."""
    return suppliers.performance(rt, me, since=since, until=until, by=by)


@supplier_router.get("/{supplier_id}", response_model=SupplierRead)
def get_supplier(supplier_id: int, rt: RuntimeDep, me: PrincipalDep) -> SupplierRead:
    return suppliers.get_supplier(rt, me, supplier_id)


@supplier_router.patch("/{supplier_id}", response_model=SupplierRead)
def update_supplier(
    supplier_id: int, body: SupplierUpdate, rt: RuntimeDep, me: PrincipalDep
) -> SupplierRead:
    return suppliers.update_supplier(rt, me, supplier_id, body)


@requisition_router.post("", status_code=status.HTTP_201_CREATED, response_model=RequisitionRead)
def create_requisition(
    body: RequisitionCreate,
    rt: RuntimeDep,
    me: PrincipalDep,
    response: Response,
    key: IdempotencyKeyDep,
) -> RequisitionRead:
    """Raise a requisition by hand; planning raises theirs through the port."""
    req = service.create_requisition(rt, me, body, idempotency_key=key)
    response.headers["Location"] = f"/api/v1/requisitions/{req.id}"
    return with_etag(response, req)


@requisition_router.get("", response_model=Page[RequisitionSummary])
def list_requisitions(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    sales_order_id: int | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[RequisitionSummary]:
    items, nxt = service.list_requisitions(
        rt, me, state=state, sales_order_id=sales_order_id, limit=limit, cursor=cursor
    )
    return Page(items=items, next=nxt)


add_document_routes(
    requisition_router,
    service.REQUISITIONS,
    read=service.read_requisition,
    read_model=RequisitionRead,
)


@order_router.post("", status_code=status.HTTP_201_CREATED, response_model=PurchaseOrderRead)
def create_order(
    body: OrderCreate, rt: RuntimeDep, me: PrincipalDep, response: Response, key: IdempotencyKeyDep
) -> PurchaseOrderRead:
    """A purchase order for one supplier and one sales order: from requisitions
    (``from_requisitions`` or lines naming a requisition line) or by hand."""
    po = service.create_order(rt, me, body, idempotency_key=key)
    response.headers["Location"] = f"/api/v1/purchase-orders/{po.id}"
    return with_etag(response, po)


@order_router.get("", response_model=Page[PurchaseOrderSummary])
def list_orders(
    rt: RuntimeDep,
    me: PrincipalDep,
    state: str | None = None,
    supplier_id: int | None = None,
    sales_order_id: int | None = None,
    late: bool | None = None,
    q: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[PurchaseOrderSummary]:
    items, nxt = service.list_orders(
        rt,
        me,
        state=state,
        supplier_id=supplier_id,
        sales_order_id=sales_order_id,
        late=late,
        q=q,
        limit=limit,
        cursor=cursor,
    )
    return Page(items=items, next=nxt)


add_document_routes(
    order_router, service.ORDERS, read=service.read_order, read_model=PurchaseOrderRead
)
