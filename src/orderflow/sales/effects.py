"""What each sales-order step does beyond its state change.

Each effect runs inside ``apply_transition`` after every check passed, in the step's
transaction. An effect that finds the step impossible (no stock, more than is reserved)
raises, and the whole step rolls back.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import select

from orderflow.billing.models import Invoice, Payment
from orderflow.catalog.models import Product, list_price
from orderflow.core.errors import FieldError, FieldErrors, InsufficientStock, ValidationFailed
from orderflow.core.numbering import next_number
from orderflow.core.workflow import StepContext, start_document
from orderflow.inventory import service as stock
from orderflow.notify.service import queue_email
from orderflow.parties.models import Customer
from orderflow.sales.flow import (
    ConfirmFields,
    DeliverFields,
    InvoiceFields,
    LineFacts,
    OrderFacts,
    PayFields,
    ShipFields,
    derive_state,
    line_amount,
    order_total,
)
from orderflow.sales.models import SalesOrder, SalesOrderLine
from orderflow.shipping.models import Shipment, ShipmentLine


def _order(ctx: StepContext) -> SalesOrder:
    return cast(SalesOrder, ctx.doc)


def _customer_locale(ctx: StepContext, order: SalesOrder) -> str:
    customer = ctx.session.get(Customer, order.customer_id)  # usually in the identity map
    return customer.locale if customer else "zh-CN"


def tell_customer(ctx: StepContext, order: SalesOrder, kind: str, **params: Any) -> None:
    """Queue the ``mail.<kind>`` e-mail to the order's contact in the customer's language
    (nothing when the order has no e-mail address): every step that tells the customer."""
    if order.contact_email:
        queue_email(
            ctx.session,
            doc=order,
            kind=kind,
            to=order.contact_email,
            locale=_customer_locale(ctx, order),
            at=ctx.now,
            **params,
        )


def _number(ctx: StepContext, prefix: str) -> str:
    year = ctx.now.astimezone(ctx.policy.zone).year
    return next_number(
        ctx.session,
        company_id=ctx.doc.company_id,
        prefix=prefix,
        year=year,
        gapless=prefix in ctx.policy.numbering.gapless,
    )


def _derive(ctx: StepContext, order: SalesOrder) -> str:
    ctx.session.flush()
    delivered = ctx.session.scalars(
        select(Shipment.delivered_at).where(Shipment.order_id == order.id)
    ).all()
    return derive_state(
        OrderFacts(
            lines=tuple(LineFacts(line.quantity, line.shipped_quantity) for line in order.lines),
            shipments_delivered=tuple(d is not None for d in delivered),
            total=order.total_amount,
            paid=order.paid_amount,
        )
    )


# --- confirm: reserve stock, promise a date, tell the customer (I1, B5, B6) -------------


def confirm(ctx: StepContext) -> None:
    order, fields = _order(ctx), cast(ConfirmFields, ctx.fields)
    if fields.on_shortage == "substitute":
        _substitute(ctx, order, fields.substitutes)
    wants = [
        stock.Want(line.id, line.product_id, line.unreserved)
        for line in order.lines
        if line.unreserved > 0
    ]
    reserved, shortages = stock.reserve(
        ctx.session, company_id=order.company_id, wants=wants, at=ctx.now
    )
    for line in order.lines:
        line.reserved_quantity += reserved.get(line.id, Decimal(0))
    if shortages and fields.on_shortage not in ("wait", "split"):
        by_id = {line.id: line for line in order.lines}
        raise InsufficientStock(
            "Not enough stock for some lines; confirm again with on_shortage = wait, split or substitute",
            errors=[
                FieldError(
                    f"lines[{by_id[s.line_id].line_no - 1}].quantity",
                    f"{s.missing} short ({s.reserved} available)",
                    "insufficient_stock",
                )
                for s in shortages
            ],
            options=["wait", "split", "substitute"],
            shortages=[
                {
                    "line_no": by_id[s.line_id].line_no,
                    "wanted": str(s.wanted),
                    "available": str(s.reserved),
                }
                for s in shortages
            ],
        )
    if shortages and fields.on_shortage == "split":
        _split(ctx, order, {s.line_id for s in shortages})
    order.shortage_decision = fields.on_shortage if shortages else None
    order.promised_date = fields.promised_date or order.requested_date
    ctx.payload["reserved"] = {str(k): str(v) for k, v in reserved.items()}
    if shortages:
        ctx.payload["shortage"] = fields.on_shortage
        tell_customer(
            ctx,
            order,
            "stock_shortage",
            option=fields.on_shortage,
            lines=", ".join(f"#{s.line_id}: {s.missing}" for s in shortages),
        )
    tell_customer(
        ctx,
        order,
        "order_confirmed",
        promised_date=order.promised_date.isoformat(),
        total=f"{order.total_amount} {order.currency}",
    )


def _substitute(ctx: StepContext, order: SalesOrder, substitutes: dict[int, str]) -> None:
    problems = FieldErrors()
    if not substitutes:
        problems.add("substitutes", "Name the substitute product per line number", "missing")
    lines = {line.line_no: line for line in order.lines}
    products = {
        p.code: p
        for p in ctx.session.scalars(
            select(Product).where(
                Product.company_id == order.company_id, Product.code.in_(substitutes.values())
            )
        )
    }
    price_list = (
        ctx.session.scalar(select(Customer.price_list).where(Customer.id == order.customer_id))
        or "STD"
    )
    for line_no, code in substitutes.items():
        line, product = lines.get(line_no), products.get(code)
        if line is None:
            problems.add(f"substitutes.{line_no}", "No such line", "unknown_line")
        elif product is None or not product.sellable:
            problems.add(
                f"substitutes.{line_no}", f"{code} is not a product for sale", "unknown_product"
            )
        else:
            price = list_price(product.prices, price_list, line.quantity)
            # Both: the reservation below reads product_id before the next flush syncs it.
            line.product, line.product_id, line.description = product, product.id, product.name
            # The customer keeps the agreed price unless the substitute lists lower.
            line.unit_price = min(line.unit_price, price) if price is not None else line.unit_price
            line.amount = line_amount(line.quantity, line.unit_price)
    problems.raise_if_any()
    order.total_amount = order_total(line.amount for line in order.lines)


def _split(ctx: StepContext, order: SalesOrder, short_line_ids: set[int]) -> None:
    """Keep what is in stock on this order; the rest becomes a new draft order (B6 split)."""
    rest: list[SalesOrderLine] = []
    for line in order.lines:
        if line.id not in short_line_ids:
            continue
        missing = line.quantity - line.reserved_quantity
        rest.append(
            SalesOrderLine(
                line_no=len(rest) + 1,
                product_id=line.product_id,
                description=line.description,
                quantity=missing,
                unit_price=line.unit_price,
                amount=line_amount(missing, line.unit_price),
            )
        )
        line.quantity = line.reserved_quantity
        line.amount = line_amount(line.quantity, line.unit_price)
    order.lines[:] = [line for line in order.lines if line.quantity > 0]
    order.total_amount = order_total(line.amount for line in order.lines)
    backorder = SalesOrder(
        company_id=order.company_id,
        number=_number(ctx, SalesOrder.number_prefix),
        channel=order.channel,
        customer_id=order.customer_id,
        contact_name=order.contact_name,
        contact_phone=order.contact_phone,
        contact_email=order.contact_email,
        delivery_address=order.delivery_address,
        requested_date=order.requested_date,
        payment_terms_days=order.payment_terms_days,
        priority=order.priority,
        notes=order.notes,
        technical_requirements=order.technical_requirements,
        quality_requirements=order.quality_requirements,
        currency=order.currency,
        total_amount=order_total(line.amount for line in rest),
        owner_id=order.owner_id,
        handler_id=order.handler_id,
        created_by_id=ctx.actor.id,
        split_from_id=order.id,
        lines=rest,
    )
    from orderflow.sales.service import LIFECYCLE  # the lifecycle lives with the service

    start_document(
        ctx.session,
        LIFECYCLE,
        backorder,
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={"split_from": order.number},
    )
    ctx.payload["split_to"] = backorder.number


# --- ship: issue reserved stock, record the shipment, send tracking (K3, K4) ------------


def ship(ctx: StepContext) -> None:
    order, fields = _order(ctx), cast(ShipFields, ctx.fields)
    by_no = {line.line_no: line for line in order.lines}
    problems = FieldErrors()
    if fields.lines is None:
        # Lines that waited for stock (B6 "wait") try again now.
        _top_up(ctx, order)
        plan = [
            (line, line.reserved_quantity) for line in order.lines if line.reserved_quantity > 0
        ]
        if not plan:
            problems.add(
                "lines", "Nothing is reserved and unshipped on this order", "nothing_to_ship"
            )
    else:
        plan = []
        for i, item in enumerate(fields.lines):
            line = by_no.get(item.line_no)
            if line is None:
                problems.add(f"lines[{i}].line_no", "No such line on this order", "unknown_line")
            elif item.quantity > line.reserved_quantity:
                problems.add(
                    f"lines[{i}].quantity",
                    f"Only {line.reserved_quantity} reserved and unshipped",
                    "over_reserved",
                )
            else:
                plan.append((line, item.quantity))
    problems.raise_if_any()
    shipment = Shipment(
        company_id=order.company_id,
        number=_number(ctx, "SH"),
        order_id=order.id,
        carrier=fields.carrier,
        tracking_number=fields.tracking_number,
        shipped_at=ctx.now,
        created_by_id=ctx.actor.id,
    )
    # Stock rows are locked in product order, as confirmation reserves them, so a shipment
    # and a confirmation of orders sharing products never wait on each other in a circle.
    for line, qty in sorted(plan, key=lambda item: (item[0].product_id, item[0].line_no)):
        issued = stock.issue_reserved(
            ctx.session,
            line_id=line.id,
            quantity=qty,
            at=ctx.now,
            reference=shipment.number,
            actor_id=ctx.actor.id,
        )
        if issued != qty:
            raise InsufficientStock(f"Line {line.line_no}: only {issued} of {qty} could be issued")
        line.reserved_quantity -= qty
        line.shipped_quantity += qty
        shipment.lines.append(ShipmentLine(order_line_id=line.id, quantity=qty))
    ctx.session.add(shipment)
    ctx.payload.update(
        shipment=shipment.number,
        carrier=fields.carrier,
        tracking_number=fields.tracking_number,
        lines={
            str(line.line_no): str(qty) for line, qty in sorted(plan, key=lambda p: p[0].line_no)
        },
    )
    tell_customer(
        ctx,
        order,
        "order_shipped",
        carrier=fields.carrier,
        tracking_number=fields.tracking_number or "-",
    )
    ctx.next_state = _derive(ctx, order)


def _top_up(ctx: StepContext, order: SalesOrder) -> None:
    wants = [
        stock.Want(line.id, line.product_id, line.unreserved)
        for line in order.lines
        if line.unreserved > 0
    ]
    if wants:
        reserved, _ = stock.reserve(
            ctx.session, company_id=order.company_id, wants=wants, at=ctx.now
        )
        for line in order.lines:
            line.reserved_quantity += reserved.get(line.id, Decimal(0))


# --- deliver: the customer signs (K6) ----------------------------------------------------


def deliver(ctx: StepContext) -> None:
    order, fields = _order(ctx), cast(DeliverFields, ctx.fields)
    query = select(Shipment).where(Shipment.order_id == order.id, Shipment.delivered_at.is_(None))
    if fields.shipment_number:
        query = query.where(Shipment.number == fields.shipment_number)
    shipments = ctx.session.scalars(query).all()
    if not shipments:
        raise ValidationFailed.of(
            [
                FieldError(
                    "shipment_number", "No undelivered shipment by that number", "unknown_shipment"
                )
            ]
        )
    signed_at = fields.signed_at or ctx.now
    if signed_at.tzinfo is None:
        raise ValidationFailed.of(
            [FieldError("signed_at", "Give the time with its UTC offset", "naive_datetime")]
        )
    if signed_at > ctx.now + timedelta(minutes=5):
        raise ValidationFailed.of(
            [FieldError("signed_at", "The sign-off time is in the future", "future")]
        )
    for shipment in shipments:
        shipment.delivered_at, shipment.signed_by = signed_at, fields.signed_by
    ctx.payload.update(shipments=[s.number for s in shipments], signed_by=fields.signed_by)
    tell_customer(ctx, order, "order_delivered", signed_by=fields.signed_by)
    ctx.next_state = _derive(ctx, order)


# --- invoice and pay (M2, M3) ------------------------------------------------------------


def invoice(ctx: StepContext) -> None:
    order, fields = _order(ctx), cast(InvoiceFields, ctx.fields)
    open_amount = order.total_amount - order.invoiced_amount
    amount = fields.amount if fields.amount is not None else open_amount
    if amount <= 0 or amount > open_amount:
        raise ValidationFailed.of(
            [FieldError("amount", f"Up to {open_amount} is left to invoice", "over_invoiced")]
        )
    due = (ctx.now + timedelta(days=order.payment_terms_days)).astimezone(ctx.policy.zone).date()
    bill = Invoice(
        company_id=order.company_id,
        number=_number(ctx, "INV"),
        order_id=order.id,
        amount=amount,
        currency=order.currency,
        tax_invoice_number=fields.tax_invoice_number,
        issued_at=ctx.now,
        due_date=due,
        created_by_id=ctx.actor.id,
    )
    ctx.session.add(bill)
    order.invoiced_amount += amount
    ctx.payload.update(invoice=bill.number, amount=str(amount), due_date=due.isoformat())
    tell_customer(
        ctx,
        order,
        "invoice_issued",
        invoice=bill.number,
        amount=f"{amount} {order.currency}",
        due_date=due.isoformat(),
    )
    ctx.next_state = order.state


def pay(ctx: StepContext) -> None:
    order, fields = _order(ctx), cast(PayFields, ctx.fields)
    if fields.amount > order.outstanding:
        raise ValidationFailed.of(
            [FieldError("amount", f"Only {order.outstanding} is outstanding", "overpayment")]
        )
    received = fields.received_on or ctx.now.astimezone(ctx.policy.zone).date()
    payment = Payment(
        company_id=order.company_id,
        number=_number(ctx, "PAY"),
        order_id=order.id,
        amount=fields.amount,
        currency=order.currency,
        method=fields.method,
        reference=fields.reference,
        received_on=received,
        recorded_at=ctx.now,
        created_by_id=ctx.actor.id,
    )
    ctx.session.add(payment)
    order.paid_amount += fields.amount
    ctx.payload.update(payment=payment.number, amount=str(fields.amount), method=fields.method)
    if order.paid_amount >= order.total_amount:
        ctx.signals.add("paid_in_full")
        # A customer who has paid an order in full is no longer "new" for credit checks.
        customer = ctx.session.get(Customer, order.customer_id)
        if customer is not None:
            customer.is_new = False
    tell_customer(
        ctx,
        order,
        "payment_received",
        amount=f"{fields.amount} {order.currency}",
        outstanding=f"{order.outstanding} {order.currency}",
    )
    ctx.next_state = _derive(ctx, order)


# --- cancel: give the stock back (I1) ----------------------------------------------------


def cancel(ctx: StepContext) -> None:
    order = _order(ctx)
    if order.paid_amount > 0:
        raise ValidationFailed.of(
            [
                FieldError(
                    "reason",
                    "Money was received on this order; refund it through after-sales first",
                    "paid",
                )
            ]
        )
    released = stock.release(ctx.session, line_ids=[line.id for line in order.lines])
    for line in order.lines:
        line.reserved_quantity = Decimal(0)
    ctx.payload["released"] = str(released)
    tell_customer(ctx, order, "order_cancelled")
