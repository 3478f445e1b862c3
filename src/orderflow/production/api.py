"""/api/v1 routes of production: work centres, BOMs and routings (A3)."""

from __future__ import annotations

from fastapi import APIRouter, status

from orderflow.api.deps import PrincipalDep, RuntimeDep
from orderflow.api.schemas import Page
from orderflow.production import masterdata
from orderflow.production.schemas import (
    BomIn,
    BomRead,
    RoutingIn,
    RoutingRead,
    WorkCentreCreate,
    WorkCentreRead,
    WorkCentreUpdate,
)

centres = APIRouter(prefix="/work-centres", tags=["production"])
structures = APIRouter(prefix="/products", tags=["production"])


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


ROUTERS = [centres, structures]
