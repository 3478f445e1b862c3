"""What each quote step does (D1): price a version, sign, send the PDF, accept."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from orderflow.catalog.models import Product, list_price
from orderflow.core.errors import FieldErrors, TransitionNotAllowed
from orderflow.core.workflow import StepContext
from orderflow.files import service as files
from orderflow.notify.service import queue_email
from orderflow.org.models import Company
from orderflow.parties.models import Customer
from orderflow.quotes.flow import (
    PRICED,
    SIGNED,
    TECHNICAL_HEAD,
    PriceFields,
    SignFields,
    is_expired,
    price_line,
)
from orderflow.quotes.models import Quote, QuoteVersion
from orderflow.quotes.pdf import quote_pdf


def _quote(ctx: StepContext) -> Quote:
    return cast(Quote, ctx.doc)


def _today(ctx: StepContext):  # type: ignore[no-untyped-def]
    return ctx.now.astimezone(ctx.policy.zone).date()


def price(ctx: StepContext) -> None:
    """Price a new version: list price plus the surcharges of each line's reasons."""
    quote, fields = _quote(ctx), cast(PriceFields, ctx.fields)
    customer = ctx.session.get(Customer, quote.customer_id)
    price_list = customer.price_list if customer else "STD"
    ids = {int(r["product_id"]) for r in quote.request_lines}
    products = {
        p.id: p
        for p in ctx.session.scalars(
            select(Product).where(Product.id.in_(ids)).options(joinedload(Product.prices))
        ).unique()
    }
    overrides = {o.line_no: o.unit_price for o in fields.overrides}
    problems = FieldErrors()
    numbers = [int(req.get("line_no") or i) for i, req in enumerate(quote.request_lines, 1)]
    for i, o in enumerate(fields.overrides):
        if o.line_no not in numbers:
            problems.add(f"overrides[{i}].line_no", "No such line", "unknown_line")
    lines = []
    for no, req in zip(numbers, quote.request_lines, strict=True):
        product = products[int(req["product_id"])]
        quantity = Decimal(str(req["quantity"]))
        listed = list_price(product.prices, price_list, quantity)
        if listed is None and no not in overrides:
            problems.add(
                f"overrides[{no}]", f"{product.code} has no list price; give its price", "no_price"
            )
            continue
        lines.append(
            price_line(
                line_no=no,
                product=(product.id, product.code, product.name, product.model_spec, product.unit),
                quantity=quantity,
                list_price=listed if listed is not None else Decimal(0),
                reasons=req.get("reasons", []),
                surcharges=ctx.policy.quotes.surcharges,
                override=overrides.get(no),
            )
        )
    problems.raise_if_any()
    valid_until = _today(ctx) + timedelta(
        days=fields.validity_days or ctx.policy.quotes.validity_days
    )
    version = QuoteVersion(
        version_no=quote.current_version + 1,
        lines=[ln.as_json() for ln in lines],
        total_amount=sum((ln.amount for ln in lines), Decimal("0.00")),
        valid_until=valid_until,
        notes=fields.notes,
        created_by_name=ctx.actor.name,
        created_at=ctx.now,
    )
    quote.versions.append(version)
    quote.current_version = version.version_no
    quote.total_amount, quote.valid_until = version.total_amount, valid_until
    # Signatures belong to one version: a new price needs them again.
    quote.quoter_signed_by = quote.quoter_signed_at = None
    quote.technical_signed_by = quote.technical_signed_at = None
    ctx.payload.update(
        quote_version=version.version_no,
        total=str(version.total_amount),
        valid_until=valid_until.isoformat(),
    )


def sign(ctx: StepContext) -> None:
    """The quoter's and the technical head's signatures make the quote valid (D1)."""
    quote, fields = _quote(ctx), cast(SignFields, ctx.fields)
    technical = bool(ctx.roles & TECHNICAL_HEAD) and fields.as_ != "quoter"
    if fields.as_ == "technical" and not ctx.roles & TECHNICAL_HEAD:
        raise TransitionNotAllowed("Only the technical head signs as technical")
    if technical:
        quote.technical_signed_by, quote.technical_signed_at = ctx.actor.name, ctx.now
        ctx.signals.add("signed:technical_manager")
    else:
        quote.quoter_signed_by, quote.quoter_signed_at = ctx.actor.name, ctx.now
        ctx.signals.add("signed:quoter")
    ctx.payload.update(signed_as="technical" if technical else "quoter")
    both = quote.quoter_signed_by and quote.technical_signed_by
    ctx.next_state = SIGNED if both else PRICED


def _current(quote: Quote) -> QuoteVersion:
    return next(v for v in quote.versions if v.version_no == quote.current_version)


def render_pdf(ctx: StepContext, quote: Quote) -> bytes:
    company = ctx.session.get(Company, quote.company_id)
    customer = ctx.session.get(Customer, quote.customer_id)
    settings = ctx.runtime.settings if ctx.runtime is not None else None
    return quote_pdf(
        quote,
        _current(quote),
        company=company.name if company else "",
        customer=f"{customer.code} {customer.name}" if customer else "",
        font=settings.pdf_font if settings else None,
    )


def send(ctx: StepContext) -> None:
    quote = _quote(ctx)
    if is_expired(quote.valid_until, _today(ctx)):
        raise TransitionNotAllowed(f"{quote.number} expired on {quote.valid_until}; revise it")
    if ctx.runtime is None:
        raise RuntimeError("sending a quote needs the runtime (files folder)")
    pdf = files.store(
        ctx.session,
        ctx.runtime.settings,
        quote,
        purpose="quote_pdf",
        filename=f"{quote.number}-v{quote.current_version}.pdf",
        data=render_pdf(ctx, quote),
        actor=ctx.actor,
        at=ctx.now,
    )
    quote.sent_at = ctx.now
    customer = ctx.session.get(Customer, quote.customer_id)
    contact = next((c for c in customer.contacts if c.is_primary), None) if customer else None
    email = contact.email if contact and contact.email else None
    if email and customer:
        queue_email(
            ctx.session,
            doc=quote,
            kind="quote_sent",
            to=email,
            locale=customer.locale,
            at=ctx.now,
            attachment_ids=[pdf.id],
            total=f"{quote.total_amount} {quote.currency}",
            valid_until=quote.valid_until.isoformat() if quote.valid_until else "-",
        )
    ctx.payload.update(pdf=pdf.id, quote_version=quote.current_version, mailed=bool(email))


def accept(ctx: StepContext) -> None:
    """The customer accepted: the linked order takes the quoted prices (a new version)."""
    quote = _quote(ctx)
    if is_expired(quote.valid_until, _today(ctx)):
        raise TransitionNotAllowed(f"{quote.number} expired on {quote.valid_until}; revise it")
    quote.accepted_at = ctx.now
    ctx.payload["quote_version"] = quote.current_version
    if quote.order_id is None:
        return
    from orderflow.changes.versions import record_version
    from orderflow.sales.flow import OPEN_STATES, line_amount, order_total
    from orderflow.sales.models import SalesOrder
    from orderflow.sales.service import ORDERS

    order = ctx.session.get(SalesOrder, quote.order_id)
    if order is None or order.state not in ("draft", *OPEN_STATES[:1]):
        return
    prices = {int(ln["line_no"]): Decimal(ln["unit_price"]) for ln in _current(quote).lines}
    record_version(ctx.session, order, reason="before quote", actor=ctx.actor, now=ctx.now)
    for line in order.lines:
        if line.line_no in prices:
            line.unit_price = prices[line.line_no]
            line.amount = line_amount(line.quantity, line.unit_price)
    order.total_amount = order_total(line.amount for line in order.lines)
    version = record_version(
        ctx.session, order, reason=f"quote {quote.number}", actor=ctx.actor, now=ctx.now
    )
    ORDERS.fact_in(
        ctx.session,
        order,
        "quote_accepted",
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={"quote": quote.number, "total": str(order.total_amount), "order_version": version},
    )
