"""Sales order use cases: each one transaction, called alike by the API, the pages and the CLI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, bindparam, or_, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from orderflow.api.schemas import EventRead
from orderflow.auth.roles import ORDER_SCOPE_OWN_ONLY, Role
from orderflow.catalog.models import Product, list_price
from orderflow.core.access import require
from orderflow.core.documents import DocumentMixin
from orderflow.core.errors import FieldErrors
from orderflow.core.idempotency import once
from orderflow.core.kit import DocumentKind, actor_of, document_events, get_document, run_step
from orderflow.core.paging import Keyset
from orderflow.core.tasks import Task, overdue_clause
from orderflow.core.workflow import StepContext
from orderflow.inventory import service as stock_levels
from orderflow.parties.models import Customer
from orderflow.review import classify as classification
from orderflow.runtime import Principal, Runtime
from orderflow.sales import assignment, effects, shortage
from orderflow.sales.credit import EXPOSURE_COLUMN, check_credit
from orderflow.sales.flow import (
    line_amount,
    make_lifecycle,
    order_total,
)
from orderflow.sales.models import SalesOrder, SalesOrderLine
from orderflow.sales.read import order_read, summaries
from orderflow.sales.schemas import OrderCreate, OrderRead, OrderSummary


def _payment_terms_due(doc: DocumentMixin, now: datetime) -> datetime:
    return now + timedelta(days=getattr(doc, "payment_terms_days", 0) or 0)


def _assignee(doc: DocumentMixin, role: str) -> int | None:
    return getattr(doc, "handler_id", None) if role == Role.SALES_CLERK else None


LIFECYCLE = make_lifecycle(resolvers={"@payment_terms": _payment_terms_due}, assignee_for=_assignee)


def _override_classification(ctx: StepContext) -> None:
    from orderflow.review.effects import override_classification

    override_classification(ctx)


EFFECTS: Mapping[str, Callable[[StepContext], None]] = {
    "classify": _override_classification,
    "reassign": assignment.reassign,
    "confirm": effects.confirm,
    "ship": effects.ship,
    "deliver": effects.deliver,
    "invoice": effects.invoice,
    "pay": effects.pay,
    "cancel": effects.cancel,
}


def _own_orders(principal: Principal) -> ColumnElement[bool]:
    """A salesperson sees the orders they own or entered; every other role all of them."""
    if principal.roles <= ORDER_SCOPE_OWN_ONLY:
        return or_(SalesOrder.owner_id == principal.id, SalesOrder.created_by_id == principal.id)
    return true()


ORDERS: DocumentKind[SalesOrder] = DocumentKind(
    model=SalesOrder,
    lifecycle=LIFECYCLE,
    read_permission="orders.read",
    effects=EFFECTS,
    scope=_own_orders,
    load_options=(selectinload(SalesOrder.lines),),
    # B6: a confirmation refused for a shortage tells the customer of it and the options.
    refusals={"confirm": shortage.after_refused_confirm},
)


def read_order(session: Session, order: SalesOrder, principal: Principal) -> OrderRead:
    return order_read(session, order, principal, LIFECYCLE)


def load_order(session: Session, principal: Principal, order_id: int) -> SalesOrder:
    return ORDERS.load(session, principal, order_id)


# --- create -----------------------------------------------------------------------------


def create_order(
    rt: Runtime, principal: Principal, data: OrderCreate, *, idempotency_key: str | None = None
) -> OrderRead:
    """Validate everything, then save the order whole (and confirm it if asked), or nothing."""
    require(principal, "orders.create")
    return once(
        rt,
        principal,
        scope="orders.create",
        body=data,
        key=idempotency_key,
        create=lambda session: order_read(
            session, _new_order(session, rt, principal, data), principal, LIFECYCLE
        ),
        model=OrderRead,
    )


def _new_order(
    session: Session, rt: Runtime, principal: Principal, data: OrderCreate
) -> SalesOrder:
    problems = FieldErrors()
    customer, owed = _customer(session, principal, data, problems)
    products = _products(session, principal, data, problems)
    if data.requested_date < rt.today():
        problems.add("requested_date", "The requested date is in the past", "past_date")
    address = _address(customer, data, problems) if customer else ""

    lines: list[SalesOrderLine] = []
    for i, line in enumerate(data.lines):
        product = products.get(i)
        if product is None:
            continue
        price_list = customer.price_list if customer else "STD"
        listed = list_price(product.prices, price_list, line.quantity)
        if listed is None and line.unit_price is None:
            problems.add(
                f"lines[{i}].unit_price",
                f"{product.code} has no price on the price list; give a unit price",
                "no_price",
            )
            continue
        if listed is not None and line.unit_price is not None and line.unit_price < listed:
            problems.add(
                f"lines[{i}].unit_price",
                f"Below the price list ({listed}); a lower price needs a quote",
                "below_price_list",
            )
        price = line.unit_price if line.unit_price is not None else listed
        assert price is not None
        lines.append(
            SalesOrderLine(
                line_no=i + 1,
                product=product,
                description=line.description or product.name,
                quantity=line.quantity,
                unit_price=price,
                amount=line_amount(line.quantity, price),
            )
        )
    total = order_total(line.amount for line in lines)
    if customer is not None and not problems:
        check_credit(session, rt, customer, total, problems, owed=owed)
    problems.raise_if_any()
    assert customer is not None

    contact = next(
        (c for c in customer.contacts if c.is_primary),
        customer.contacts[0] if customer.contacts else None,
    )
    order = SalesOrder(
        company_id=principal.company_id,
        channel=data.channel,
        customer=customer,
        contact_name=data.contact_name or (contact.name if contact else ""),
        contact_phone=data.contact_phone or (contact.phone or "" if contact else ""),
        contact_email=data.contact_email or (contact.email or "" if contact else ""),
        delivery_address=address,
        requested_date=data.requested_date,
        payment_terms_days=data.payment_terms_days
        if data.payment_terms_days is not None
        else customer.payment_terms_days,
        priority=data.priority,
        notes=data.notes,
        technical_requirements=data.technical_requirements,
        quality_requirements=data.quality_requirements,
        currency=rt.settings.default_currency,
        total_amount=total,
        owner_id=customer.owner_id or (principal.id if Role.SALES in principal.roles else None),
        handler_id=principal.id if Role.SALES_CLERK in principal.roles else None,
        created_by_id=principal.id,
        lines=lines,
        custom_design=data.custom_design,
        late_penalty=data.late_penalty,
        project_name=data.project_name,
    )
    _classify(session, rt, order, customer, products)
    assigned = None
    if order.handler_id is None or rt.policy.assignment.reassign_clerk_orders:
        handler, why = assignment.assign(session, rt.policy.assignment, order, customer.region)
        if handler is not None:
            order.handler_id, assigned = handler, why
    payload: dict[str, Any] = {"channel": data.channel, "total": str(total), "lines": len(lines)}
    if order.classification_reasons:
        payload["classification"] = {
            "regularity": order.regularity,
            "category": order.category,
            "reasons": order.classification_reasons,
        }
    if assigned:
        payload["assigned"] = {"handler_id": order.handler_id, "why": assigned}
    ORDERS.start(session, rt, order, actor=actor_of(principal), payload=payload)
    if order.review_state == classification.REQUIRED:
        from orderflow.review.service import open_review

        open_review(session, rt, order, actor=actor_of(principal))
    elif data.confirm:
        ORDERS.step(session, rt, order, "confirm", principal=principal, fields={})
    if not rt.db.single_writer:
        # The check above read the exposure without a lock: a concurrent order of the same
        # customer may have been confirmed since. Checked again under the customer's row
        # lock, taken last so that one customer's orders queue only for the commit.
        problems = FieldErrors()
        check_credit(session, rt, customer, total, problems, lock_excluding=order.id)
        problems.raise_if_any()
    return order


def _classify(
    session: Session,
    rt: Runtime,
    order: SalesOrder,
    customer: Customer,
    products: dict[int, Product],
) -> None:
    """C1 at entry. Stock is looked up only when a line's lead time could make the date
    tight, so an ordinary order pays no extra query on the intake path."""
    today = rt.today()
    calendar = rt.policy.business_calendar
    longest = max((line.product.lead_time_days for line in order.lines), default=0)
    free: dict[int, Decimal] | None = None
    if longest and order.requested_date < classification.add_working_days(calendar, today, longest):
        free = stock_levels.available(
            session, company_id=order.company_id, product_ids={p.id for p in products.values()}
        )
    facts = classification.OrderFacts(
        lines=tuple(
            classification.LineFacts(
                product_code=line.product.code,
                quantity=line.quantity,
                lead_time_days=line.product.lead_time_days,
                active=line.product.active,
                available=None if free is None else free.get(line.product.id, Decimal(0)),
            )
            for line in order.lines
        ),
        today=today,
        requested_date=order.requested_date,
        priority=order.priority,
        total=order.total_amount,
        custom_design=order.custom_design,
        late_penalty=order.late_penalty,
        quality_requirements=order.quality_requirements,
        project_name=order.project_name,
        customer_region=customer.region,
    )
    result = classification.classify(
        facts,
        rules=rt.policy.classification,
        meeting_amount=rt.policy.thresholds.review_meeting_amount,
        calendar=calendar,
    )
    order.regularity, order.category, order.rush = result.regularity, result.category, result.rush
    order.classification_reasons = list(result.reasons)
    order.review_state = classification.review_state_for(
        regularity=result.regularity,
        project=result.project,
        rush=result.rush,
        meeting=result.meeting,
        regular_orders=rt.policy.review.regular_orders,
    )
    if result.category == classification.SPECIAL and order.priority == "normal":
        order.priority = "special"  # B7: a special order is handled within 12 h


# Built once: the lookups of every order entry.
_CUSTOMER = (
    # With what the customer owes on open orders (B3): one round trip, not two.
    select(Customer, EXPOSURE_COLUMN)
    .where(Customer.company_id == bindparam("company_id"))
    # One round trip: customers have a handful of contacts and addresses at most.
    .options(joinedload(Customer.contacts), joinedload(Customer.addresses))
)
_CUSTOMER_BY_ID = _CUSTOMER.where(Customer.id == bindparam("key"))
_CUSTOMER_BY_CODE = _CUSTOMER.where(Customer.code == bindparam("key"))
_PRODUCTS = (
    select(Product)
    .where(
        Product.company_id == bindparam("company_id"),
        or_(
            Product.id.in_(bindparam("ids", expanding=True)),
            Product.code.in_(bindparam("codes", expanding=True)),
        ),
    )
    .options(joinedload(Product.prices))
)


def _customer(
    session: Session, principal: Principal, data: OrderCreate, problems: FieldErrors
) -> tuple[Customer | None, Decimal | None]:
    """The order's customer and what they owe on open orders, or (None, None) with the
    problem noted."""
    value: int | str | None
    if data.customer_id is not None:
        by, value, name = _CUSTOMER_BY_ID, data.customer_id, "customer_id"
    else:
        by, value, name = _CUSTOMER_BY_CODE, data.customer_code, "customer_code"
    row = (
        session.execute(by, {"company_id": principal.company_id, "key": value})
        .unique()
        .one_or_none()
    )
    if row is None:
        problems.add(name, "No such customer", "unknown_customer")
        return None, None
    customer, owed = row
    if not customer.active:
        problems.add(name, f"Customer {customer.code} is inactive", "inactive_customer")
        return None, None
    return customer, Decimal(owed)


def _products(
    session: Session, principal: Principal, data: OrderCreate, problems: FieldErrors
) -> dict[int, Product]:
    ids = {line.product_id for line in data.lines if line.product_id is not None}
    codes = {
        line.product_code for line in data.lines if line.product_id is None and line.product_code
    }
    found = (
        session.scalars(
            _PRODUCTS,
            {"company_id": principal.company_id, "ids": sorted(ids), "codes": sorted(codes)},
        )
        .unique()
        .all()
    )
    by_id = {p.id: p for p in found}
    by_code = {p.code: p for p in found}
    out: dict[int, Product] = {}
    for i, line in enumerate(data.lines):
        field = (
            f"lines[{i}].product_id" if line.product_id is not None else f"lines[{i}].product_code"
        )
        product = (
            by_id.get(line.product_id)
            if line.product_id is not None
            else by_code.get(line.product_code or "")
        )
        if product is None:
            problems.add(field, "No such product", "unknown_product")
        elif not product.sellable:
            problems.add(
                field,
                f"{product.code} is not for sale (discontinued or not a saleable kind)",
                "not_sellable",
            )
        else:
            out[i] = product
    return out


def _address(customer: Customer, data: OrderCreate, problems: FieldErrors) -> str:
    if data.delivery_address:
        return data.delivery_address
    if data.address_id is not None:
        address = next((a for a in customer.addresses if a.id == data.address_id), None)
        if address is None:
            problems.add("address_id", "Not one of this customer's addresses", "unknown_address")
            return ""
    else:
        address = next(
            (a for a in customer.addresses if a.is_default),
            customer.addresses[0] if customer.addresses else None,
        )
        if address is None:
            problems.add(
                "delivery_address", "The customer has no address on file; give one", "missing"
            )
            return ""
    if not address.deliverable:
        problems.add(
            "address_id" if data.address_id else "delivery_address",
            f"We do not deliver to {address.one_line()}",
            "not_deliverable",
        )
    return address.one_line()


# --- read -------------------------------------------------------------------------------


def get_order(rt: Runtime, principal: Principal, order_id: int) -> OrderRead:
    return get_document(rt, principal, ORDERS, order_id, read_order)


def list_orders(
    rt: Runtime,
    principal: Principal,
    *,
    q: str | None = None,
    state: str | None = None,
    customer_id: int | None = None,
    priority: str | None = None,
    overdue: bool = False,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[OrderSummary], str | None]:
    """Newest first, keyset-paginated by id (the cursor is opaque to clients)."""
    require(principal, "orders.read")
    query = (
        select(SalesOrder)
        .join(Customer, Customer.id == SalesOrder.customer_id)
        .where(ORDERS.visible(principal))
    )
    if q:
        like = f"%{q.strip()}%"
        query = query.where(
            or_(SalesOrder.number.ilike(like), Customer.name.ilike(like), Customer.code.ilike(like))
        )
    if state:
        query = query.where(SalesOrder.state == state)
    if customer_id:
        query = query.where(SalesOrder.customer_id == customer_id)
    if priority:
        query = query.where(SalesOrder.priority == priority)
    if overdue:
        late = select(Task.document_id).where(
            Task.document_type == "sales_order", overdue_clause(rt.now())
        )
        query = query.where(SalesOrder.id.in_(late))
    window = Keyset.of(limit, cursor)
    with rt.db.reading() as session:
        page, nxt = window.cut(session.scalars(window.apply(query, SalesOrder.id)).all())
        return summaries(session, page), nxt


def order_events(rt: Runtime, principal: Principal, order_id: int) -> list[EventRead]:
    return document_events(rt, principal, ORDERS, order_id)


# --- steps ------------------------------------------------------------------------------


def apply_step(
    rt: Runtime,
    principal: Principal,
    order_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> OrderRead:
    """Apply one lifecycle step; a step refused for any reason changes nothing."""
    return run_step(
        rt,
        principal,
        ORDERS,
        order_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_order,
    )
