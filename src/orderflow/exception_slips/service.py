"""Exception slip use cases: raise (from any area, through the port, or by hand), read,
step, and the counts the KPIs read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from orderflow.api.schemas import EventRead, Money
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import FieldError, ValidationFailed
from orderflow.core.events import Actor
from orderflow.core.idempotency import once
from orderflow.core.kit import DocumentKind, actor_of, document_events, get_document, run_step
from orderflow.core.numbering import next_number
from orderflow.core.paging import after_cursor, page_of
from orderflow.core.tasks import Task, overdue_clause
from orderflow.core.workflow import start_document
from orderflow.exception_slips import effects
from orderflow.exception_slips.flow import (
    OPEN,
    count_by_class,
    count_by_kind,
    make_lifecycle,
    owner_roles,
    signals_for,
)
from orderflow.exception_slips.models import ExceptionSlip
from orderflow.exception_slips.read import slip_read, summary
from orderflow.exception_slips.schemas import (
    ExceptionCounts,
    KindCountRead,
    SlipCreate,
    SlipRead,
    SlipSummary,
)
from orderflow.i18n import t
from orderflow.notify.service import queue_staff
from orderflow.policy.loader import Policy
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder

LIFECYCLE = make_lifecycle()

SLIPS: DocumentKind[ExceptionSlip] = DocumentKind(
    model=ExceptionSlip,
    lifecycle=LIFECYCLE,
    read_permission="exceptions.read",
    effects={
        "assign": effects.assign,
        "decide": effects.decide,
        "close": effects.close,
        "reopen": effects.reopen,
    },
)


def read_slip(session: Session, slip: ExceptionSlip, principal: Principal) -> SlipRead:
    return slip_read(session, slip, principal, LIFECYCLE)


# --- raising ------------------------------------------------------------------------------


def raise_slip(
    session: Session, *, policy: Policy, now: datetime, report: ports.ExceptionReport, actor: Actor
) -> ExceptionSlip:
    """Open a slip in the caller's transaction, route it, and tell whom the policy names.

    Takes the policy and the time rather than a runtime so the deadline sweeper can raise
    slips too (a supplier still unconfirmed two working days before the planned date)."""
    owners, routes = owner_roles(policy, report.kind, report.routes)
    slip = ExceptionSlip(
        company_id=report.company_id,
        number=next_number(
            session,
            company_id=report.company_id,
            prefix=ExceptionSlip.number_prefix,
            year=now.astimezone(policy.zone).year,
        ),
        kind=report.kind,
        description=report.description,
        source_document_type=report.source_document_type or None,
        source_document_id=report.source_document_id or None,
        source_number=report.source_number,
        sales_order_id=report.sales_order_id,
        supplier_id=report.supplier_id,
        assignees=dict(report.assignees) or None,
        routes=routes,
        owner_roles=owners,
        raised_by_id=actor.id,
        details=dict(report.details),
    )
    start_document(
        session,
        LIFECYCLE,
        slip,
        actor=actor,
        now=now,
        policy=policy,
        payload={"kind": report.kind, "routes": routes, "source": report.source_number},
        signals=signals_for(report.kind, routes),
    )
    for role in policy.exceptions.inform.get(report.kind, []):
        params = {
            "number": slip.number,
            "kind": t(f"exc.kind.{report.kind}", "zh-CN"),
            "source": report.source_number or "-",
            "description": report.description,
        }
        queue_staff(
            session,
            company_id=slip.company_id,
            kind="exception_raised",
            role=role,
            user_id=None,
            subject=t("exc.inform.subject", "zh-CN", **params),
            body=t("exc.inform.body", "zh-CN", **params),
            at=now,
            doc=slip,
        )
    return slip


@ports.raise_exception.provide
def _raise_exception(
    session: Session, rt: Runtime, report: ports.ExceptionReport, actor: Actor
) -> str:
    """The port every area calls: the new slip's number."""
    return raise_slip(session, policy=rt.policy, now=rt.now(), report=report, actor=actor).number


def create_slip(
    rt: Runtime, principal: Principal, data: SlipCreate, *, idempotency_key: str | None = None
) -> SlipRead:
    """Raise a slip by hand: anyone in the company may report a problem."""
    require(principal, "exceptions.raise")

    def create(session: Session) -> SlipRead:
        order_id = None
        if data.sales_order_id is not None:
            order_id = session.scalar(
                select(SalesOrder.id).where(
                    SalesOrder.id == data.sales_order_id,
                    SalesOrder.company_id == principal.company_id,
                )
            )
            if order_id is None:
                raise ValidationFailed.of(
                    [FieldError("sales_order_id", "No such order", "unknown_order")]
                )
        slip = raise_slip(
            session,
            policy=rt.policy,
            now=rt.now(),
            report=ports.ExceptionReport(
                company_id=principal.company_id,
                kind=data.kind,
                description=data.description,
                source_document_type="",
                source_document_id=0,
                source_number=data.source_number,
                sales_order_id=order_id,
            ),
            actor=actor_of(principal),
        )
        return read_slip(session, slip, principal)

    return once(
        rt,
        principal,
        scope="exceptions.create",
        body=data,
        key=idempotency_key,
        create=create,
        model=SlipRead,
    )


# --- reading and steps ----------------------------------------------------------------------


def get_slip(rt: Runtime, principal: Principal, slip_id: int) -> SlipRead:
    return get_document(rt, principal, SLIPS, slip_id, read_slip)


def slip_events(rt: Runtime, principal: Principal, slip_id: int) -> list[EventRead]:
    return document_events(rt, principal, SLIPS, slip_id)


def apply_step(
    rt: Runtime,
    principal: Principal,
    slip_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> SlipRead:
    return run_step(
        rt,
        principal,
        SLIPS,
        slip_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_slip,
    )


def list_slips(
    rt: Runtime,
    principal: Principal,
    *,
    state: str | None = None,
    kind: str | None = None,
    mine: bool = False,
    overdue: bool = False,
    source_number: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[SlipSummary], str | None]:
    """Newest first. ``mine``: the slips whose tasks are the caller's roles' or theirs."""
    require(principal, "exceptions.read")
    limit = max(1, min(limit, 200))
    query = select(ExceptionSlip).where(SLIPS.visible(principal))
    if state:
        query = query.where(ExceptionSlip.state == state)
    if kind:
        query = query.where(ExceptionSlip.kind == kind)
    if source_number:
        query = query.where(ExceptionSlip.source_number == source_number)
    if mine or overdue:
        tasks = select(Task.document_id).where(
            Task.document_type == ExceptionSlip.document_type,
            Task.company_id == principal.company_id,
            Task.state == OPEN,
        )
        if mine:
            tasks = tasks.where(
                or_(
                    Task.role.in_(principal.roles),
                    Task.escalated_role.in_(principal.roles),
                    Task.assignee_id == principal.id,
                )
            )
        if overdue:
            tasks = tasks.where(overdue_clause(rt.now()))
        query = query.where(
            or_(ExceptionSlip.id.in_(tasks), ExceptionSlip.owner_id == principal.id)
            if mine
            else ExceptionSlip.id.in_(tasks)
        )
    query = after_cursor(query, ExceptionSlip.id, cursor)
    with rt.db.reading() as session:
        rows, nxt = page_of(session.scalars(query.limit(limit + 1)).all(), limit)
        return [summary(s) for s in rows], nxt


# --- counts for the KPIs (N2) ---------------------------------------------------------------


def exception_counts(
    rt: Runtime, principal: Principal, *, since: date | None = None, until: date | None = None
) -> ExceptionCounts:
    """Slips raised from ``since`` to ``until`` (company days, both included; default: this
    month so far), by kind with their states, liability and cost, and by KPI class."""
    require(principal, "exceptions.read")
    zone = rt.policy.zone
    today = rt.today()
    until = until or today
    since = since or today.replace(day=1)
    if since > until:
        raise ValidationFailed.of([FieldError("since", "Must not be after until", "bad_period")])
    start = datetime.combine(since, time(0), zone)
    end = datetime.combine(until + timedelta(days=1), time(0), zone)
    with rt.db.reading() as session:
        rows = session.execute(
            select(
                ExceptionSlip.kind, ExceptionSlip.state, ExceptionSlip.liability, ExceptionSlip.cost
            ).where(
                SLIPS.visible(principal),
                ExceptionSlip.created_at >= start,
                ExceptionSlip.created_at < end,
            )
        ).all()
    counts = count_by_kind((r.kind, r.state, r.liability, r.cost) for r in rows)
    currency = rt.settings.default_currency
    return ExceptionCounts(
        since=since,
        until=until,
        total=sum(c.raised for c in counts),
        kinds=[
            KindCountRead(
                kind=c.kind,
                raised=c.raised,
                open=c.open,
                decided=c.decided,
                closed=c.closed,
                cancelled=c.cancelled,
                cost=Money.of(c.cost, currency),
                by_liability=c.by_liability,
            )
            for c in counts
        ],
        classes=count_by_class(rt.policy, counts),
    )
