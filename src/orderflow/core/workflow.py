"""The workflow engine: lifecycles declared as data, applied by one function.

A document type declares its states and transitions (name, from, to, roles, guard, fields).
``apply_transition`` checks everything first (the step exists, the caller's role, the
current state, the version, the fields, the guard), then acts: the effect, the state, the
event, the tasks opened and closed. All in the caller's transaction, so it happens whole
or not at all. A step that is not allowed raises; nothing is ever silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from orderflow.core.documents import DocumentMixin
from orderflow.core.errors import (
    FieldError,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
    VersionMismatch,
    validate,
)
from orderflow.core.events import Actor, Event, record_event
from orderflow.core.persist import insert_new, write_changes
from orderflow.core.tasks import DueResolver, TaskChanges, apply_task_rules
from orderflow.policy.loader import Policy

CREATE = "create"
#: A step whose next state its effect decides (from facts), e.g. shipped vs partially shipped.
DERIVED = "*derived*"

Guard = Callable[[DocumentMixin, Any], None]
"""Raises a domain error when the step may not happen to this document with these fields."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    fields: type[BaseModel] | None = None
    guard: Guard | None = None
    #: A reason is required (cancel, object, decline): it goes into the event.
    needs_reason: bool = False


def step(
    name: str, sources: Collection[str], target: str, roles: Collection[str], **options: Any
) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(roles), **options)


@dataclass(frozen=True)
class Lifecycle:
    document_type: str
    states: tuple[str, ...]
    initial: str
    transitions: Mapping[str, Transition]
    #: Named due-time resolvers the policy may refer to ("@payment_terms").
    resolvers: Mapping[str, DueResolver] = field(default_factory=dict)
    #: Picks the person for a task of a role on this document, or None for the role's queue.
    assignee_for: Callable[[DocumentMixin, str], int | None] = lambda doc, role: None

    def __post_init__(self) -> None:
        for tr in self.transitions.values():
            unknown = (tr.sources | ({tr.target} - {DERIVED})) - set(self.states)
            if unknown:
                raise ValueError(
                    f"{self.document_type}.{tr.name} names unknown states {sorted(unknown)}"
                )

    def allowed(self, doc: DocumentMixin, roles: Collection[str]) -> list[str]:
        """The steps this caller may apply now (guards with fields are checked on apply)."""
        return [
            tr.name
            for tr in self.transitions.values()
            if doc.state in tr.sources and tr.roles & set(roles)
        ]


@dataclass
class StepContext:
    """What an effect gets: everything about the step being applied."""

    session: Session
    doc: DocumentMixin
    actor: Actor
    roles: frozenset[str]
    fields: Any
    now: datetime
    policy: Policy
    #: Facts the effect reports for task rules ("paid_in_full").
    signals: set[str] = field(default_factory=set)
    #: Extra data for the event's payload (ids of what the effect created).
    payload: dict[str, Any] = field(default_factory=dict)
    #: Set by the effect of a DERIVED step.
    next_state: str | None = None
    #: The caller's runtime when the step came through the kit (``DocumentKind.step``):
    #: for effects that ask a port taking one (``ports.promise_date``) or start another
    #: document. None when ``apply_transition`` is called bare.
    runtime: Any = None


Effect = Callable[[StepContext], None]


@dataclass(frozen=True)
class StepResult:
    doc: DocumentMixin
    event: Event
    tasks: TaskChanges


def parse_fields(schema: type[BaseModel] | None, data: Mapping[str, Any] | None) -> Any:
    """Validate a step's fields; every failing field is named in one error."""
    return None if schema is None else validate(schema, data)


def check_transition(
    lc: Lifecycle,
    doc: DocumentMixin,
    name: str,
    roles: Collection[str],
    expected_version: int | None,
) -> Transition:
    tr = lc.transitions.get(name)
    if tr is None:
        raise TransitionNotAllowed(
            f"{lc.document_type} has no step named {name!r}", transition=name
        )
    if not tr.roles & set(roles):
        raise PermissionDenied(f"Your role may not apply {name!r} to {doc.number}", transition=name)
    if doc.state not in tr.sources:
        raise TransitionNotAllowed(
            f"{doc.number} is {doc.state}; {name!r} is allowed from {sorted(tr.sources)}",
            transition=name,
            state=doc.state,
        )
    if expected_version is not None and expected_version != doc.version:
        raise VersionMismatch(
            f"{doc.number} is at version {doc.version}, not {expected_version}; reload and retry",
            current_version=doc.version,
        )
    return tr


def _claim(doc: DocumentMixin, now: datetime) -> None:
    """Move the document to its next version. The UPDATE that writes the step's changes
    carries ``WHERE version = <the version loaded>`` (SQLAlchemy's version counter), so of
    two concurrent writers exactly one commits; the other's flush finds no row and its
    whole transaction rolls back with VersionMismatch (db.Database.transaction)."""
    doc.version = doc.version + 1
    doc.updated_at = now


def apply_transition(
    session: Session,
    lc: Lifecycle,
    doc: DocumentMixin,
    name: str,
    *,
    actor: Actor,
    roles: Collection[str],
    fields: Mapping[str, Any] | None,
    now: datetime,
    policy: Policy,
    expected_version: int | None = None,
    effect: Effect | None = None,
    reason: str | None = None,
    runtime: Any = None,
) -> StepResult:
    """Apply step ``name`` to ``doc`` within the caller's transaction, or raise and change nothing.

    The caller commits (or, on any exception, rolls back) the transaction.
    """
    tr = check_transition(lc, doc, name, roles, expected_version)
    parsed = parse_fields(tr.fields, fields)
    reason = reason or getattr(parsed, "reason", None)
    if tr.needs_reason and not (reason and reason.strip()):
        raise ValidationFailed.of(
            [FieldError("reason", "A reason is required for this step", "missing")]
        )
    if tr.guard is not None:
        tr.guard(doc, parsed)

    _claim(doc, now)
    ctx = StepContext(session, doc, actor, frozenset(roles), parsed, now, policy, runtime=runtime)
    if effect is not None:
        effect(ctx)
    before = doc.state
    if tr.target == DERIVED:
        if ctx.next_state not in lc.states:
            raise RuntimeError(f"{lc.document_type}.{name} effect left no valid next state")
        doc.state = ctx.next_state
    else:
        doc.state = tr.target
    payload = dict(ctx.payload)
    if parsed is not None:
        payload.setdefault(
            "fields", parsed.model_dump(mode="json", exclude={"reason"}, exclude_none=True)
        )
    event = record_event(
        session,
        doc,
        name,
        actor=actor,
        at=now,
        from_state=before,
        to_state=doc.state,
        payload=payload,
        reason=reason,
        in_step=True,
    )
    tasks = apply_task_rules(
        session,
        policy=policy,
        doc=doc,
        signals={name, f"state:{doc.state}", *ctx.signals},
        now=now,
        actor_id=actor.id,
        assignee_for=lc.assignee_for,
        resolvers=dict(lc.resolvers),
    )
    # The step's one versioned UPDATE, now rather than at some later flush: written by
    # Core when the step changed only this document and its lines (the ORM's unit of work
    # cost more than the UPDATE), else left to the flush as before.
    write_changes(session, doc)
    return StepResult(doc, event, tasks)


def start_document(
    session: Session,
    lc: Lifecycle,
    doc: DocumentMixin,
    *,
    actor: Actor,
    now: datetime,
    policy: Policy,
    payload: dict[str, Any] | None = None,
    signals: Collection[str] = (),
) -> StepResult:
    """Record a new document's creation: its first event and the tasks creation opens.

    ``signals`` are extra facts for the task rules (a review routed to production opens
    production's task: ``review:production``)."""
    doc.state = doc.state or lc.initial
    doc.version, doc.event_seq, doc.event_hash = 1, 0, ""
    doc.created_at = doc.updated_at = now
    insert_new(session, doc)
    event = record_event(
        session,
        doc,
        CREATE,
        actor=actor,
        at=now,
        from_state=None,
        to_state=doc.state,
        payload=payload,
        in_step=True,  # the head (0, "") written with the document's next UPDATE
    )
    tasks = apply_task_rules(
        session,
        policy=policy,
        doc=doc,
        signals={CREATE, f"state:{doc.state}", *signals},
        now=now,
        actor_id=actor.id,
        assignee_for=lc.assignee_for,
        resolvers=dict(lc.resolvers),
        new_document=True,
    )
    return StepResult(doc, event, tasks)


def record_fact(
    session: Session,
    lc: Lifecycle,
    doc: DocumentMixin,
    name: str,
    *,
    actor: Actor,
    now: datetime,
    policy: Policy,
    payload: dict[str, Any] | None = None,
    reason: str | None = None,
    signals: Collection[str] = (),
) -> StepResult:
    """Record something that happened to ``doc`` without changing its state.

    For facts another document brings about (a review passed, production released, goods
    received for this order): the document's timeline gets the event, its version moves on,
    and the policy's task rules see the signal ``name`` like a step's, so a rule can close
    this document's task ("close_on = ['production_released']") or open the next one.
    """
    _claim(doc, now)
    event = record_event(
        session,
        doc,
        name,
        actor=actor,
        at=now,
        from_state=doc.state,
        to_state=doc.state,
        payload=payload,
        reason=reason,
        in_step=True,
    )
    tasks = apply_task_rules(
        session,
        policy=policy,
        doc=doc,
        signals={name, *signals},
        now=now,
        actor_id=actor.id,
        assignee_for=lc.assignee_for,
        resolvers=dict(lc.resolvers),
    )
    return StepResult(doc, event, tasks)
