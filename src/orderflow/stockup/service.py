"""Stock-up notice use cases (B9): issue one for an order, read, list, cancel."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from orderflow.contracts.effects import make_effective
from orderflow.core.access import require
from orderflow.core.errors import Conflict
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.paging import Keyset, first_id
from orderflow.parties.models import Customer
from orderflow.review import classify as c
from orderflow.runtime import Principal, Runtime
from orderflow.sales.flow import CANCELLED, COMPLETED
from orderflow.sales.models import SalesOrder
from orderflow.stockup import effects
from orderflow.stockup.flow import make_lifecycle
from orderflow.stockup.models import StockUpNotice
from orderflow.stockup.schemas import StockUpCreate, StockUpRead, StockUpSummary


def _their_orders(principal: Principal) -> ColumnElement[bool]:
    """A notice is seen by those who may see its order (a salesperson: their own)."""
    from orderflow.sales.service import ORDERS

    return StockUpNotice.order_id.in_(select(SalesOrder.id).where(ORDERS.visible(principal)))


LIFECYCLE = make_lifecycle()
STOCK_UPS: DocumentKind[StockUpNotice] = DocumentKind(
    model=StockUpNotice,
    lifecycle=LIFECYCLE,
    read_permission="orders.read",
    effects={"cancel": effects.cancel},
    scope=_their_orders,
)


def read_stock_up(session: Session, notice: StockUpNotice, principal: Principal) -> StockUpRead:
    session.flush()
    order = session.get(SalesOrder, notice.order_id)
    assert order is not None
    customer = session.get(Customer, order.customer_id)
    return StockUpRead(
        id=notice.id,
        number=notice.number,
        state=notice.state,
        version=notice.version,
        order_id=notice.order_id,
        order_number=notice.order_number,
        customer_name=customer.name if customer else "",
        reason=notice.reason,
        needed_by=notice.needed_by,
        lines=list(notice.lines or []),
        issued_by=notice.issued_by,
        order_effective_at=order.effective_at,
        order_effective_by=order.effective_by,
        created_at=notice.created_at,
        updated_at=notice.updated_at,
        allowed_transitions=LIFECYCLE.allowed(notice, principal.roles),
    )


def order_lines(order: SalesOrder) -> list[dict[str, Any]]:
    """What production is to stock up: the order's lines as they stand."""
    return [
        {
            "line_no": ln.line_no,
            "product_code": ln.product.code,
            "product_name": ln.product.name,
            "model_spec": ln.product.model_spec,
            "quantity": f"{ln.quantity.normalize():f}",
            "unit": ln.product.unit,
        }
        for ln in order.lines
    ]


def issue_stock_up(rt: Runtime, principal: Principal, data: StockUpCreate) -> StockUpRead:
    """备货通知单 before the contract: the order is effective at once and production is
    told (B9); the planner's production instruction task opens as for a verified deposit."""
    require(principal, "stock_up.issue")
    from orderflow.sales.service import ORDERS

    with rt.db.transaction() as session:
        order = ORDERS.load(session, principal, data.order_id)
        if order.state in (CANCELLED, COMPLETED) or order.review_state == c.DECLINED:
            raise Conflict(f"{order.number} is {order.state}; no stock-up for it")
        if order.effective_at is not None:
            raise Conflict(f"{order.number} is effective already ({order.effective_by})")
        needed_by = data.needed_by or order.requested_date
        notice = StockUpNotice(
            company_id=order.company_id,
            number="",
            order_id=order.id,
            order_number=order.number,
            reason=data.reason,
            issued_by=principal.display_name,
            needed_by=needed_by,
            lines=order_lines(order),
        )
        actor = actor_of(principal)
        STOCK_UPS.start(
            session,
            rt,
            notice,
            actor=actor,
            payload={"order": order.number, "needed_by": needed_by.isoformat()},
        )
        make_effective(
            session,
            order,
            by="stock_up",
            reference=notice.number,
            actor=actor,
            now=rt.now(),
            policy=rt.policy,
        )
        effects.tell_production(
            session,
            notice,
            kind="stock_up_issued",
            subject=f"备货通知单 {notice.number}（{order.number}）/ Stock-up notice "
            f"{notice.number} ({order.number})",
            body="\n".join(
                [
                    f"交货 / needed by: {needed_by.isoformat()}",
                    *(
                        f"#{ln['line_no']} {ln['product_code']} {ln['product_name']} "
                        f"× {ln['quantity']} {ln['unit']}"
                        for ln in notice.lines
                    ),
                    data.reason,
                ]
            ),
            at=rt.now(),
        )
        return read_stock_up(session, notice, principal)


def get_stock_up(rt: Runtime, principal: Principal, notice_id: int) -> StockUpRead:
    return get_document(rt, principal, STOCK_UPS, notice_id, read_stock_up)


def apply_step(
    rt: Runtime,
    principal: Principal,
    notice_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> StockUpRead:
    return run_step(
        rt,
        principal,
        STOCK_UPS,
        notice_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_stock_up,
    )


def list_stock_ups(
    rt: Runtime,
    principal: Principal,
    *,
    order_id: int | None = None,
    state: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[StockUpSummary], str | None]:
    """Newest first, a page at a time (``core.paging``)."""
    require(principal, "orders.read")
    page = Keyset.of(limit, cursor)
    query = (
        select(StockUpNotice, Customer.name)
        .join(SalesOrder, SalesOrder.id == StockUpNotice.order_id)
        .join(Customer, Customer.id == SalesOrder.customer_id)
        .where(STOCK_UPS.visible(principal))
    )
    if order_id is not None:
        query = query.where(StockUpNotice.order_id == order_id)
    if state:
        query = query.where(StockUpNotice.state == state)
    with rt.db.reading() as session:
        rows, nxt = page.cut(session.execute(page.apply(query, StockUpNotice.id)).all(), first_id)
        return [
            StockUpSummary(
                id=n.id,
                number=n.number,
                state=n.state,
                order_id=n.order_id,
                order_number=n.order_number,
                customer_name=name,
                needed_by=n.needed_by,
                issued_by=n.issued_by,
                created_at=n.created_at,
            )
            for n, name in rows
        ], nxt
