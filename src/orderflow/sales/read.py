"""Read models of orders: what the API answers and the pages show."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import Money
from orderflow.billing.models import Invoice, Payment
from orderflow.core.workflow import Lifecycle
from orderflow.inventory import service as stock
from orderflow.parties.models import Customer
from orderflow.runtime import Principal
from orderflow.sales.flow import DRAFT
from orderflow.sales.models import SalesOrder
from orderflow.sales.schemas import (
    InvoiceRead,
    LineRead,
    OrderRead,
    OrderSummary,
    PaymentRead,
    ShipmentRead,
)
from orderflow.shipping.models import Shipment


def _qty(value: object) -> str:
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def order_read(
    session: Session, order: SalesOrder, principal: Principal, lifecycle: Lifecycle
) -> OrderRead:
    session.flush()
    customer = order.customer
    products = {ln.product_id: ln.product for ln in order.lines}
    free = (
        stock.available(session, company_id=order.company_id, product_ids=products)
        if order.state == DRAFT
        else {}
    )
    cur = order.currency
    lines = [
        LineRead(
            line_no=ln.line_no,
            product_id=ln.product_id,
            product_code=products[ln.product_id].code,
            product_name=products[ln.product_id].name,
            model_spec=products[ln.product_id].model_spec,
            unit=products[ln.product_id].unit,
            description=ln.description,
            quantity=_qty(ln.quantity),
            unit_price=Money.of(ln.unit_price, cur),
            amount=Money.of(ln.amount, cur),
            reserved_quantity=_qty(ln.reserved_quantity),
            shipped_quantity=_qty(ln.shipped_quantity),
            available=_qty(free.get(ln.product_id, 0)) if order.state == DRAFT else None,
        )
        for ln in order.lines
    ]
    # A fresh order has no shipments, invoices or payments: skip three empty queries.
    shipped = any(ln.shipped_quantity for ln in order.lines)
    shipments = (
        []
        if not shipped
        else session.scalars(
            select(Shipment)
            .where(Shipment.order_id == order.id)
            .options(selectinload(Shipment.lines))
            .order_by(Shipment.id)
        ).all()
    )
    line_no = {ln.id: ln.line_no for ln in order.lines}
    invoices = (
        []
        if not order.invoiced_amount
        else session.scalars(
            select(Invoice).where(Invoice.order_id == order.id).order_by(Invoice.id)
        ).all()
    )
    payments = (
        []
        if not order.paid_amount
        else session.scalars(
            select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)
        ).all()
    )
    return OrderRead(
        id=order.id,
        number=order.number,
        state=order.state,
        version=order.version,
        channel=order.channel,
        customer_id=customer.id,
        customer_code=customer.code,
        customer_name=customer.name,
        contact_name=order.contact_name,
        contact_phone=order.contact_phone,
        contact_email=order.contact_email,
        delivery_address=order.delivery_address,
        requested_date=order.requested_date,
        # C6: no date is shown for a non-regular order until its review passed.
        promised_date=order.promised_date
        if order.regularity != "non_regular" or order.review_state == "passed"
        else None,
        payment_terms_days=order.payment_terms_days,
        priority=order.priority,
        notes=order.notes,
        technical_requirements=order.technical_requirements,
        quality_requirements=order.quality_requirements,
        total=Money.of(order.total_amount, cur),
        invoiced=Money.of(order.invoiced_amount, cur),
        paid=Money.of(order.paid_amount, cur),
        outstanding=Money.of(order.outstanding, cur),
        shortage_decision=order.shortage_decision,
        owner_id=order.owner_id,
        handler_id=order.handler_id,
        created_at=order.created_at,
        updated_at=order.updated_at,
        regularity=order.regularity,
        category=order.category,
        project_name=order.project_name,
        custom_design=order.custom_design,
        late_penalty=order.late_penalty,
        rush=order.rush,
        classification_reasons=list(order.classification_reasons or []),
        classification_overridden=order.classification_overridden,
        review_state=order.review_state,
        effective_at=order.effective_at,
        effective_by=order.effective_by,
        lines=lines,
        shipments=[
            ShipmentRead(
                number=s.number,
                carrier=s.carrier,
                tracking_number=s.tracking_number,
                shipped_at=s.shipped_at,
                delivered_at=s.delivered_at,
                signed_by=s.signed_by,
                lines=[
                    {"line_no": line_no.get(sl.order_line_id, 0), "quantity": _qty(sl.quantity)}
                    for sl in s.lines
                ],
            )
            for s in shipments
        ],
        invoices=[
            InvoiceRead(
                number=i.number,
                amount=Money.of(i.amount, i.currency),
                tax_invoice_number=i.tax_invoice_number,
                issued_at=i.issued_at,
                due_date=i.due_date,
            )
            for i in invoices
        ],
        payments=[
            PaymentRead(
                number=p.number,
                amount=Money.of(p.amount, p.currency),
                method=p.method,
                reference=p.reference,
                received_on=p.received_on,
            )
            for p in payments
        ],
        allowed_transitions=lifecycle.allowed(order, principal.roles),
    )


def summaries(session: Session, orders: Sequence[SalesOrder]) -> list[OrderSummary]:
    rows = session.execute(
        select(Customer.id, Customer.name).where(Customer.id.in_({o.customer_id for o in orders}))
    )
    names = {cid: name for cid, name in rows}
    return [
        OrderSummary(
            id=o.id,
            number=o.number,
            state=o.state,
            version=o.version,
            customer_name=names.get(o.customer_id, ""),
            requested_date=o.requested_date,
            priority=o.priority,
            total=Money.of(o.total_amount, o.currency),
            channel=o.channel,
            created_at=o.created_at,
            regularity=o.regularity,
            review_state=o.review_state,
        )
        for o in orders
    ]
