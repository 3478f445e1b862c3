"""Contract use cases (D3, D4)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.api.schemas import Money
from orderflow.auth.roles import DEPARTMENT_ROLES
from orderflow.contracts import effects
from orderflow.contracts.flow import (
    WITHDRAWN,
    deposit_for,
    make_lifecycle,
)
from orderflow.contracts.models import Contract, ContractFiling
from orderflow.contracts.schemas import (
    ContractCreate,
    ContractRead,
    ContractSummary,
    FilingRead,
)
from orderflow.contracts.template import fill
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldErrors
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.paging import Keyset, first_id
from orderflow.core.workflow import StepContext
from orderflow.files import service as files
from orderflow.files.schemas import file_read
from orderflow.parties.models import Customer
from orderflow.review import classify as c
from orderflow.runtime import Principal, Runtime
from orderflow.sales.flow import CANCELLED, COMPLETED
from orderflow.sales.models import SalesOrder

LIFECYCLE = make_lifecycle()
CONTRACTS: DocumentKind[Contract] = DocumentKind(
    model=Contract,
    lifecycle=LIFECYCLE,
    read_permission="contracts.read",
    effects={
        "send": effects.send,
        "record_signature": effects.record_signature,
        "file": effects.file_,
        "verify_deposit": effects.verify_deposit,
    },
)


def read_contract(session: Session, contract: Contract, principal: Principal) -> ContractRead:
    session.flush()
    customer = session.get(Customer, contract.customer_id)
    order = session.get(SalesOrder, contract.order_id)
    cur = contract.currency
    return ContractRead(
        id=contract.id,
        number=contract.number,
        state=contract.state,
        version=contract.version,
        kind=contract.kind,
        order_id=contract.order_id,
        order_number=contract.order_number,
        customer_id=contract.customer_id,
        customer_name=customer.name if customer else "",
        change_id=contract.change_id,
        quote_id=contract.quote_id,
        amount=Money.of(contract.amount, cur),
        deposit=Money.of(contract.deposit_amount, cur),
        delivery_date=contract.delivery_date,
        terms=contract.terms,
        sent_at=contract.sent_at,
        customer_signatory=contract.customer_signatory,
        signed_on=contract.signed_on,
        signature_file_id=contract.signature_file_id,
        filed_at=contract.filed_at,
        filings=[
            FilingRead(department=f.department, filed_at=f.filed_at, filed_by=f.filed_by)
            for f in contract.filings
        ],
        deposit_received=Money.of(contract.deposit_received, cur)
        if contract.deposit_received is not None
        else None,
        deposit_reference=contract.deposit_reference,
        deposit_verified_at=contract.deposit_verified_at,
        deposit_verified_by=contract.deposit_verified_by,
        order_effective_at=order.effective_at if order else None,
        files=[file_read(f) for f in files.attachments_of(session, contract)],
        pdf_url=f"/api/v1/contracts/{contract.id}/pdf",
        created_at=contract.created_at,
        updated_at=contract.updated_at,
        allowed_transitions=LIFECYCLE.allowed(contract, principal.roles),
    )


def create_contract(rt: Runtime, principal: Principal, data: ContractCreate) -> ContractRead:
    """A contract drawn from the template with the order's terms (D3)."""
    require(principal, "contracts.create")
    from orderflow.quotes.models import Quote
    from orderflow.sales.service import ORDERS

    with rt.db.transaction() as session:
        order = ORDERS.load(session, principal, data.order_id)
        if order.state in (CANCELLED, COMPLETED):
            raise Conflict(f"{order.number} is {order.state}")
        if data.kind == "main":
            if order.review_state in (c.REQUIRED, c.IN_REVIEW, c.DECLINED):
                raise Conflict(f"{order.number} must pass its review before a contract is drawn")
            live = session.scalar(
                select(Contract.number).where(
                    Contract.order_id == order.id,
                    Contract.kind == "main",
                    Contract.state != WITHDRAWN,
                )
            )
            if live is not None:
                raise Conflict(f"{order.number} already has contract {live}")
        else:
            from orderflow.changes.models import ChangeNotice

            change = session.get(ChangeNotice, data.change_id)
            if change is None or change.order_id != order.id:
                problems = FieldErrors()
                problems.add("change_id", "No such change notice on this order", "unknown_change")
                problems.raise_if_any()
        customer = session.get(Customer, order.customer_id)
        assert customer is not None
        quote_id = session.scalar(
            select(Quote.id)
            .where(Quote.order_id == order.id, Quote.state == "accepted")
            .order_by(Quote.id.desc())
            .limit(1)
        )
        amount = order.total_amount if data.kind == "main" else data.amount
        assert amount is not None
        deposit = deposit_for(amount, rt.policy.contracts.deposit_share)
        delivery: date = data.delivery_date or order.promised_date or order.requested_date
        terms = fill(
            {
                "order": order.number,
                "amount": amount,
                "currency": order.currency,
                "delivery_date": delivery.isoformat(),
                "address": order.delivery_address,
                "technical": order.technical_requirements
                or "按双方确认的技术协议 / per the agreed technical agreement",
                "quality": order.quality_requirements
                or customer.quality_standard
                or "国家及行业标准 / national and industry standards",
                "packing": customer.shipping_standard or "标准出口/内销包装 / standard packing",
                "deposit": deposit,
                "terms": order.payment_terms_days,
            }
        )
        problems = FieldErrors()
        for key, text in data.terms.items():
            if key not in terms:
                problems.add(f"terms.{key}", f"No clause {key!r} in the template", "unknown_clause")
            else:
                terms[key].update(zh=text.zh, en=text.en)
        problems.raise_if_any()
        contract = Contract(
            company_id=order.company_id,
            number="",
            order_id=order.id,
            order_number=order.number,
            customer_id=order.customer_id,
            kind=data.kind,
            change_id=data.change_id,
            quote_id=quote_id,
            currency=order.currency,
            amount=amount,
            deposit_amount=deposit,
            delivery_date=delivery,
            terms=terms,
        )
        CONTRACTS.start(
            session,
            rt,
            contract,
            actor=actor_of(principal),
            payload={"order": order.number, "kind": data.kind, "amount": str(amount)},
        )
        ORDERS.fact(
            session,
            rt,
            order,
            "contract_drawn",
            actor=actor_of(principal),
            payload={"contract": contract.number, "kind": data.kind},
        )
        return read_contract(session, contract, principal)


def upload_signature(
    rt: Runtime,
    principal: Principal,
    contract_id: int,
    *,
    filename: str,
    data: bytes,
    signatory: str,
    signed_on: date | None,
    expected_version: int | None,
) -> ContractRead:
    """The customer's signed contract, scanned: stored and recorded in one step (D3)."""
    with rt.db.transaction() as session:
        contract = CONTRACTS.load(session, principal, contract_id)
        from orderflow.core.workflow import check_transition

        check_transition(LIFECYCLE, contract, "record_signature", principal.roles, expected_version)
        row = files.store(
            session,
            rt.settings,
            contract,
            purpose="customer_signature",
            filename=filename,
            data=data,
            actor=actor_of(principal),
            at=rt.now(),
        )
        fields: dict[str, Any] = {"file_id": row.id, "signatory": signatory}
        if signed_on is not None:
            fields["signed_on"] = signed_on.isoformat()
        CONTRACTS.step(
            session,
            rt,
            contract,
            "record_signature",
            principal=principal,
            fields=fields,
            expected_version=expected_version,
        )
        return read_contract(session, contract, principal)


def get_contract(rt: Runtime, principal: Principal, contract_id: int) -> ContractRead:
    return get_document(rt, principal, CONTRACTS, contract_id, read_contract)


def apply_step(
    rt: Runtime,
    principal: Principal,
    contract_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> ContractRead:
    return run_step(
        rt,
        principal,
        CONTRACTS,
        contract_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_contract,
    )


def contract_pdf(rt: Runtime, principal: Principal, contract_id: int) -> tuple[str, bytes]:
    with rt.db.reading() as session:
        contract = CONTRACTS.load(session, principal, contract_id)
        ctx = StepContext(
            session,
            contract,
            actor_of(principal),
            frozenset(),
            None,
            rt.now(),
            rt.policy,
            runtime=rt,
        )
        return f"{contract.number}.pdf", effects.render_pdf(ctx, contract)


def my_departments(principal: Principal) -> list[str]:
    return [d for d, roles in DEPARTMENT_ROLES.items() if principal.roles & roles]


def list_contracts(
    rt: Runtime,
    principal: Principal,
    *,
    order_id: int | None = None,
    state: str | None = None,
    filed_to_me: bool = False,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[ContractSummary], str | None]:
    """Newest first, a page at a time (``core.paging``); ``filed_to_me``: the contracts
    filed with the caller's departments (备案, D3)."""
    require(principal, "contracts.read")
    page = Keyset.of(limit, cursor)
    query = (
        select(Contract, Customer.name)
        .join(Customer, Customer.id == Contract.customer_id)
        .where(CONTRACTS.visible(principal))
    )
    if order_id is not None:
        query = query.where(Contract.order_id == order_id)
    if state:
        query = query.where(Contract.state == state)
    if filed_to_me:
        query = query.where(
            Contract.id.in_(
                select(ContractFiling.contract_id).where(
                    ContractFiling.department.in_(my_departments(principal))
                )
            )
        )
    with rt.db.reading() as session:
        rows, nxt = page.cut(session.execute(page.apply(query, Contract.id)).all(), first_id)
        return [
            ContractSummary(
                id=ct.id,
                number=ct.number,
                state=ct.state,
                kind=ct.kind,
                order_number=ct.order_number,
                customer_name=name,
                amount=Money.of(ct.amount, ct.currency),
                filed_to=[f.department for f in ct.filings],
                created_at=ct.created_at,
            )
            for ct, name in rows
        ], nxt
