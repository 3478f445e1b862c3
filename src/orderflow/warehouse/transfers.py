"""Transfers between the group's companies (调拨, A5): asked for by hand, by procurement
(transfer before buying) or by planning through the ``request_transfers`` port; the
supplying warehouse holds the goods from the moment a transfer is agreed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import FieldErrors, InsufficientStock
from orderflow.core.events import Actor
from orderflow.core.kit import DocumentKind, actor_of
from orderflow.core.paging import after_cursor, page_of
from orderflow.inventory import service as stock
from orderflow.inventory.group import counterpart, sister_companies
from orderflow.inventory.models import StockLevel, Warehouse
from orderflow.inventory.warehouses import company_warehouse
from orderflow.org.models import Company
from orderflow.runtime import Principal, Runtime
from orderflow.warehouse import effects
from orderflow.warehouse.flow import (
    make_transfer_lifecycle,
)
from orderflow.warehouse.models import (
    TransferLine,
    TransferOrder,
)
from orderflow.warehouse.read import (
    transfer_read,
    transfer_summaries,
)
from orderflow.warehouse.schemas import (
    TransferCreate,
    TransferRead,
    TransferSummary,
)

TRANSFER_LIFECYCLE = make_transfer_lifecycle()

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


def read_transfer(session: Session, tr: TransferOrder, principal: Principal) -> TransferRead:
    return transfer_read(session, tr, principal, TRANSFER_LIFECYCLE)


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
