"""Design error notices (设计差错通知, G4): a design error found after drawings and
specifications were released is told in writing to production, quality and supply
(§技术部 3.6: 图纸、规范下发后，若发现有设计失误差错…通知生产部门、质检、供应等关联部门), each
of which confirms it knows. A document of its own beside the change notice: it changes no
order (a customer's change goes through a change notice) and answers to no customer; it
tells, and records who knew when.

Issuing opens a task for each department's head (``notify:<department>``, due
``deadlines.design_error_ack``), messages every role of each department in the app, is
recorded on the order's timeline, and raises an exception slip (异常单, kind
"design_error") through ``core.ports.raise_exception`` when the exceptions area is
installed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orderflow.auth.roles import DEPARTMENT_ROLES
from orderflow.changes import effects
from orderflow.changes.flow import DE_ISSUED, departments_of, design_lifecycle
from orderflow.changes.models import DesignErrorAck, DesignErrorNotice
from orderflow.changes.schemas import (
    DepartmentAck,
    DesignErrorCreate,
    DesignErrorRead,
    DesignErrorSummary,
)
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import Conflict
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.paging import Keyset
from orderflow.runtime import Principal, Runtime
from orderflow.sales.flow import CANCELLED, COMPLETED

DESIGN_LIFECYCLE = design_lifecycle(set().union(*DEPARTMENT_ROLES.values()))
DESIGN_ERRORS: DocumentKind[DesignErrorNotice] = DocumentKind(
    model=DesignErrorNotice,
    lifecycle=DESIGN_LIFECYCLE,
    read_permission="design_errors.read",
    effects={
        "acknowledge": effects.acknowledge_design_error,
        "withdraw": effects.withdraw_design_error,
    },
)


def read_design_error(
    session: Session, notice: DesignErrorNotice, principal: Principal
) -> DesignErrorRead:
    session.flush()
    acks = {ack.department: ack for ack in notice.acks}
    mine = departments_of(notice.departments, principal.roles, DEPARTMENT_ROLES)
    return DesignErrorRead(
        id=notice.id,
        number=notice.number,
        state=notice.state,
        version=notice.version,
        order_id=notice.order_id,
        order_number=notice.order_number,
        drawing=notice.drawing,
        description=notice.description,
        correction=notice.correction,
        issued_by=notice.issued_by,
        departments=[
            DepartmentAck(
                department=d,
                acknowledged_by=acks[d].name if d in acks else None,
                acknowledged_at=acks[d].at if d in acks else None,
                note=acks[d].note if d in acks else "",
            )
            for d in notice.departments
        ],
        mine_pending=[d for d in mine if d not in acks] if notice.state == DE_ISSUED else [],
        exception_number=notice.exception_number,
        created_at=notice.created_at,
        updated_at=notice.updated_at,
        allowed_transitions=DESIGN_LIFECYCLE.allowed(notice, principal.roles),
    )


def issue_design_error(
    rt: Runtime, principal: Principal, data: DesignErrorCreate
) -> DesignErrorRead:
    """A design error found after release, told to production, quality and supply (G4):
    a task for each department's head, an in-app message to each department, the order's
    timeline, and an exception slip when the exceptions area is installed."""
    require(principal, "design_errors.issue")
    from orderflow.sales.service import ORDERS

    with rt.db.transaction() as session:
        order = ORDERS.load(session, principal, data.order_id)
        if order.state in (CANCELLED, COMPLETED):
            raise Conflict(f"{order.number} is {order.state}")
        departments = list(rt.policy.changes.design_error_notify)
        notice = DesignErrorNotice(
            company_id=order.company_id,
            number="",
            order_id=order.id,
            order_number=order.number,
            drawing=data.drawing,
            description=data.description,
            correction=data.correction,
            departments=departments,
            issued_by=principal.display_name,
        )
        actor = actor_of(principal)
        DESIGN_ERRORS.start(
            session,
            rt,
            notice,
            actor=actor,
            payload={"order": order.number, "drawing": data.drawing, "notified": departments},
            signals=[f"notify:{d}" for d in departments],
        )
        effects.tell_departments(
            session,
            notice,
            kind="design_error",
            subject=f"设计差错通知 {notice.number}（{order.number}）/ Design error notice "
            f"{notice.number} ({order.number})",
            body=f"{data.drawing}\n事由 / What is wrong: {data.description}\n"
            f"更正 / Corrected: {data.correction}".strip(),
            at=rt.now(),
        )
        ORDERS.fact(
            session,
            rt,
            order,
            "design_error_reported",
            actor=actor,
            payload={"design_error": notice.number, "drawing": data.drawing},
        )
        if ports.raise_exception.connected:
            slip = ports.raise_exception(
                session,
                rt,
                ports.ExceptionReport(
                    company_id=notice.company_id,
                    kind="design_error",
                    description=f"{data.drawing} {data.description}\n{data.correction}".strip(),
                    source_document_type=notice.document_type,
                    source_document_id=notice.id,
                    source_number=notice.number,
                    sales_order_id=order.id,
                ),
                actor,
            )
            notice.exception_number = slip
            DESIGN_ERRORS.fact(
                session, rt, notice, "exception_raised", actor=actor, payload={"slip": slip}
            )
        return read_design_error(session, notice, principal)


def get_design_error(rt: Runtime, principal: Principal, notice_id: int) -> DesignErrorRead:
    return get_document(rt, principal, DESIGN_ERRORS, notice_id, read_design_error)


def design_error_step(
    rt: Runtime,
    principal: Principal,
    notice_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> DesignErrorRead:
    return run_step(
        rt,
        principal,
        DESIGN_ERRORS,
        notice_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_design_error,
    )


def list_design_errors(
    rt: Runtime,
    principal: Principal,
    *,
    order_id: int | None = None,
    state: str | None = None,
    mine: bool = False,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[DesignErrorSummary], str | None]:
    """Newest first, a page at a time; ``mine``: still to be confirmed by one of the
    caller's departments."""
    require(principal, "design_errors.read")
    page = Keyset.of(limit, cursor)
    query = select(DesignErrorNotice).where(DESIGN_ERRORS.visible(principal))
    if order_id is not None:
        query = query.where(DesignErrorNotice.order_id == order_id)
    if state:
        query = query.where(DesignErrorNotice.state == state)
    if mine:
        # Still to be confirmed by one of the caller's departments: fewer of their
        # departments have confirmed than the policy tells.
        ours = departments_of(
            rt.policy.changes.design_error_notify, principal.roles, DEPARTMENT_ROLES
        )
        confirmed = (
            select(func.count())
            .where(
                DesignErrorAck.notice_id == DesignErrorNotice.id,
                DesignErrorAck.department.in_(ours),
            )
            .scalar_subquery()
        )
        query = query.where(DesignErrorNotice.state == DE_ISSUED, confirmed < len(ours))
    with rt.db.reading() as session:
        rows, nxt = page.cut(session.scalars(page.apply(query, DesignErrorNotice.id)).all())
        return [
            DesignErrorSummary(
                id=n.id,
                number=n.number,
                state=n.state,
                order_id=n.order_id,
                order_number=n.order_number,
                drawing=n.drawing,
                pending=_pending(n),
                created_at=n.created_at,
            )
            for n in rows
        ], nxt


def _pending(notice: DesignErrorNotice) -> list[str]:
    if notice.state != DE_ISSUED:
        return []
    done = {ack.department for ack in notice.acks}
    return [d for d in notice.departments if d not in done]
