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
from orderflow.contracts.draft import Draft, prepare
from orderflow.contracts.flow import (
    make_lifecycle,
)
from orderflow.contracts.models import Contract, ContractFiling
from orderflow.contracts.schemas import (
    ClauseText,
    ContractCreate,
    ContractDraft,
    ContractLink,
    ContractRead,
    ContractSummary,
    FilingRead,
)
from orderflow.core.access import require
from orderflow.core.errors import FieldErrors
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.paging import Keyset, first_id
from orderflow.core.workflow import StepContext
from orderflow.files import service as files
from orderflow.files.schemas import file_read
from orderflow.parties.models import Customer
from orderflow.runtime import Principal, Runtime
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


def _link(contract: Contract) -> ContractLink:
    return ContractLink(
        id=contract.id, number=contract.number, state=contract.state, kind=contract.kind
    )


def _parent(session: Session, contract: Contract) -> Contract | None:
    return session.get(Contract, contract.parent_id) if contract.parent_id else None


def _supplements(session: Session, contract: Contract) -> list[Contract]:
    if contract.kind != "main":
        return []
    return list(
        session.scalars(
            select(Contract).where(Contract.parent_id == contract.id).order_by(Contract.id)
        )
    )


def _change_number(session: Session, change_id: int | None) -> str | None:
    if change_id is None:
        return None
    from orderflow.changes.models import ChangeNotice

    return session.scalar(select(ChangeNotice.number).where(ChangeNotice.id == change_id))


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
        change_number=_change_number(session, contract.change_id),
        parent=_link(parent) if (parent := _parent(session, contract)) else None,
        supplements=[_link(s) for s in _supplements(session, contract)],
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


def _terms(draft: Draft, edits: Mapping[str, ClauseText]) -> list[str]:
    """Lay the clauses edited when drawing over the template's; answers their keys."""
    problems = FieldErrors()
    for key, text in edits.items():
        if key not in draft.terms:
            problems.add(f"terms.{key}", f"No clause {key!r} in the template", "unknown_clause")
        else:
            draft.terms[key].update(zh=text.zh, en=text.en)
    problems.raise_if_any()
    return sorted(edits)


def contract_draft(
    rt: Runtime,
    principal: Principal,
    order_id: int,
    *,
    kind: str = "main",
    change_id: int | None = None,
) -> ContractDraft:
    """What drawing the contract now would give: the drawing page's form (D3)."""
    require(principal, "contracts.create")
    from orderflow.sales.service import ORDERS

    with rt.db.reading() as session:
        order = ORDERS.load(session, principal, order_id)
        draft = prepare(
            session, rt, order, kind=kind, change_id=change_id, amount=None, delivery_date=None
        )
        cur = order.currency
        return ContractDraft(
            order_id=order.id,
            order_number=order.number,
            customer_name=draft.customer.name,
            kind=kind,
            change_id=draft.change.id if draft.change else None,
            change_number=draft.change.number if draft.change else None,
            parent_number=draft.parent.number if draft.parent else None,
            amount=Money.of(draft.amount, cur),
            deposit=Money.of(draft.deposit, cur),
            deposit_share=str(rt.policy.contracts.deposit_share),
            delivery_date=draft.delivery_date,
            terms=draft.terms,
        )


def create_contract(rt: Runtime, principal: Principal, data: ContractCreate) -> ContractRead:
    """A contract drawn from the template with the order's terms and the clauses edited
    when drawing (D3), or a supplementary agreement for a structural change (G2)."""
    require(principal, "contracts.create")
    from orderflow.sales.service import ORDERS

    with rt.db.transaction() as session:
        order = ORDERS.load(session, principal, data.order_id)
        draft = prepare(
            session,
            rt,
            order,
            kind=data.kind,
            change_id=data.change_id,
            amount=data.amount,
            delivery_date=data.delivery_date,
        )
        edited = _terms(draft, data.terms)
        contract = Contract(
            company_id=order.company_id,
            number="",
            order_id=order.id,
            order_number=order.number,
            customer_id=order.customer_id,
            kind=data.kind,
            parent_id=draft.parent.id if draft.parent else None,
            change_id=draft.change.id if draft.change else None,
            quote_id=draft.quote_id,
            currency=order.currency,
            amount=draft.amount,
            deposit_amount=draft.deposit,
            delivery_date=draft.delivery_date,
            terms=draft.terms,
        )
        payload: dict[str, Any] = {
            "order": order.number,
            "kind": data.kind,
            "amount": str(draft.amount),
        }
        if edited:
            payload["edited_clauses"] = edited
        if draft.change is not None:
            payload.update(
                change=draft.change.number,
                supplements=draft.parent.number if draft.parent else None,
            )
        CONTRACTS.start(session, rt, contract, actor=actor_of(principal), payload=payload)
        ORDERS.fact(
            session,
            rt,
            order,
            "contract_drawn",
            actor=actor_of(principal),
            payload={"contract": contract.number, "kind": data.kind},
        )
        if draft.change is not None:
            from orderflow.changes.service import CHANGES

            CHANGES.fact(
                session,
                rt,
                draft.change,
                "supplementary_drawn",
                actor=actor_of(principal),
                payload={"contract": contract.number, "amount": str(draft.amount)},
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
