"""Change-notice use cases, and the versions of an order with the diff of any two (G1-G3);
design error notices (G4) are in ``design_errors``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.changes import effects
from orderflow.changes.flow import (
    APPLIED,
    REJECTED,
    WITHDRAWN,
    ChangePatch,
    diff,
    make_lifecycle,
    suggested_impact,
)
from orderflow.changes.models import ChangeNotice
from orderflow.changes.schemas import (
    ChangeCreate,
    ChangeRead,
    ChangeSummary,
    ContractRef,
    DiffRowRead,
    VersionDiff,
    VersionRead,
)
from orderflow.changes.versions import snapshot, versions
from orderflow.core.access import require
from orderflow.core.errors import Conflict, FieldError, ValidationFailed
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.paging import Keyset
from orderflow.files import service as files
from orderflow.files.schemas import file_read
from orderflow.runtime import Principal, Runtime
from orderflow.sales.flow import CANCELLED, COMPLETED


def _assignee(doc: Any, role: str) -> int | None:
    if role != "sales_clerk":
        return None
    from orderflow.sales.models import SalesOrder

    session = Session.object_session(doc)
    order = session.get(SalesOrder, doc.order_id) if session else None
    return order.handler_id if order else None


LIFECYCLE = make_lifecycle(assignee_for=_assignee)
CHANGES: DocumentKind[ChangeNotice] = DocumentKind(
    model=ChangeNotice,
    lifecycle=LIFECYCLE,
    read_permission="changes.read",
    effects={"classify": effects.classify, "apply": effects.apply},
)
FINAL = (APPLIED, REJECTED, WITHDRAWN)


def read_change(
    session: Session, change: ChangeNotice, principal: Principal, rt: Runtime | None = None
) -> ChangeRead:
    session.flush()
    supplement = effects.supplementary_status(session, change, policy=rt.policy if rt else None)
    return ChangeRead(
        id=change.id,
        number=change.number,
        state=change.state,
        version=change.version,
        order_id=change.order_id,
        order_number=change.order_number,
        technical=change.technical,
        description=change.description,
        patch=change.patch,
        suggested_impact=suggested_impact(ChangePatch.model_validate(change.patch)),
        impact=change.impact,
        answer=change.answer,
        answered_at=change.answered_at,
        answered_by=change.answered_by,
        review_id=change.review_id,
        review_passed=change.review_passed,
        approval_file_id=change.approval_file_id,
        from_version=change.from_version,
        to_version=change.to_version,
        supplementary_needed=supplement.needed,
        supplementary_signed=supplement.signed,
        supplementary_contracts=[
            ContractRef(id=ct.id, number=ct.number, state=ct.state) for ct in supplement.contracts
        ],
        files=[file_read(f) for f in files.attachments_of(session, change)],
        created_at=change.created_at,
        updated_at=change.updated_at,
        allowed_transitions=LIFECYCLE.allowed(change, principal.roles),
    )


def create_change(rt: Runtime, principal: Principal, data: ChangeCreate) -> ChangeRead:
    """The customer's change, written down: the 30-minute answer task opens (G1)."""
    require(principal, "changes.create")
    from orderflow.sales.service import ORDERS

    with rt.db.transaction() as session:
        order = ORDERS.load(session, principal, data.order_id)
        if order.state in (CANCELLED, COMPLETED):
            raise Conflict(f"{order.number} is {order.state}; it can no longer change")
        open_one = session.scalar(
            select(ChangeNotice.number).where(
                ChangeNotice.order_id == order.id, ChangeNotice.state.not_in(FINAL)
            )
        )
        if open_one is not None:
            raise Conflict(f"{order.number} has an open change notice {open_one}; finish it first")
        change = ChangeNotice(
            company_id=order.company_id,
            number="",
            order_id=order.id,
            order_number=order.number,
            technical=data.technical,
            description=data.description,
            patch=data.patch.model_dump(mode="json", exclude_none=True, exclude_defaults=True),
        )
        CHANGES.start(
            session,
            rt,
            change,
            actor=actor_of(principal),
            payload={"order": order.number, "technical": data.technical},
        )
        ORDERS.fact(
            session,
            rt,
            order,
            "change_received",
            actor=actor_of(principal),
            payload={"change": change.number},
        )
        return read_change(session, change, principal, rt)


def attach_approval(
    rt: Runtime, principal: Principal, change_id: int, *, filename: str, data: bytes
) -> ChangeRead:
    """File the customer's written approval of a technical change (G3)."""
    with rt.db.transaction() as session:
        change = CHANGES.load(session, principal, change_id)
        require(principal, "changes.create")
        if change.state in FINAL:
            raise Conflict(f"{change.number} is {change.state}")
        row = files.store(
            session,
            rt.settings,
            change,
            purpose="customer_approval",
            filename=filename,
            data=data,
            actor=actor_of(principal),
            at=rt.now(),
        )
        change.approval_file_id = row.id
        CHANGES.fact(
            session,
            rt,
            change,
            "approval_filed",
            actor=actor_of(principal),
            payload={"file": row.id, "filename": row.filename},
        )
        return read_change(session, change, principal, rt)


def reader(rt: Runtime) -> Any:
    return lambda session, change, principal: read_change(session, change, principal, rt)


def get_change(rt: Runtime, principal: Principal, change_id: int) -> ChangeRead:
    return get_document(rt, principal, CHANGES, change_id, reader(rt))


def apply_step(
    rt: Runtime,
    principal: Principal,
    change_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> ChangeRead:
    return run_step(
        rt,
        principal,
        CHANGES,
        change_id,
        name,
        fields,
        expected_version=expected_version,
        read=reader(rt),
    )


def list_changes(
    rt: Runtime,
    principal: Principal,
    *,
    order_id: int | None = None,
    state: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[ChangeSummary], str | None]:
    """Newest first, a page at a time (``core.paging``)."""
    require(principal, "changes.read")
    page = Keyset.of(limit, cursor)
    query = select(ChangeNotice).where(CHANGES.visible(principal))
    if order_id is not None:
        query = query.where(ChangeNotice.order_id == order_id)
    if state:
        query = query.where(ChangeNotice.state == state)
    with rt.db.reading() as session:
        rows, nxt = page.cut(session.scalars(page.apply(query, ChangeNotice.id)).all())
        return [
            ChangeSummary(
                id=c.id,
                number=c.number,
                state=c.state,
                order_id=c.order_id,
                order_number=c.order_number,
                technical=c.technical,
                impact=c.impact,
                created_at=c.created_at,
            )
            for c in rows
        ], nxt


# --- versions of an order ----------------------------------------------------------------


def order_versions(rt: Runtime, principal: Principal, order_id: int) -> list[VersionRead]:
    """Every kept version, and the order as it stands now when that differs from the last."""
    from orderflow.sales.service import ORDERS

    with rt.db.reading() as session:
        order = ORDERS.load(session, principal, order_id)
        kept = [
            VersionRead(
                version_no=v.version_no,
                reason=v.reason,
                created_at=v.created_at,
                created_by=v.created_by_name,
                snapshot=v.snapshot,
            )
            for v in versions(session, order.id)
        ]
        now = snapshot(order)
        if not kept or kept[-1].snapshot != now:
            kept.append(
                VersionRead(
                    version_no=len(kept) + 1,
                    reason="current" if kept else "original",
                    created_at=None if kept else order.created_at,
                    created_by="",
                    snapshot=now,
                )
            )
        return kept


def version_diff(rt: Runtime, principal: Principal, order_id: int, a: int, b: int) -> VersionDiff:
    kept = {v.version_no: v for v in order_versions(rt, principal, order_id)}
    missing = [
        FieldError(name, f"No version {n}; there are 1 to {len(kept)}", "unknown_version")
        for name, n in (("a", a), ("b", b))
        if n not in kept
    ]
    if missing:
        raise ValidationFailed.of(missing)
    rows = diff(kept[a].snapshot, kept[b].snapshot)
    return VersionDiff(
        order_id=order_id,
        a=a,
        b=b,
        rows=[DiffRowRead(field=r.field, before=r.before, after=r.after) for r in rows],
    )
