"""Quote use cases: a quote request from an order or an enquiry, steps, the PDF (D1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.api.schemas import Money
from orderflow.catalog.models import Product
from orderflow.core.access import require
from orderflow.core.errors import FieldErrors, NotFound
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.paging import Keyset, first_id
from orderflow.core.workflow import StepContext
from orderflow.files import service as files
from orderflow.files.schemas import file_read
from orderflow.parties.models import Customer
from orderflow.policy.loader import SURCHARGE_REASONS
from orderflow.quotes import effects
from orderflow.quotes.flow import is_expired, make_lifecycle
from orderflow.quotes.models import Quote
from orderflow.quotes.schemas import QuoteCreate, QuoteRead, QuoteSummary, QuoteVersionRead
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder

LIFECYCLE = make_lifecycle()
QUOTES: DocumentKind[Quote] = DocumentKind(
    model=Quote,
    lifecycle=LIFECYCLE,
    read_permission="quotes.read",
    effects={
        "price": effects.price,
        "revise": effects.price,
        "sign": effects.sign,
        "send": effects.send,
        "accept": effects.accept,
    },
)


def read_quote(
    session: Session, quote: Quote, principal: Principal, rt: Runtime | None = None
) -> QuoteRead:
    session.flush()
    customer = session.get(Customer, quote.customer_id)
    cur = quote.currency
    today = rt.today() if rt is not None else quote.updated_at.date()
    return QuoteRead(
        id=quote.id,
        number=quote.number,
        state=quote.state,
        version=quote.version,
        customer_id=quote.customer_id,
        customer_name=customer.name if customer else "",
        order_id=quote.order_id,
        request_lines=quote.request_lines,
        request_note=quote.request_note,
        current_version=quote.current_version,
        total=Money.of(quote.total_amount, cur),
        valid_until=quote.valid_until,
        expired=is_expired(quote.valid_until, today),
        quoter_signed_by=quote.quoter_signed_by,
        quoter_signed_at=quote.quoter_signed_at,
        technical_signed_by=quote.technical_signed_by,
        technical_signed_at=quote.technical_signed_at,
        sent_at=quote.sent_at,
        accepted_at=quote.accepted_at,
        versions=[
            QuoteVersionRead(
                version_no=v.version_no,
                lines=v.lines,
                total=Money.of(v.total_amount, cur),
                valid_until=v.valid_until,
                notes=v.notes,
                created_by=v.created_by_name,
                created_at=v.created_at,
            )
            for v in quote.versions
        ],
        files=[file_read(f) for f in files.attachments_of(session, quote)],
        pdf_url=f"/api/v1/quotes/{quote.id}/pdf" if quote.current_version else None,
        created_at=quote.created_at,
        updated_at=quote.updated_at,
        allowed_transitions=LIFECYCLE.allowed(quote, principal.roles),
    )


def create_quote(rt: Runtime, principal: Principal, data: QuoteCreate) -> QuoteRead:
    """A quote request (报价申请单): the quoter's task to price it opens."""
    require(principal, "quotes.create")
    with rt.db.transaction() as session:
        if data.order_id is not None:
            from orderflow.sales.service import ORDERS

            order = ORDERS.load(session, principal, data.order_id)
            reasons = [r for r in order.classification_reasons if r in SURCHARGE_REASONS]
            customer_id, currency = order.customer_id, order.currency
            request = [
                {
                    "line_no": ln.line_no,
                    "product_id": ln.product_id,
                    "product_code": ln.product.code,
                    "quantity": str(ln.quantity),
                    "reasons": reasons,
                    "note": "",
                }
                for ln in order.lines
            ]
        else:
            customer = session.scalar(
                select(Customer).where(
                    Customer.id == data.customer_id, Customer.company_id == principal.company_id
                )
            )
            problems = FieldErrors()
            if customer is None:
                problems.add("customer_id", "No such customer", "unknown_customer")
            products = {
                p.code: p
                for p in session.scalars(
                    select(Product).where(
                        Product.company_id == principal.company_id,
                        Product.code.in_([ln.product_code for ln in data.lines]),
                    )
                )
            }
            request = []
            for i, ln in enumerate(data.lines):
                product = products.get(ln.product_code)
                if product is None or not product.sellable:
                    problems.add(
                        f"lines[{i}].product_code", "No such product for sale", "unknown_product"
                    )
                    continue
                request.append(
                    {
                        "line_no": i + 1,
                        "product_id": product.id,
                        "product_code": product.code,
                        "quantity": str(ln.quantity),
                        "reasons": list(ln.reasons),
                        "note": ln.note,
                    }
                )
            problems.raise_if_any()
            assert customer is not None
            customer_id, currency = customer.id, rt.settings.default_currency
        quote = Quote(
            company_id=principal.company_id,
            number="",
            customer_id=customer_id,
            order_id=data.order_id,
            requested_by_id=principal.id,
            currency=currency,
            request_lines=request,
            request_note=data.note,
            current_version=0,
        )
        QUOTES.start(
            session,
            rt,
            quote,
            actor=actor_of(principal),
            payload={"order_id": data.order_id, "lines": len(request)},
        )
        return read_quote(session, quote, principal, rt)


def reader(rt: Runtime) -> Any:
    return lambda session, quote, principal: read_quote(session, quote, principal, rt)


def get_quote(rt: Runtime, principal: Principal, quote_id: int) -> QuoteRead:
    return get_document(rt, principal, QUOTES, quote_id, reader(rt))


def apply_step(
    rt: Runtime,
    principal: Principal,
    quote_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> QuoteRead:
    return run_step(
        rt,
        principal,
        QUOTES,
        quote_id,
        name,
        fields,
        expected_version=expected_version,
        read=reader(rt),
    )


def quote_pdf(rt: Runtime, principal: Principal, quote_id: int) -> tuple[str, bytes]:
    """The current version as a PDF (rendered now; the sent one is kept as a file)."""
    with rt.db.reading() as session:
        quote = QUOTES.load(session, principal, quote_id)
        if not quote.current_version:
            raise NotFound(f"{quote.number} has no priced version yet")
        ctx = StepContext(
            session, quote, actor_of(principal), frozenset(), None, rt.now(), rt.policy, runtime=rt
        )
        return f"{quote.number}-v{quote.current_version}.pdf", effects.render_pdf(ctx, quote)


def list_quotes(
    rt: Runtime,
    principal: Principal,
    *,
    order_id: int | None = None,
    state: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[QuoteSummary], str | None]:
    """Newest first, a page at a time (``core.paging``)."""
    require(principal, "quotes.read")
    page = Keyset.of(limit, cursor)
    query = (
        select(Quote, Customer.name, SalesOrder.number)
        .join(Customer, Customer.id == Quote.customer_id)
        .outerjoin(SalesOrder, SalesOrder.id == Quote.order_id)
        .where(QUOTES.visible(principal))
    )
    if order_id is not None:
        query = query.where(Quote.order_id == order_id)
    if state:
        query = query.where(Quote.state == state)
    with rt.db.reading() as session:
        rows, nxt = page.cut(session.execute(page.apply(query, Quote.id)).all(), first_id)
        return [
            QuoteSummary(
                id=q.id,
                number=q.number,
                state=q.state,
                customer_name=name,
                order_id=q.order_id,
                order_number=order_number,
                total=Money.of(q.total_amount, q.currency),
                valid_until=q.valid_until,
                created_at=q.created_at,
            )
            for q, name, order_number in rows
        ], nxt


def enquiry_choices(rt: Runtime, principal: Principal) -> dict[str, Any]:
    """What the enquiry form offers: the company's active customers, products for sale
    and the non-regular reasons the policy charges a surcharge for."""
    require(principal, "quotes.create")
    from orderflow.catalog.models import SELLABLE_KINDS

    with rt.db.reading() as session:
        customers = session.execute(
            select(Customer.id, Customer.code, Customer.name)
            .where(Customer.company_id == principal.company_id, Customer.active)
            .order_by(Customer.code)
        ).all()
        products = session.execute(
            select(Product.code, Product.name, Product.model_spec, Product.unit)
            .where(
                Product.company_id == principal.company_id,
                Product.active,
                Product.kind.in_(SELLABLE_KINDS),
            )
            .order_by(Product.code)
        ).all()
    return {
        "customers": customers,
        "products": products,
        "reasons": [r for r in SURCHARGE_REASONS if r in rt.policy.quotes.surcharges],
        "surcharges": rt.policy.quotes.surcharges,
    }
