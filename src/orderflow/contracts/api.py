"""/api/v1/contracts (D3, D4)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Response, UploadFile, status
from starlette.concurrency import run_in_threadpool

from orderflow.api.deps import IfMatchDep, PrincipalDep, RuntimeDep
from orderflow.api.documents import add_document_routes, with_etag
from orderflow.api.schemas import Page
from orderflow.contracts import service
from orderflow.contracts.schemas import (
    ContractCreate,
    ContractRead,
    ContractSummary,
)
from orderflow.files.api import file_response
from orderflow.files.service import FileContent

router = APIRouter(prefix="/contracts", tags=["contracts"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ContractRead)
def create_contract(
    body: ContractCreate, rt: RuntimeDep, me: PrincipalDep, response: Response
) -> ContractRead:
    """A contract from the template for an order whose review passed (or a supplementary
    contract for a structural change)."""
    contract = service.create_contract(rt, me, body)
    response.headers["Location"] = f"/api/v1/contracts/{contract.id}"
    return with_etag(response, contract)


@router.get("", response_model=Page[ContractSummary])
def list_contracts(
    rt: RuntimeDep,
    me: PrincipalDep,
    order_id: int | None = None,
    state: str | None = None,
    filed_to_me: bool = False,
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
) -> Page[ContractSummary]:
    """Newest first; ``filed_to_me=true``: filed with your departments (备案). ``next`` is
    the cursor of the following page."""
    items, nxt = service.list_contracts(
        rt,
        me,
        order_id=order_id,
        state=state,
        filed_to_me=filed_to_me,
        limit=limit,
        cursor=cursor,
    )
    return Page(items=items, next=nxt)


@router.get("/{doc_id}/pdf", response_class=Response)
def contract_pdf(doc_id: int, rt: RuntimeDep, me: PrincipalDep) -> Response:
    name, data = service.contract_pdf(rt, me, doc_id)
    return file_response(FileContent(name, "application/pdf", data))


@router.post("/{doc_id}/signature", response_model=ContractRead)
async def upload_signature(
    doc_id: int,
    file: UploadFile,
    signatory: Annotated[str, Form(min_length=1, max_length=120)],
    rt: RuntimeDep,
    me: PrincipalDep,
    response: Response,
    version: IfMatchDep,
    signed_on: Annotated[date | None, Form()] = None,
) -> ContractRead:
    """The customer's signed contract (scan: PDF or image), recorded as signed (D3)."""
    data = await file.read()
    contract = await run_in_threadpool(
        service.upload_signature,
        rt,
        me,
        doc_id,
        filename=file.filename or "signature",
        data=data,
        signatory=signatory,
        signed_on=signed_on,
        expected_version=version,
    )
    return with_etag(response, contract)


add_document_routes(router, service.CONTRACTS, read=service.read_contract, read_model=ContractRead)
