"""Warehouse use cases: customer-supplied materials and stock counts, each one
transaction; reading and stepping every warehouse document; open supply for planning.
Transfers between the group's companies are ``warehouse.transfers``."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import EventRead
from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import FieldErrors
from orderflow.core.events import SYSTEM
from orderflow.core.kit import DocumentKind, actor_of, document_events, get_document, run_step
from orderflow.core.paging import after_cursor, page_of
from orderflow.core.sweeper import OVERDUE_ACTIONS
from orderflow.core.tasks import Task
from orderflow.core.workflow import record_fact
from orderflow.exception_slips.service import raise_slip
from orderflow.i18n import t
from orderflow.inventory import ledger
from orderflow.inventory.models import LocationKind, LocationStock
from orderflow.inventory.warehouses import company_warehouse
from orderflow.parties.models import Customer
from orderflow.policy.loader import Policy
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder
from orderflow.warehouse import effects
from orderflow.warehouse.flow import (
    CS_EXPECTED,
    TR_REQUESTED,
    TR_SHIPPED,
    make_count_lifecycle,
    make_customer_supplied_lifecycle,
)
from orderflow.warehouse.models import (
    CustomerSupplied,
    CustomerSuppliedLine,
    StockCount,
    StockCountLine,
    TransferLine,
    TransferOrder,
)
from orderflow.warehouse.read import (
    count_read,
    count_summaries,
    customer_supplied_read,
    customer_supplied_summaries,
)
from orderflow.warehouse.schemas import (
    CountCreate,
    CountRead,
    CountSummary,
    CustomerSuppliedCreate,
    CustomerSuppliedRead,
    CustomerSuppliedSummary,
)
from orderflow.warehouse.transfers import TRANSFERS, read_transfer

ZERO = Decimal(0)

CUSTOMER_SUPPLIED_LIFECYCLE = make_customer_supplied_lifecycle()
COUNT_LIFECYCLE = make_count_lifecycle()

CUSTOMER_SUPPLIED: DocumentKind[CustomerSupplied] = DocumentKind(
    model=CustomerSupplied,
    lifecycle=CUSTOMER_SUPPLIED_LIFECYCLE,
    read_permission="warehouses.read",
    effects={"sign_in": effects.sign_in, "report_late": effects.report_customer_late},
    load_options=(selectinload(CustomerSupplied.lines),),
)
COUNTS: DocumentKind[StockCount] = DocumentKind(
    model=StockCount,
    lifecycle=COUNT_LIFECYCLE,
    read_permission="warehouses.read",
    effects={"record": effects.record_count, "post": effects.post_count},
    load_options=(selectinload(StockCount.lines),),
)


def read_customer_supplied(
    session: Session, notice: CustomerSupplied, principal: Principal
) -> CustomerSuppliedRead:
    return customer_supplied_read(session, notice, principal, CUSTOMER_SUPPLIED_LIFECYCLE)


def read_count(session: Session, count: StockCount, principal: Principal) -> CountRead:
    return count_read(session, count, principal, COUNT_LIFECYCLE)


# --- customer-supplied (I3, E12) ---------------------------------------------------------------


def create_customer_supplied(
    rt: Runtime, principal: Principal, data: CustomerSuppliedCreate
) -> CustomerSuppliedRead:
    """The business records what the customer will send and by when (业务接单时确认)."""
    require(principal, "customer_supplied.create")
    with rt.db.transaction() as session:
        problems = FieldErrors()
        company = principal.company_id
        customer_id = None
        if data.sales_order_id is not None:
            customer_id = session.scalar(
                select(SalesOrder.customer_id).where(
                    SalesOrder.id == data.sales_order_id, SalesOrder.company_id == company
                )
            )
            if customer_id is None:
                problems.add("sales_order_id", "No such order", "unknown_order")
        if customer_id is None and (data.customer_id is not None or data.customer_code):
            query = select(Customer.id).where(Customer.company_id == company)
            customer_id = session.scalar(
                query.where(Customer.id == data.customer_id)
                if data.customer_id is not None
                else query.where(Customer.code == data.customer_code)
            )
            if customer_id is None:
                problems.add("customer_code", "No such customer", "unknown_customer")
        warehouse = company_warehouse(session, company, data.warehouse_code)
        if warehouse is None:
            problems.add("warehouse_code", "No such warehouse", "unknown_warehouse")
        if data.expected_date < rt.today():
            problems.add("expected_date", "The date is past", "past_date")
        lines: list[CustomerSuppliedLine] = []
        for i, item in enumerate(data.lines):
            products = select(Product).where(Product.company_id == company)
            product = session.scalar(
                products.where(Product.id == item.product_id)
                if item.product_id is not None
                else products.where(Product.code == item.product_code)
            )
            if product is None:
                problems.add(f"lines[{i}].product_code", "No such product", "unknown_product")
            elif product.kind != "customer_supplied":
                problems.add(
                    f"lines[{i}].product_code",
                    f"{product.code} is not a customer-supplied material",
                    "not_customer_supplied",
                )
            else:
                lines.append(
                    CustomerSuppliedLine(
                        line_no=len(lines) + 1,
                        product_id=product.id,
                        promised_quantity=item.quantity,
                    )
                )
        problems.raise_if_any()
        assert warehouse is not None and customer_id is not None
        notice = CustomerSupplied(
            company_id=company,
            customer_id=customer_id,
            sales_order_id=data.sales_order_id,
            warehouse_id=warehouse.id,
            expected_date=data.expected_date,
            note=data.note,
            lines=lines,
        )
        CUSTOMER_SUPPLIED.start(session, rt, notice, actor=actor_of(principal))
        return read_customer_supplied(session, notice, principal)


def list_customer_supplied(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[CustomerSuppliedSummary], str | None]:
    require(principal, "warehouses.read")
    query = select(CustomerSupplied).where(CUSTOMER_SUPPLIED.visible(principal))
    if state:
        query = query.where(CustomerSupplied.state == state)
    query = after_cursor(query, CustomerSupplied.id, cursor)
    with rt.db.reading() as session:
        rows, nxt = page_of(session.scalars(query.limit(limit + 1)).all(), limit)
        return customer_supplied_summaries(session, rows), nxt


def customer_not_arrived(session: Session, policy: Policy, task: Task, now: datetime) -> None:
    """The promised day passed and nothing was signed in: a slip for the business to take up
    with the customer — delay and fees (E12)."""
    notice = session.get(CustomerSupplied, task.document_id)
    if notice is None or notice.state != CS_EXPECTED or notice.exception_number:
        return
    slip = raise_slip(
        session,
        policy=policy,
        now=now,
        report=effects.customer_supplied_report(
            notice, "customer_supplied_late", t("exc.text.customer_not_arrived", "zh-CN")
        ),
        actor=SYSTEM,
    )
    notice.exception_number = slip.number
    session.flush()
    record_fact(
        session,
        CUSTOMER_SUPPLIED_LIFECYCLE,
        notice,
        "customer_late",
        actor=SYSTEM,
        now=now,
        policy=policy,
        payload={"exception": slip.number},
    )
    session.execute(update(Task).where(Task.id == task.id).values(next_check_at=None))


OVERDUE_ACTIONS["sign_in_customer_supplied"] = customer_not_arrived


# --- stock counts ---------------------------------------------------------------------------


def create_count(rt: Runtime, principal: Principal, data: CountCreate) -> CountRead:
    """A count sheet of what the books say lies in the location(s) now."""
    require(principal, "stock_counts.create")
    with rt.db.transaction() as session:
        problems = FieldErrors()
        warehouse = company_warehouse(session, principal.company_id, data.warehouse_code)
        if warehouse is None:
            problems.add("warehouse_code", "No such warehouse", "unknown_warehouse")
        problems.raise_if_any()
        assert warehouse is not None
        locations = ledger.locations_of(session, warehouse.id)
        if data.location_code:
            loc = locations.get(data.location_code)
            if loc is None:
                problems.add("location_code", "No such location", "unknown_location")
            problems.raise_if_any()
            scope = [loc]
        else:
            scope = [loc for loc in locations.values() if loc.kind == LocationKind.STORAGE]
        rows = session.execute(
            select(LocationStock.location_id, LocationStock.product_id, LocationStock.quantity)
            .join(Product, Product.id == LocationStock.product_id)
            .where(
                LocationStock.location_id.in_([loc.id for loc in scope if loc]),
                LocationStock.quantity != 0,
            )
            .order_by(LocationStock.location_id, Product.code)
        ).all()
        count = StockCount(
            company_id=principal.company_id,
            warehouse_id=warehouse.id,
            location_id=scope[0].id if data.location_code and scope[0] else None,
            reason=data.reason,
            lines=[
                StockCountLine(
                    line_no=i + 1,
                    location_id=row.location_id,
                    product_id=row.product_id,
                    book_quantity=row.quantity,
                )
                for i, row in enumerate(rows)
            ],
        )
        COUNTS.start(session, rt, count, actor=actor_of(principal), payload={"lines": len(rows)})
        return read_count(session, count, principal)


def list_counts(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[CountSummary], str | None]:
    require(principal, "warehouses.read")
    query = select(StockCount).where(COUNTS.visible(principal))
    if state:
        query = query.where(StockCount.state == state)
    query = after_cursor(query, StockCount.id, cursor)
    with rt.db.reading() as session:
        rows, nxt = page_of(session.scalars(query.limit(limit + 1)).all(), limit)
        return count_summaries(session, rows), nxt


# --- reading and steps, for every kind ------------------------------------------------------

KINDS: dict[str, tuple[DocumentKind[Any], Any]] = {
    "transfers": (TRANSFERS, read_transfer),
    "customer_supplied": (CUSTOMER_SUPPLIED, read_customer_supplied),
    "counts": (COUNTS, read_count),
}


def get(rt: Runtime, principal: Principal, kind: str, doc_id: int) -> Any:
    doc_kind, read = KINDS[kind]
    return get_document(rt, principal, doc_kind, doc_id, read)


def events(rt: Runtime, principal: Principal, kind: str, doc_id: int) -> list[EventRead]:
    return document_events(rt, principal, KINDS[kind][0], doc_id)


def step(
    rt: Runtime,
    principal: Principal,
    kind: str,
    doc_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> Any:
    doc_kind, read = KINDS[kind]
    return run_step(
        rt, principal, doc_kind, doc_id, name, fields, expected_version=expected_version, read=read
    )


# --- open supply for planning ---------------------------------------------------------------


@ports.open_supply.provide
def warehouse_supply(
    session: Session, *, company_ids: Collection[int], product_ids: Collection[int]
) -> list[ports.Supply]:
    """Transfers under way to a company (requested or shipped) and customer-supplied
    material promised and not yet signed in."""
    out: list[ports.Supply] = []
    for tr, line in session.execute(
        select(TransferOrder, TransferLine)
        .join(TransferLine, TransferLine.transfer_id == TransferOrder.id)
        .where(
            TransferOrder.to_company_id.in_(list(company_ids)),
            TransferOrder.state.in_([TR_REQUESTED, TR_SHIPPED]),
            TransferLine.to_product_id.in_(list(product_ids)),
        )
    ).all():
        out.append(
            ports.Supply(
                company_id=tr.to_company_id,
                product_id=line.to_product_id,
                quantity=line.quantity,
                available_on=tr.needed_by,
                source="transfer",
                reference=tr.number,
                sales_order_id=tr.sales_order_id,
            )
        )
    for notice, expected in session.execute(
        select(CustomerSupplied, CustomerSuppliedLine)
        .join(CustomerSuppliedLine, CustomerSuppliedLine.notice_id == CustomerSupplied.id)
        .where(
            CustomerSupplied.company_id.in_(list(company_ids)),
            CustomerSupplied.state == CS_EXPECTED,
            CustomerSuppliedLine.product_id.in_(list(product_ids)),
        )
    ).all():
        out.append(
            ports.Supply(
                company_id=notice.company_id,
                product_id=expected.product_id,
                quantity=expected.promised_quantity,
                available_on=notice.new_expected_date or notice.expected_date,
                source="customer_supplied",
                reference=notice.number,
                sales_order_id=notice.sales_order_id,
            )
        )
    return out
