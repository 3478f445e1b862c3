"""What every document type needs beyond its own rules, written once.

An area declares one ``DocumentKind`` (its model, lifecycle, effects, read permission and,
where it has one, a narrower visibility) and gets from it: loading a document for a caller
(404 unless it is theirs to see), starting one (number, first event, first tasks),
applying a step, recording a fact, and reading the timeline. The API routes in
``api/documents.py`` and the page helpers in ``web/documents.py`` are built on the same
kind, so a purchase order, an inspection or a review is driven exactly like an order.

Methods taking a ``session`` run inside the caller's transaction (one use case, one
commit); ``run_step``, ``get_document`` and ``document_events`` open their own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from orderflow.api.schemas import EventRead
from orderflow.core.access import require
from orderflow.core.documents import DocumentMixin
from orderflow.core.errors import NotFound, OrderFlowError
from orderflow.core.events import Actor, timeline
from orderflow.core.numbering import next_number
from orderflow.core.workflow import (
    Effect,
    Lifecycle,
    StepResult,
    apply_transition,
    record_fact,
    start_document,
)
from orderflow.policy.loader import Policy
from orderflow.runtime import Principal, Runtime

log = logging.getLogger(__name__)

D = TypeVar("D", bound=DocumentMixin)
R = TypeVar("R")


#: Every declared kind by document type: lets generic code (attachments, links) load any
#: document for a caller with that kind's visibility rules.
KINDS: dict[str, DocumentKind[Any]] = {}


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.id, principal.display_name)


@dataclass(frozen=True)
class DocumentKind(Generic[D]):
    model: type[D]
    lifecycle: Lifecycle
    #: A key of ``auth.roles.PERMISSIONS``: who may see documents of this kind at all.
    read_permission: str
    #: The step name → what the step does beyond its state change.
    effects: Mapping[str, Effect] = field(default_factory=dict)
    #: Narrows what a caller sees within their company (a salesperson: own orders only).
    scope: Callable[[Principal], ColumnElement[bool]] | None = None
    #: Loader options for ``load`` (``selectinload(Model.lines)``…).
    load_options: tuple[Any, ...] = ()
    #: The step name → what to do, in a transaction of its own, when ``run_step`` refuses
    #: that step (its own transaction rolled back whole): a confirmation refused for a
    #: stock shortage still tells the customer of it (B6). The hook may add to the
    #: refusal's ``extra`` (what the API answers); the refusal is raised as it was.
    refusals: Mapping[str, RefusalHook] = field(default_factory=dict)
    #: A second company column whose company sees the document too: a transfer between
    #: the group's companies (调拨) belongs to the supplying company and is received by
    #: the other.
    shared_with: Any = None

    def __post_init__(self) -> None:
        KINDS[self.model.document_type] = self

    @property
    def document_type(self) -> str:
        return self.model.document_type

    def visible(self, principal: Principal) -> ColumnElement[bool]:
        """Documents this caller may see: their company's, narrowed by ``scope``."""
        clause: ColumnElement[bool] = self.model.company_id == principal.company_id
        if self.shared_with is not None:
            clause = or_(clause, self.shared_with == principal.company_id)
        if self.scope is not None:
            clause = and_(clause, self.scope(principal))
        return clause

    def load(self, session: Session, principal: Principal, doc_id: int) -> D:
        """The document, or 404 when it does not exist or is not this caller's to see."""
        require(principal, self.read_permission)
        doc = session.scalar(
            select(self.model)
            .where(self.model.id == doc_id, self.visible(principal))
            .options(*self.load_options)
        )
        if doc is None:
            raise NotFound(f"No {self.document_type} {doc_id}")
        return doc

    def allowed(self, doc: D, principal: Principal) -> list[str]:
        return self.lifecycle.allowed(doc, principal.roles)

    def start(
        self,
        session: Session,
        rt: Runtime,
        doc: D,
        *,
        actor: Actor,
        payload: dict[str, Any] | None = None,
        signals: Collection[str] = (),
    ) -> StepResult:
        """Save a new document: its number (if it has none yet), first event and tasks;
        ``signals`` are extra facts for the task rules."""
        now = rt.now()
        if not doc.number:
            doc.number = next_number(
                session,
                company_id=doc.company_id,
                prefix=self.model.number_prefix,
                year=now.astimezone(rt.policy.zone).year,
                gapless=self.model.number_prefix in rt.policy.numbering.gapless,
            )
        return start_document(
            session,
            self.lifecycle,
            doc,
            actor=actor,
            now=now,
            policy=rt.policy,
            payload=payload,
            signals=signals,
        )

    def step(
        self,
        session: Session,
        rt: Runtime,
        doc: D,
        name: str,
        *,
        principal: Principal,
        fields: Mapping[str, Any] | None = None,
        expected_version: int | None = None,
    ) -> StepResult:
        """Apply step ``name`` as ``principal``: checked whole first, then done whole."""
        return apply_transition(
            session,
            self.lifecycle,
            doc,
            name,
            actor=actor_of(principal),
            roles=principal.roles,
            fields=fields,
            now=rt.now(),
            policy=rt.policy,
            expected_version=expected_version,
            effect=self.effects.get(name),
            runtime=rt,
        )

    def fact(
        self,
        session: Session,
        rt: Runtime,
        doc: D,
        name: str,
        *,
        actor: Actor,
        payload: dict[str, Any] | None = None,
        reason: str | None = None,
        signals: Collection[str] = (),
    ) -> StepResult:
        """Record on ``doc`` something another document brought about (no state change);
        the policy's task rules see ``name`` (and any extra ``signals``) as signals."""
        return self.fact_in(
            session,
            doc,
            name,
            actor=actor,
            now=rt.now(),
            policy=rt.policy,
            payload=payload,
            reason=reason,
            signals=signals,
        )

    def fact_in(
        self,
        session: Session,
        doc: D,
        name: str,
        *,
        actor: Actor,
        now: datetime,
        policy: Policy,
        payload: dict[str, Any] | None = None,
        reason: str | None = None,
        signals: Collection[str] = (),
    ) -> StepResult:
        """``fact`` from inside another document's step effect, which has the step's clock
        and policy (``StepContext.now`` / ``.policy``) rather than a runtime."""
        return record_fact(
            session,
            self.lifecycle,
            doc,
            name,
            actor=actor,
            now=now,
            policy=policy,
            payload=payload,
            reason=reason,
            signals=signals,
        )

    def step_in(
        self,
        session: Session,
        doc: D,
        name: str,
        *,
        actor: Actor,
        roles: Collection[str],
        now: datetime,
        policy: Policy,
        fields: Mapping[str, Any] | None = None,
        runtime: Runtime | None = None,
    ) -> StepResult:
        """Apply a step of this kind from inside another document's step effect (a review
        declined by the general manager cancels its order), with the same checks."""
        return apply_transition(
            session,
            self.lifecycle,
            doc,
            name,
            actor=actor,
            roles=roles,
            fields=fields,
            now=now,
            policy=policy,
            effect=self.effects.get(name),
            runtime=runtime,
        )


Reader = Callable[[Session, D, Principal], R]
"""Turns a loaded document into what the API answers and the pages show."""

RefusalHook = Callable[[Runtime, Principal, int, OrderFlowError], None]
"""``(rt, principal, doc_id, refusal)``: a step's follow-up after it was refused."""


def get_document(
    rt: Runtime, principal: Principal, kind: DocumentKind[D], doc_id: int, read: Reader[D, R]
) -> R:
    with rt.db.reading() as session:
        return read(session, kind.load(session, principal, doc_id), principal)


def run_step(
    rt: Runtime,
    principal: Principal,
    kind: DocumentKind[D],
    doc_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
    read: Reader[D, R],
) -> R:
    """One step as one use case: load for this caller, apply, answer the document as now.
    A refused step changes nothing; the kind's refusal hook for it, if any, runs after."""
    try:
        with rt.db.transaction() as session:
            doc = kind.load(session, principal, doc_id)
            kind.step(
                session,
                rt,
                doc,
                name,
                principal=principal,
                fields=fields,
                expected_version=expected_version,
            )
            session.flush()
            return read(session, doc, principal)
    except OrderFlowError as refusal:
        hook = kind.refusals.get(name)
        if hook is not None and refusal.status != 404:
            try:
                hook(rt, principal, doc_id, refusal)
            except Exception:
                # The follow-up must never hide the refusal the caller needs to see.
                log.exception("after refusing %s %s on %s", kind.document_type, doc_id, name)
        raise


def events_of(session: Session, doc: DocumentMixin) -> list[EventRead]:
    return [
        EventRead(
            seq=e.seq,
            name=e.name,
            actor=e.actor_name,
            at=e.at,
            from_state=e.from_state,
            to_state=e.to_state,
            payload=e.payload,
            reason=e.reason,
        )
        for e in timeline(session, doc.document_type, doc.id)
    ]


def document_events(
    rt: Runtime, principal: Principal, kind: DocumentKind[D], doc_id: int
) -> list[EventRead]:
    """The document's timeline, oldest first (404 unless the caller may see it)."""
    with rt.db.reading() as session:
        return events_of(session, kind.load(session, principal, doc_id))
