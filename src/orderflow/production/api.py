"""/api/v1 routes of production: work centres, BOMs and routings (A3); production
instructions (E1, E2), production orders (E13) and outsourcing requests (E9)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from orderflow.api.deps import IdempotencyKeyDep, PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.production import masterdata, read, service
from orderflow.production.schemas import (
    BomIn,
    BomRead,
    InstructionRead,
    InstructionSummary,
    OutsourcingCreate,
    OutsourcingRead,
    ProductionOrderRead,
    ProductionOrderSummary,
    ReleaseIn,
    RoutingIn,
    RoutingRead,
    WorkCentreCreate,
    WorkCentreRead,
    WorkCentreUpdate,
)

centres = APIRouter(prefix="/work-centres", tags=["production"])
structures = APIRouter(prefix="/products", tags=["production"])
instructions = APIRouter(prefix="/production-instructions", tags=["production"])
orders = APIRouter(prefix="/production-orders", tags=["production"])
outsourcing = APIRouter(prefix="/outsourcing-requests", tags=["production"])


@centres.get("", response_model=Page[WorkCentreRead])
def list_work_centres(rt: RuntimeDep, me: PrincipalDep) -> Page[WorkCentreRead]:
    return Page(items=masterdata.list_work_centres(rt, me))


@centres.post("", response_model=WorkCentreRead, status_code=status.HTTP_201_CREATED)
def create_work_centre(body: WorkCentreCreate, rt: RuntimeDep, me: PrincipalDep) -> WorkCentreRead:
    """A line, machine group or team: ``units`` in parallel, in its ``shifts`` on the
    business calendar's working days, closed on ``closed_days``."""
    return masterdata.create_work_centre(rt, me, body)


@centres.patch("/{centre_id}", response_model=WorkCentreRead)
def update_work_centre(
    centre_id: int, body: WorkCentreUpdate, rt: RuntimeDep, me: PrincipalDep
) -> WorkCentreRead:
    return masterdata.update_work_centre(rt, me, centre_id, body)


@structures.get("/{product_id}/bom", response_model=BomRead)
def get_bom(product_id: int, rt: RuntimeDep, me: PrincipalDep) -> BomRead:
    return masterdata.get_bom(rt, me, product_id)


@structures.put("/{product_id}/bom", response_model=BomRead)
def put_bom(product_id: int, body: BomIn, rt: RuntimeDep, me: PrincipalDep) -> BomRead:
    """Replace the bill of material: unit consumption (单件用量) and overage (抛数) per
    component. A structure that would contain itself is refused (422)."""
    return masterdata.put_bom(rt, me, product_id, body)


@structures.get("/{product_id}/routing", response_model=RoutingRead)
def get_routing(product_id: int, rt: RuntimeDep, me: PrincipalDep) -> RoutingRead:
    return masterdata.get_routing(rt, me, product_id)


@structures.put("/{product_id}/routing", response_model=RoutingRead)
def put_routing(product_id: int, body: RoutingIn, rt: RuntimeDep, me: PrincipalDep) -> RoutingRead:
    """Replace the routing: operations in order with their work centre and standard times."""
    return masterdata.put_routing(rt, me, product_id, body)


@instructions.post("", response_model=InstructionRead, status_code=status.HTTP_201_CREATED)
def release_production(
    body: ReleaseIn, rt: RuntimeDep, me: PrincipalDep, response: Response, key: IdempotencyKeyDep
) -> InstructionRead:
    """Release production for a confirmed sales order (E1): the production instruction,
    its production orders (lines and sub-assemblies), the breakdown task (E2), and the fact
    ``production_released`` on the order. With ``Idempotency-Key`` a retry answers the
    first result."""
    pi = service.release(rt, me, body, idempotency_key=key)
    response.headers["Location"] = f"/api/v1/production-instructions/{pi.id}"
    return with_etag(response, pi)


@instructions.get("", response_model=Page[InstructionSummary])
def list_instructions(
    rt: RuntimeDep, me: PrincipalDep, state: str | None = None, late: bool = False
) -> Page[InstructionSummary]:
    return Page(items=read.list_instructions(rt, me, state=state, late=late))


add_document_routes(
    instructions, service.INSTRUCTIONS, read=service.read_instruction, read_model=InstructionRead
)


@orders.get("", response_model=Page[ProductionOrderSummary])
def list_production_orders(
    rt: RuntimeDep, me: PrincipalDep, state: str | None = None, q: str | None = None
) -> Page[ProductionOrderSummary]:
    return Page(items=read.list_orders(rt, me, state=state, q=q))


add_document_routes(orders, service.ORDERS, read=service.read_order, read_model=ProductionOrderRead)


@outsourcing.post("", response_model=OutsourcingRead, status_code=status.HTTP_201_CREATED)
def request_outsourcing(
    body: OutsourcingCreate,
    rt: RuntimeDep,
    me: PrincipalDep,
    response: Response,
    key: IdempotencyKeyDep,
) -> OutsourcingRead:
    """Ask the group GM to approve doing one operation outside (外协, E9)."""
    return with_etag(response, service.request_outsourcing(rt, me, body, idempotency_key=key))


add_document_routes(
    outsourcing, service.OUTSOURCING, read=service.read_outsourcing, read_model=OutsourcingRead
)

ROUTERS = [centres, structures, instructions, orders, outsourcing]
