"""/api/v1/sample-requests (E10) and /api/v1/tech-packs (E11)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from orderflow.api.deps import IdempotencyKeyDep, PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.samples import service
from orderflow.samples.schemas import (
    SampleCreate,
    SampleRead,
    SamplesRead,
    TechPackCreate,
    TechPackRead,
)

samples = APIRouter(prefix="/sample-requests", tags=["samples"])
packs = APIRouter(prefix="/tech-packs", tags=["samples"])


@samples.post("", response_model=SampleRead, status_code=status.HTTP_201_CREATED)
def create_sample(
    body: SampleCreate, rt: RuntimeDep, me: PrincipalDep, response: Response, key: IdempotencyKeyDep
) -> SampleRead:
    """Ask the technical department for a sample (打样); it goes round until signed off."""
    return with_etag(response, service.create_sample(rt, me, body, idempotency_key=key))


@samples.get("", response_model=SamplesRead)
def list_samples(rt: RuntimeDep, me: PrincipalDep, state: str | None = None) -> SamplesRead:
    """Sample requests with the first-pass rate of the approved ones."""
    return service.list_samples(rt, me, state=state)


add_document_routes(samples, service.SAMPLES, read=service.read_sample, read_model=SampleRead)


@packs.post("", response_model=TechPackRead, status_code=status.HTTP_201_CREATED)
def create_pack(
    body: TechPackCreate,
    rt: RuntimeDep,
    me: PrincipalDep,
    response: Response,
    key: IdempotencyKeyDep,
) -> TechPackRead:
    """The order's tech pack (工艺单), to be checked against the approved sample."""
    return with_etag(response, service.create_pack(rt, me, body, idempotency_key=key))


@packs.get("", response_model=Page[TechPackRead])
def list_packs(rt: RuntimeDep, me: PrincipalDep, sales_order_id: int) -> Page[TechPackRead]:
    return Page(items=service.packs_of_order(rt, me, sales_order_id))


add_document_routes(packs, service.PACKS, read=service.read_pack, read_model=TechPackRead)
