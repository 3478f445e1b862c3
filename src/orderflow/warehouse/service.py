"""Warehouse use cases: transfers between the group's companies, customer-supplied
materials, stock counts; each one transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from orderflow.api.schemas import EventRead
from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import FieldErrors, InsufficientStock
from orderflow.core.events import SYSTEM, Actor
from orderflow.core.kit import DocumentKind, actor_of, document_events, get_document, run_step
from orderflow.core.paging import after_cursor, page_of
from orderflow.core.sweeper import OVERDUE_ACTIONS
from orderflow.core.tasks import Task
from orderflow.core.workflow import record_fact
from orderflow.exception_slips.service import raise_slip
from orderflow.i18n import t
from orderflow.inventory import ledger
from orderflow.inventory import service as stock
from orderflow.inventory.group import counterpart, sister_companies
from orderflow.inventory.models import LocationKind, LocationStock, StockLevel, Warehouse
from orderflow.inventory.warehouses import company_warehouse
from orderflow.org.models import Company
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
    make_transfer_lifecycle,
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
    transfer_read,
    transfer_summaries,
)
from orderflow.warehouse.schemas import (
    CountCreate,
    CountRead,
    CountSummary,
    CustomerSuppliedCreate,
    CustomerSuppliedRead,
    CustomerSuppliedSummary,
    TransferCreate,
    TransferRead,
    TransferSummary,
)

ZERO = Decimal(0)

TRANSFER_LIFECYCLE = make_transfer_lifecycle()
CUSTOMER_SUPPLIED_LIFECYCLE = make_customer_supplied_lifecycle()
COUNT_LIFECYCLE = make_count_lifecycle()

TRANSFERS: DocumentKind[TransferOrder] = DocumentKind(
    model=TransferOrder,
    lifecycle=TRANSFER_LIFECYCLE,
    read_permission="transfers.read",
    effects={
        "ship": effects.ship_transfer,
        "receive": effects.receive_transfer,
        "refuse": effects.refuse_transfer,
        "cancel": effects.cancel_transfer,
    },
    load_options=(selectinload(TransferOrder.lines),),
    shared_with=TransferOrder.to_company_id,
)
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


def read_transfer(session: Session, tr: TransferOrder, principal: Principal) -> TransferRead:
    return transfer_read(session, tr, principal, TRANSFER_LIFECYCLE)


def read_customer_supplied(
    session: Session, notice: CustomerSupplied, principal: Principal
) -> CustomerSuppliedRead:
    return customer_supplied_read(session, notice, principal, CUSTOMER_SUPPLIED_LIFECYCLE)


def read_count(session: Session, count: StockCount, principal: Principal) -> CountRead:
    return count_read(session, count, principal, COUNT_LIFECYCLE)


# --- transfers (A5) -------------------------------------------------------------------------


def open_transfers(
    session: Session,
    rt: Runtime,
    needs: Sequence[ports.TransferNeed],
    actor: Actor,
    *,
    field: str = "needs",
) -> list[TransferOrder]:
    """Transfer documents for these needs, one per (supplying company, receiving company,
    sales order), shipped from the supplying warehouse with the most of the material free,
    which holds the goods from now on (A5: what is promised to a sister company is not free
    to sell). A need's product may be either company's: the other side is matched by
    product code. Refusals name ``{field}[i]``."""
    problems = FieldErrors()
    groups: dict[tuple[int, int, int | None], list[tuple[int, ports.TransferNeed]]] = {}
    for i, need in enumerate(needs):
        if need.quantity <= 0:
            problems.add(f"{field}[{i}].quantity", "Must be more than zero", "not_positive")
        groups.setdefault(
            (need.from_company_id, need.to_company_id, need.sales_order_id), []
        ).append((i, need))
    made: list[TransferOrder] = []
    plans = []
    for (source, dest, order_id), items in sorted(
        groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)
    ):
        if source not in {c.id for c in sister_companies(session, dest)}:
            for i, _ in items:
                problems.add(
                    f"{field}[{i}].from_company_id",
                    "Not a company of the same group",
                    "not_in_group",
                )
            continue
        lines = []
        for i, need in items:
            product = session.get(Product, need.product_id)
            if product is None or product.company_id not in (source, dest):
                problems.add(
                    f"{field}[{i}].product_id", "Not a product of either company", "unknown_product"
                )
                continue
            other = counterpart(
                session, product.id, dest if product.company_id == source else source
            )
            if other is None:
                problems.add(
                    f"{field}[{i}].product_id",
                    f"{product.code} is not a product of the other company",
                    "no_counterpart",
                )
                continue
            ours, theirs = (product, other) if product.company_id == source else (other, product)
            lines.append((i, ours, theirs, need))
        plans.append((source, dest, order_id, lines))
    problems.raise_if_any()
    for source, dest, order_id, lines in plans:
        from_wh = _fullest(session, source, [ours.id for _, ours, _, _ in lines])
        to_wh = company_warehouse(session, dest)
        if from_wh is None or to_wh is None:
            problems.add(field, "Both companies need a warehouse", "no_warehouse")
            problems.raise_if_any()
        assert from_wh is not None and to_wh is not None
        tr = TransferOrder(
            company_id=source,
            to_company_id=dest,
            from_warehouse_id=from_wh.id,
            to_warehouse_id=to_wh.id,
            sales_order_id=order_id,
            needed_by=min(need.needed_by for _, _, _, need in lines),
            origin="; ".join(dict.fromkeys(need.reason for _, _, _, need in lines if need.reason))[
                :300
            ],
            requested_by_id=actor.id,
            lines=[
                TransferLine(
                    line_no=k + 1,
                    from_product_id=ours.id,
                    to_product_id=theirs.id,
                    quantity=need.quantity,
                )
                for k, (_, ours, theirs, need) in enumerate(lines)
            ],
        )
        TRANSFERS.start(session, rt, tr, actor=actor, payload={"lines": len(lines)})
        _hold(session, rt, tr, [i for i, _, _, _ in lines], field)
        made.append(tr)
    return made


def _hold(session: Session, rt: Runtime, tr: TransferOrder, indexes: list[int], field: str) -> None:
    """Hold every line's goods at the supplying warehouse, in product order, or refuse the
    transfer naming the lines there is not that much free for."""
    short = FieldErrors()
    for i, line in sorted(zip(indexes, tr.lines, strict=True), key=lambda p: p[1].from_product_id):
        if not stock.hold_for_transfer(
            session,
            transfer_line_id=line.id,
            warehouse_id=tr.from_warehouse_id,
            product_id=line.from_product_id,
            quantity=line.quantity,
            at=rt.now(),
        ):
            short.add(
                f"{field}[{i}].quantity",
                f"Not {line.quantity.normalize():f} free at the supplying warehouse",
                "insufficient_stock",
            )
    if short:
        raise InsufficientStock(f"{tr.number}: not enough free to transfer", errors=short.items)


def _fullest(session: Session, company_id: int, product_ids: list[int]) -> Warehouse | None:
    row = session.execute(
        select(Warehouse, func.sum(StockLevel.on_hand - StockLevel.reserved).label("free"))
        .join(StockLevel, StockLevel.warehouse_id == Warehouse.id)
        .where(Warehouse.company_id == company_id, StockLevel.product_id.in_(product_ids))
        .group_by(Warehouse.id)
        .order_by(func.sum(StockLevel.on_hand - StockLevel.reserved).desc(), Warehouse.code)
        .limit(1)
    ).first()
    return row[0] if row else company_warehouse(session, company_id)


@ports.request_transfers.provide
def _request_transfers(
    session: Session, rt: Runtime, needs: list[ports.TransferNeed], actor: Actor
) -> list[str]:
    return [tr.number for tr in open_transfers(session, rt, needs, actor)]


def create_transfer(rt: Runtime, principal: Principal, data: TransferCreate) -> TransferRead:
    """Ask a sister company for stock by hand (the desk does it from requisitions too)."""
    require(principal, "transfers.create")
    with rt.db.transaction() as session:
        problems = FieldErrors()
        source = session.scalar(select(Company).where(Company.code == data.from_company))
        if source is None:
            problems.add("from_company", "No such company", "unknown_company")
        products = []
        for i, item in enumerate(data.lines):
            query = select(Product).where(Product.company_id == principal.company_id)
            product = session.scalar(
                query.where(Product.id == item.product_id)
                if item.product_id is not None
                else query.where(Product.code == item.product_code)
            )
            if product is None:
                problems.add(f"lines[{i}].product_code", "No such product", "unknown_product")
            products.append(product)
        problems.raise_if_any()
        assert source is not None
        made = open_transfers(
            session,
            rt,
            [
                ports.TransferNeed(
                    from_company_id=source.id,
                    to_company_id=principal.company_id,
                    product_id=product.id,
                    quantity=item.quantity,
                    needed_by=data.needed_by,
                    sales_order_id=data.sales_order_id,
                    reason=data.reason,
                )
                for product, item in zip(products, data.lines, strict=True)
                if product is not None
            ],
            actor_of(principal),
            field="lines",
        )
        return read_transfer(session, made[0], principal)


def list_transfers(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | None = None,
    direction: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[TransferSummary], str | None]:
    """``direction``: "out" (ours to ship), "in" (coming to us), else both."""
    require(principal, "transfers.read")
    query = select(TransferOrder).where(TRANSFERS.visible(principal))
    if direction == "out":
        query = query.where(TransferOrder.company_id == principal.company_id)
    elif direction == "in":
        query = query.where(TransferOrder.to_company_id == principal.company_id)
    if state:
        query = query.where(TransferOrder.state == state)
    query = after_cursor(query, TransferOrder.id, cursor).options(selectinload(TransferOrder.lines))
    with rt.db.reading() as session:
        rows, nxt = page_of(session.scalars(query.limit(limit + 1)).all(), limit)
        return transfer_summaries(session, rows), nxt


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
