"""What each contract step does (D3, D4): PDF to the customer, signature scan, filing to
departments, and the deposit that makes the order effective."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy.orm import Session

from orderflow.contracts.flow import DepositFields, SignatureFields
from orderflow.contracts.models import Contract, ContractFiling
from orderflow.contracts.pdf import contract_pdf
from orderflow.core.errors import Conflict, FieldError, ValidationFailed
from orderflow.core.events import Actor
from orderflow.core.workflow import StepContext
from orderflow.files import service as files
from orderflow.files.models import Attachment
from orderflow.notify.service import queue_email
from orderflow.org.models import Company
from orderflow.parties.models import Customer
from orderflow.policy.loader import Policy
from orderflow.sales.models import SalesOrder


def _contract(ctx: StepContext) -> Contract:
    return cast(Contract, ctx.doc)


def _order(session: Session, contract: Contract) -> SalesOrder:
    order = session.get(SalesOrder, contract.order_id)
    assert order is not None
    return order


def make_effective(
    session: Session,
    order: SalesOrder,
    *,
    by: str,
    reference: str,
    actor: Actor,
    now: datetime,
    policy: Policy,
) -> None:
    """The order is effective (D4, B9): recorded on the order, and the fact
    ``order_effective`` opens the production instruction task (E1, 4 h)."""
    if order.effective_at is not None:
        return  # a stock-up notice made it effective already; the contract confirms it
    from orderflow.sales.service import ORDERS

    order.effective_at, order.effective_by = now, by
    ORDERS.fact_in(
        session,
        order,
        "order_effective",
        actor=actor,
        now=now,
        policy=policy,
        payload={"by": by, "reference": reference},
    )


def render_pdf(ctx: StepContext, contract: Contract) -> bytes:
    session = ctx.session
    company = session.get(Company, contract.company_id)
    customer = session.get(Customer, contract.customer_id)
    order = _order(session, contract)
    lines = [
        (
            str(ln.line_no),
            f"{ln.product.code} {ln.product.name} {ln.product.model_spec}",
            f"{ln.quantity.normalize():f} {ln.product.unit}",
            f"{ln.unit_price}",
            f"{ln.amount}",
        )
        for ln in order.lines
    ]
    settings = ctx.runtime.settings if ctx.runtime is not None else None
    return contract_pdf(
        contract,
        company=company.name if company else "",
        customer=f"{customer.code} {customer.name}" if customer else "",
        lines=lines,
        font=settings.pdf_font if settings else None,
    )


def send(ctx: StepContext) -> None:
    contract = _contract(ctx)
    if ctx.runtime is None:
        raise RuntimeError("sending a contract needs the runtime (files folder)")
    pdf = files.store(
        ctx.session,
        ctx.runtime.settings,
        contract,
        purpose="contract_pdf",
        filename=f"{contract.number}.pdf",
        data=render_pdf(ctx, contract),
        actor=ctx.actor,
        at=ctx.now,
    )
    contract.sent_at = ctx.now
    order = _order(ctx.session, contract)
    if order.contact_email:
        customer = ctx.session.get(Customer, contract.customer_id)
        queue_email(
            ctx.session,
            doc=contract,
            kind="contract_sent",
            to=order.contact_email,
            locale=customer.locale if customer else "zh-CN",
            at=ctx.now,
            attachment_ids=[pdf.id],
            order=order.number,
            deposit=f"{contract.deposit_amount} {contract.currency}",
        )
    ctx.payload.update(pdf=pdf.id)


def record_signature(ctx: StepContext) -> None:
    contract, fields = _contract(ctx), cast(SignatureFields, ctx.fields)
    scan = ctx.session.get(Attachment, fields.file_id)
    if (
        scan is None
        or scan.document_type != contract.document_type
        or scan.document_id != contract.id
        or scan.purpose != "customer_signature"
    ):
        raise ValidationFailed.of(
            [
                FieldError(
                    "file_id",
                    "Upload the signed contract's scan to this contract first",
                    "unknown_file",
                )
            ]
        )
    contract.signature_file_id = scan.id
    contract.customer_signatory = fields.signatory
    contract.signed_on = fields.signed_on or ctx.now.astimezone(ctx.policy.zone).date()
    ctx.payload.update(
        file=scan.id, signatory=fields.signatory, signed_on=contract.signed_on.isoformat()
    )


def file_(ctx: StepContext) -> None:
    """备案: each department in the policy gets the contract in its list."""
    contract = _contract(ctx)
    departments = ctx.policy.contracts.file_to
    for department in departments:
        contract.filings.append(
            ContractFiling(department=department, filed_at=ctx.now, filed_by=ctx.actor.name)
        )
    contract.filed_at = ctx.now
    ctx.payload.update(filed_to=list(departments))


def verify_deposit(ctx: StepContext) -> None:
    contract, fields = _contract(ctx), cast(DepositFields, ctx.fields)
    if fields.amount < contract.deposit_amount:
        raise ValidationFailed.of(
            [
                FieldError(
                    "amount",
                    f"The deposit is {contract.deposit_amount} {contract.currency}; "
                    f"{fields.amount} is not enough",
                    "deposit_short",
                )
            ]
        )
    order = _order(ctx.session, contract)
    contract.deposit_received, contract.deposit_reference = fields.amount, fields.reference
    contract.deposit_verified_at, contract.deposit_verified_by = ctx.now, ctx.actor.name
    from orderflow.sales.flow import OPEN_STATES
    from orderflow.sales.service import ORDERS

    if order.state in OPEN_STATES and fields.amount <= order.outstanding:
        # The deposit is money received on the order: booked as its payment.
        ORDERS.step_in(
            ctx.session,
            order,
            "pay",
            actor=ctx.actor,
            roles=ctx.roles,
            now=ctx.now,
            policy=ctx.policy,
            fields={
                "amount": str(fields.amount),
                "method": fields.method if fields.method in _METHODS else "bank_transfer",
                "reference": f"{contract.number} {fields.reference}"[:120],
                "received_on": fields.received_on.isoformat() if fields.received_on else None,
            },
            runtime=ctx.runtime,
        )
    elif order.state not in OPEN_STATES:
        raise Conflict(f"{order.number} is {order.state}; confirm it before booking the deposit")
    make_effective(
        ctx.session,
        order,
        by="contract",
        reference=contract.number,
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
    )
    ctx.payload.update(amount=str(fields.amount), reference=fields.reference)


_METHODS = ("bank_transfer", "acceptance_bill", "cash", "cheque", "alipay", "wechat_pay")
