"""Review use cases: open a review for an order, read it with what reviewers need to judge,
list reviews, apply steps (through the kit)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from orderflow.api.schemas import Money
from orderflow.core.access import require
from orderflow.core.errors import Conflict
from orderflow.core.events import Actor
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.paging import Keyset
from orderflow.core.workflow import StepContext
from orderflow.parties.models import Customer
from orderflow.review import classify as c
from orderflow.review import effects
from orderflow.review.flow import (
    DECLINED,
    PASSED,
    PENDING,
    WITHDRAWN,
    OpinionFacts,
    approval_blockers,
    make_lifecycle,
)
from orderflow.review.models import OrderReview, ReviewOpinion
from orderflow.review.promise import line_facts, promise_for
from orderflow.review.schemas import (
    CustomerHistory,
    OpinionRead,
    ReviewRead,
    ReviewSummary,
    StockLine,
)
from orderflow.runtime import Principal, Runtime
from orderflow.sales.credit import credit_position
from orderflow.sales.flow import CANCELLED, COMPLETED, DRAFT, OPEN_STATES
from orderflow.sales.models import SalesOrder, SalesOrderLine


def _assignee(doc: Any, role: str) -> int | None:
    return getattr(doc, "handler_id", None) if role == "sales_clerk" else None


LIFECYCLE = make_lifecycle(assignee_for=_assignee)

EFFECTS: Mapping[str, Any] = {
    "sign_off": effects.sign_off,
    "object": effects.object_,
    "record_meeting": effects.record_meeting,
    "request_extension": effects.request_extension,
    "customer_accepts": effects.customer_accepts,
    "approve": effects.approve,
    "approve_decline": effects.approve_decline,
    "withdraw": effects.withdraw,
}

REVIEWS: DocumentKind[OrderReview] = DocumentKind(
    model=OrderReview,
    lifecycle=LIFECYCLE,
    read_permission="reviews.read",
    effects=EFFECTS,
)

FINAL = (PASSED, DECLINED, WITHDRAWN)


def open_review(
    session: Session,
    rt: Runtime,
    order: SalesOrder,
    *,
    actor: Actor,
    kind: str = "order",
    change_id: int | None = None,
) -> OrderReview:
    """Route the order to its departments: one opinion and one task each (C2), the review
    meeting task above the threshold (C5), the rush warning to the customer (C7)."""
    live = session.scalar(
        select(OrderReview.number).where(
            OrderReview.order_id == order.id, OrderReview.state.not_in(FINAL)
        )
    )
    if live is not None:
        raise Conflict(f"{order.number} is already under review in {live}", review=live)
    routing_policy = rt.policy.review.routing
    if kind == "date_change":
        routing = list(routing_policy.date_change)
        regularity = order.regularity
    else:
        regularity = c.NON_REGULAR if kind == "structural_change" else order.regularity
        routing = c.routing_for(
            regularity=regularity, project=bool(order.project_name), routing=routing_policy
        )
    meeting = (
        kind != "date_change" and order.total_amount > rt.policy.thresholds.review_meeting_amount
    )
    rounds = session.scalar(
        select(func.count()).select_from(OrderReview).where(OrderReview.order_id == order.id)
    )
    promise = promise_for(session, rt, order)
    review = OrderReview(
        company_id=order.company_id,
        number="",
        order_id=order.id,
        order_number=order.number,
        kind=kind,
        round=(rounds or 0) + 1,
        change_id=change_id,
        handler_id=order.handler_id,
        regularity=regularity,
        routing=routing,
        meeting_needed=meeting,
        requested_date=order.requested_date,
        estimated_date=promise.earliest,
        estimate_source=promise.source,
        estimate_note=promise.limited_by[:300],
        opinions=[ReviewOpinion(role=role, state=PENDING, checked=[]) for role in routing],
    )
    signals = [f"review:{role}" for role in routing] + (["meeting_needed"] if meeting else [])
    REVIEWS.start(
        session,
        rt,
        review,
        actor=actor,
        payload={
            "order": order.number,
            "kind": kind,
            "routing": routing,
            "estimated_date": promise.earliest.isoformat(),
            "estimate_source": promise.source,
        },
        signals=signals,
    )
    if kind != "date_change":
        order.review_state = c.IN_REVIEW
    from orderflow.sales.service import ORDERS

    ORDERS.fact(
        session,
        rt,
        order,
        "review_started",
        actor=actor,
        payload={"review": review.number, "kind": kind, "routing": routing},
    )
    if order.rush and kind == "order" and order.contact_email:
        ctx = StepContext(session, order, actor, frozenset(), None, rt.now(), rt.policy)
        effects.tell_customer(
            ctx,
            order,
            "rush_warning",
            requested_date=order.requested_date.isoformat(),
            normal_date=promise.earliest.isoformat(),
        )
    return review


def start_review(rt: Runtime, principal: Principal, order_id: int) -> ReviewRead:
    """Start the review of an order (one at a time per order)."""
    require(principal, "reviews.start")
    from orderflow.sales.service import ORDERS

    with rt.db.transaction() as session:
        order = ORDERS.load(session, principal, order_id)
        if order.state != DRAFT:
            raise Conflict(f"{order.number} is {order.state}; only a draft order is reviewed")
        if order.review_state in (c.PASSED, c.DECLINED):
            raise Conflict(f"{order.number}'s review is already {order.review_state}")
        review = open_review(session, rt, order, actor=actor_of(principal))
        return read_review(session, review, principal)


# --- read -------------------------------------------------------------------------------


def _stock(session: Session, order: SalesOrder) -> list[StockLine]:
    facts = line_facts(session, order)
    product_ids = [ln.product_id for ln in order.lines]
    open_rows = session.execute(
        select(
            SalesOrderLine.product_id,
            func.count(func.distinct(SalesOrderLine.order_id)),
            func.sum(SalesOrderLine.quantity - SalesOrderLine.shipped_quantity),
        )
        .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
        .where(
            SalesOrderLine.product_id.in_(product_ids),
            SalesOrder.company_id == order.company_id,
            SalesOrder.id != order.id,
            SalesOrder.state.in_((DRAFT, *OPEN_STATES[:2])),
        )
        .group_by(SalesOrderLine.product_id)
    ).all()
    others = {pid: (n, qty) for pid, n, qty in open_rows}
    return [
        StockLine(
            line_no=ln.line_no,
            product_code=ln.product.code,
            product_name=ln.product.name,
            quantity=f"{ln.quantity.normalize():f}",
            available=f"{(f.available or Decimal(0)).normalize():f}",
            lead_time_days=ln.product.lead_time_days,
            open_orders=others.get(ln.product_id, (0, 0))[0],
            open_quantity=f"{Decimal(others.get(ln.product_id, (0, 0))[1] or 0).normalize():f}",
        )
        for ln, f in zip(order.lines, facts, strict=True)
    ]


def _customer(session: Session, rt: Runtime, order: SalesOrder) -> CustomerHistory:
    customer = session.get(Customer, order.customer_id)
    assert customer is not None
    history: Any = session.execute(
        select(
            func.count(),
            func.sum(case((SalesOrder.state == COMPLETED, 1), else_=0)),
            func.sum(case((SalesOrder.state == CANCELLED, 1), else_=0)),
            func.coalesce(func.sum(SalesOrder.total_amount), 0),
        ).where(SalesOrder.customer_id == customer.id, SalesOrder.id != order.id)
    ).one()
    n, done, cancelled, total = history
    exposure, left = credit_position(session, rt, customer)
    cur = order.currency
    return CustomerHistory(
        code=customer.code,
        name=customer.name,
        customer_class=customer.customer_class,
        region=customer.region,
        is_new=customer.is_new,
        orders=int(n or 0),
        completed=int(done or 0),
        cancelled=int(cancelled or 0),
        ordered_total=Money.of(Decimal(total), cur),
        credit_limit=Money.of(customer.credit_limit, cur),
        exposure=Money.of(exposure, cur),
        credit_available=Money.of(max(left, Decimal(0)), cur),
    )


def read_review(
    session: Session, review: OrderReview, principal: Principal, rt: Runtime | None = None
) -> ReviewRead:
    session.flush()
    order = session.get(SalesOrder, review.order_id)
    assert order is not None
    facts = [
        OpinionFacts(o.role, o.state, o.topic, o.feasible_date, o.resolved) for o in review.opinions
    ]
    return ReviewRead(
        id=review.id,
        number=review.number,
        state=review.state,
        version=review.version,
        kind=review.kind,
        round=review.round,
        order_id=review.order_id,
        order_number=review.order_number,
        change_id=review.change_id,
        regularity=review.regularity,
        category=order.category,
        classification_reasons=list(order.classification_reasons or []),
        rush=order.rush,
        total=Money.of(order.total_amount, order.currency),
        routing=list(review.routing),
        meeting_needed=review.meeting_needed,
        requested_date=review.requested_date,
        estimated_date=review.estimated_date,
        estimate_source=review.estimate_source,
        estimate_note=review.estimate_note,
        agreed_date=review.agreed_date,
        meeting_held_on=review.meeting_held_on,
        meeting_attendees=review.meeting_attendees,
        meeting_minutes=review.meeting_minutes,
        meeting_decisions=review.meeting_decisions,
        opinions=[
            OpinionRead(
                role=o.role,
                state=o.state,
                checked=list(o.checked or []),
                topic=o.topic,
                comment=o.comment,
                feasible_date=o.feasible_date,
                resolved=o.resolved,
                decided_by=o.decided_by_name,
                decided_at=o.decided_at,
            )
            for o in review.opinions
        ],
        blockers=[]
        if review.state in FINAL
        else approval_blockers(
            facts,
            meeting_needed=review.meeting_needed,
            meeting_held=review.meeting_held_on is not None,
        ),
        stock=_stock(session, order),
        customer=_customer(session, rt, order) if rt is not None else None,
        created_at=review.created_at,
        updated_at=review.updated_at,
        allowed_transitions=LIFECYCLE.allowed(review, principal.roles),
    )


def reader(rt: Runtime) -> Any:
    return lambda session, review, principal: read_review(session, review, principal, rt)


def get_review(rt: Runtime, principal: Principal, review_id: int) -> ReviewRead:
    return get_document(rt, principal, REVIEWS, review_id, reader(rt))


def apply_step(
    rt: Runtime,
    principal: Principal,
    review_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> ReviewRead:
    return run_step(
        rt,
        principal,
        REVIEWS,
        review_id,
        name,
        fields,
        expected_version=expected_version,
        read=reader(rt),
    )


def list_reviews(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | None = None,
    order_id: int | None = None,
    mine: bool = False,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[ReviewSummary], str | None]:
    """Newest first, a page at a time (``core.paging``); ``mine``: reviews waiting for one
    of the caller's departments."""
    require(principal, "reviews.read")
    page = Keyset.of(limit, cursor)
    query = select(OrderReview).where(REVIEWS.visible(principal))
    if state:
        query = query.where(OrderReview.state == state)
    if order_id is not None:
        query = query.where(OrderReview.order_id == order_id)
    if mine:
        waiting = select(ReviewOpinion.review_id).where(
            ReviewOpinion.state == PENDING, ReviewOpinion.role.in_(principal.roles)
        )
        query = query.where(OrderReview.id.in_(waiting), OrderReview.state.not_in(FINAL))
    with rt.db.reading() as session:
        rows, nxt = page.cut(session.scalars(page.apply(query, OrderReview.id)).all())
        return [
            ReviewSummary(
                id=r.id,
                number=r.number,
                state=r.state,
                kind=r.kind,
                order_id=r.order_id,
                order_number=r.order_number,
                routing=list(r.routing),
                pending=[o.role for o in r.opinions if o.state == PENDING],
                created_at=r.created_at,
            )
            for r in rows
        ], nxt


def reviews_of_order(session: Session, order_id: int) -> list[OrderReview]:
    return list(
        session.scalars(
            select(OrderReview).where(OrderReview.order_id == order_id).order_by(OrderReview.id)
        )
    )
