"""Sample and tech pack use cases (E10, E11).

A tech pack that does not match the approved sample raises an exception slip (异常单)
through the ``raise_exception`` port; where the quality area is not installed the
mismatch is kept on the tech pack and sales and purchasing are told directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.access import require
from orderflow.core.errors import (
    Conflict,
    FieldError,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)
from orderflow.core.idempotency import once
from orderflow.core.kit import DocumentKind, actor_of, get_document, run_step
from orderflow.core.workflow import StepContext
from orderflow.i18n import t
from orderflow.notify.service import queue_staff
from orderflow.parties.models import Customer
from orderflow.runtime import Principal, Runtime
from orderflow.sales.models import SalesOrder
from orderflow.samples.flow import (
    APPROVED,
    CHECKED,
    CONFIRMERS,
    DRAFT,
    MISMATCH,
    CheckFields,
    ConfirmChangeFields,
    ReasonFields,
    SubmitFields,
    first_pass_rate,
    mismatches,
    pack_lifecycle,
    sample_lifecycle,
)
from orderflow.samples.models import SampleRequest, SampleRound, TechPack
from orderflow.samples.schemas import (
    RoundRead,
    SampleCreate,
    SampleRead,
    SamplesRead,
    SampleSummary,
    TechPackCreate,
    TechPackRead,
)


def _current(request: SampleRequest) -> SampleRound:
    return max(request.rounds, key=lambda r: r.number)


def submit(ctx: StepContext) -> None:
    request, fields = cast(SampleRequest, ctx.doc), cast(SubmitFields, ctx.fields)
    _current(request).submitted_at = ctx.now
    if fields.standard_minutes:
        request.standard_minutes = fields.standard_minutes
    ctx.payload["round"] = request.round


def approve(ctx: StepContext) -> None:
    request = cast(SampleRequest, ctx.doc)
    current = _current(request)
    current.verdict, current.verdict_at = "approved", ctx.now
    request.approved_round = request.round
    ctx.payload["round"] = request.round


def reject(ctx: StepContext) -> None:
    """The sample goes round again (同订单打样次数 counts the rounds)."""
    request = cast(SampleRequest, ctx.doc)
    current = _current(request)
    current.verdict, current.verdict_at = "rejected", ctx.now
    current.reason = cast(ReasonFields, ctx.fields).reason
    request.round += 1
    request.rounds.append(SampleRound(number=request.round, started_at=ctx.now, reason=""))
    ctx.payload["round"] = request.round


def check(ctx: StepContext) -> None:
    """E11: the tech pack against the approved sample; a mismatch raises an exception."""
    pack, fields = cast(TechPack, ctx.doc), cast(CheckFields, ctx.fields)
    sample = ctx.session.get(SampleRequest, pack.sample_request_id)
    if sample is None or sample.state != APPROVED:
        raise TransitionNotAllowed(
            f"{pack.number}: the sample is not approved yet; check against an approved sample",
            transition="check",
        )
    wrong = mismatches(fields)
    pack.checked_on = ctx.now.astimezone(ctx.policy.zone).date()
    if not wrong:
        ctx.next_state = CHECKED
        return
    pack.mismatch = ", ".join(wrong) + (f" — {fields.note}" if fields.note else "")
    pack.sales_confirmed_by = pack.purchasing_confirmed_by = None
    ctx.next_state = MISMATCH
    ctx.payload["mismatch"] = wrong
    _report_mismatch(ctx, pack)


def _report_mismatch(ctx: StepContext, pack: TechPack) -> None:
    """A mismatch: an exception slip through the port (quality), or, where that area is
    not installed, a message to sales and purchasing."""
    if ports.raise_exception.connected and ctx.runtime is not None:
        pack.exception_number = ports.raise_exception(
            ctx.session,
            ctx.runtime,
            ports.ExceptionReport(
                company_id=pack.company_id,
                kind="tech_pack_mismatch",
                description=f"{pack.number} ({pack.sales_order_number}): {pack.mismatch}",
                source_document_type=pack.document_type,
                source_document_id=pack.id,
                source_number=pack.number,
                sales_order_id=pack.sales_order_id,
            ),
            ctx.actor,
        )
        ctx.payload["exception"] = pack.exception_number
        return
    for role in ("sales_clerk", "procurement"):
        queue_staff(
            ctx.session,
            company_id=pack.company_id,
            kind="tech_pack_mismatch",
            role=role,
            user_id=None,
            subject=t("samples.notice.mismatch.subject", "zh-CN", number=pack.number),
            body=t(
                "samples.notice.mismatch.body",
                "zh-CN",
                number=pack.number,
                order=pack.sales_order_number,
                what=pack.mismatch,
            ),
            at=ctx.now,
            doc=pack,
        )


def confirm_change(ctx: StepContext) -> None:
    """Sales and purchasing both sign the changed requirements; then the tech pack is made
    again (back to draft, to be checked)."""
    pack, fields = cast(TechPack, ctx.doc), cast(ConfirmChangeFields, ctx.fields)
    department: str | None = fields.department or next(
        (d for d, roles in CONFIRMERS.items() if ctx.roles & roles), None
    )
    if department is None or not (ctx.roles & (CONFIRMERS[department] | {"admin"})):
        raise PermissionDenied("Your role does not confirm tech pack changes for that department")
    for name in ("fabric_width", "pattern", "process"):
        value = getattr(fields, name)
        if value is not None:
            setattr(pack, name, value)
    if department == "sales":
        pack.sales_confirmed_by = ctx.actor.name
    else:
        pack.purchasing_confirmed_by = ctx.actor.name
    ctx.signals.add(f"confirmed:{department}")
    ctx.payload["department"] = department
    ctx.next_state = DRAFT if pack.sales_confirmed_by and pack.purchasing_confirmed_by else MISMATCH


SAMPLE_LIFECYCLE = sample_lifecycle(
    resolvers={"@sample_due": lambda doc, now: getattr(doc, "due_at", now)}
)
PACK_LIFECYCLE = pack_lifecycle()
SAMPLES: DocumentKind[SampleRequest] = DocumentKind(
    model=SampleRequest,
    lifecycle=SAMPLE_LIFECYCLE,
    read_permission="samples.read",
    effects={"submit": submit, "approve": approve, "reject": reject},
    load_options=(selectinload(SampleRequest.rounds),),
)
PACKS: DocumentKind[TechPack] = DocumentKind(
    model=TechPack,
    lifecycle=PACK_LIFECYCLE,
    read_permission="samples.read",
    effects={"check": check, "confirm_change": confirm_change},
)


def read_sample(s: Session, request: SampleRequest, me: Principal) -> SampleRead:
    s.flush()
    return SampleRead(
        id=request.id,
        number=request.number,
        state=request.state,
        version=request.version,
        title=request.title,
        requirements=request.requirements,
        due_at=request.due_at,
        customer_id=request.customer_id,
        sales_order_id=request.sales_order_id,
        round=request.round,
        approved_round=request.approved_round,
        first_pass=None if request.approved_round is None else request.approved_round == 1,
        standard_minutes=request.standard_minutes,
        with_outsourcer=request.with_outsourcer,
        rounds=[
            RoundRead(
                number=r.number,
                started_at=r.started_at,
                submitted_at=r.submitted_at,
                verdict=r.verdict,
                reason=r.reason,
            )
            for r in request.rounds
        ],
        allowed_transitions=SAMPLE_LIFECYCLE.allowed(request, me.roles),
    )


def read_pack(s: Session, pack: TechPack, me: Principal) -> TechPackRead:
    s.flush()
    sample_number = s.scalar(
        select(SampleRequest.number).where(SampleRequest.id == pack.sample_request_id)
    )
    return TechPackRead(
        id=pack.id,
        number=pack.number,
        state=pack.state,
        version=pack.version,
        sales_order_id=pack.sales_order_id,
        sales_order_number=pack.sales_order_number,
        sample_request_id=pack.sample_request_id,
        sample_number=sample_number or "",
        fabric_width=pack.fabric_width,
        pattern=pack.pattern,
        process=pack.process,
        checked_on=pack.checked_on,
        mismatch=pack.mismatch,
        exception_number=pack.exception_number,
        sales_confirmed_by=pack.sales_confirmed_by,
        purchasing_confirmed_by=pack.purchasing_confirmed_by,
        allowed_transitions=PACK_LIFECYCLE.allowed(pack, me.roles),
    )


def create_sample(
    rt: Runtime, me: Principal, data: SampleCreate, *, idempotency_key: str | None = None
) -> SampleRead:
    require(me, "samples.create")

    def create(s: Session) -> SampleRead:
        problems: list[FieldError] = []
        if data.customer_id is not None and not s.scalar(
            select(Customer.id).where(
                Customer.id == data.customer_id, Customer.company_id == me.company_id
            )
        ):
            problems.append(FieldError("customer_id", "No such customer", "unknown_customer"))
        if data.sales_order_id is not None and not s.scalar(
            select(SalesOrder.id).where(
                SalesOrder.id == data.sales_order_id, SalesOrder.company_id == me.company_id
            )
        ):
            problems.append(FieldError("sales_order_id", "No such order", "unknown_order"))
        product_id = None
        if data.product_code:
            product_id = s.scalar(
                select(Product.id).where(
                    Product.code == data.product_code, Product.company_id == me.company_id
                )
            )
            if product_id is None:
                problems.append(FieldError("product_code", "No such product", "unknown_product"))
        if data.due_at <= rt.now():
            problems.append(FieldError("due_at", "The due time has passed", "past_date"))
        if problems:
            raise ValidationFailed.of(problems)
        request = SampleRequest(
            company_id=me.company_id,
            number="",
            customer_id=data.customer_id,
            sales_order_id=data.sales_order_id,
            product_id=product_id,
            title=data.title,
            requirements=data.requirements,
            due_at=data.due_at,
            with_outsourcer=data.with_outsourcer,
            round=1,
            standard_minutes="",
            requested_by_id=me.id,
            rounds=[SampleRound(number=1, started_at=rt.now(), reason="")],
        )
        SAMPLES.start(s, rt, request, actor=actor_of(me), payload={"title": data.title})
        return read_sample(s, request, me)

    return once(
        rt,
        me,
        scope="samples.create",
        body=data,
        key=idempotency_key,
        create=create,
        model=SampleRead,
    )


def list_samples(rt: Runtime, me: Principal, *, state: str | None = None) -> SamplesRead:
    """Sample requests, newest first, with the first-pass rate of the approved ones (E10, N2)."""
    require(me, "samples.read")
    with rt.db.reading() as s:
        query = select(SampleRequest).where(SampleRequest.company_id == me.company_id)
        if state:
            query = query.where(SampleRequest.state == state)
        items = s.scalars(query.order_by(SampleRequest.id.desc()).limit(200)).all()
        rounds = s.scalars(
            select(SampleRequest.approved_round).where(
                SampleRequest.company_id == me.company_id, SampleRequest.approved_round.is_not(None)
            )
        ).all()
    rate = first_pass_rate(r for r in rounds if r is not None)
    return SamplesRead(
        items=[
            SampleSummary(
                id=r.id,
                number=r.number,
                state=r.state,
                title=r.title,
                round=r.round,
                due_at=r.due_at,
            )
            for r in items
        ],
        approved=len(rounds),
        first_pass_rate=float(rate) if rate is not None else None,
    )


def create_pack(
    rt: Runtime, me: Principal, data: TechPackCreate, *, idempotency_key: str | None = None
) -> TechPackRead:
    require(me, "samples.create")
    from orderflow.sales.service import ORDERS

    def create(s: Session) -> TechPackRead:
        order = ORDERS.load(s, me, data.sales_order_id)
        sample = s.get(SampleRequest, data.sample_request_id)
        if sample is None or sample.company_id != me.company_id:
            raise ValidationFailed.of(
                [FieldError("sample_request_id", "No such sample request", "unknown_sample")]
            )
        if s.scalar(
            select(TechPack.number).where(
                TechPack.sales_order_id == order.id, TechPack.state.in_([DRAFT, MISMATCH, CHECKED])
            )
        ):
            raise Conflict(f"{order.number} already has a tech pack")
        pack = TechPack(
            company_id=me.company_id,
            number="",
            sales_order_id=order.id,
            sales_order_number=order.number,
            sample_request_id=sample.id,
            fabric_width=data.fabric_width,
            pattern=data.pattern,
            process=data.process,
            mismatch="",
            created_by_id=me.id,
        )
        PACKS.start(
            s,
            rt,
            pack,
            actor=actor_of(me),
            payload={"sales_order": order.number, "sample": sample.number},
        )
        return read_pack(s, pack, me)

    return once(
        rt,
        me,
        scope="samples.create_pack",
        body=data,
        key=idempotency_key,
        create=create,
        model=TechPackRead,
    )


def get_sample(rt: Runtime, me: Principal, sample_id: int) -> SampleRead:
    return get_document(rt, me, SAMPLES, sample_id, read_sample)


def get_pack(rt: Runtime, me: Principal, pack_id: int) -> TechPackRead:
    return get_document(rt, me, PACKS, pack_id, read_pack)


def step_sample(
    rt: Runtime,
    me: Principal,
    sample_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> SampleRead:
    return run_step(
        rt,
        me,
        SAMPLES,
        sample_id,
        name,
        fields,
        expected_version=expected_version,
        read=read_sample,
    )


def step_pack(
    rt: Runtime,
    me: Principal,
    pack_id: int,
    name: str,
    fields: Mapping[str, Any] | None,
    *,
    expected_version: int | None,
) -> TechPackRead:
    return run_step(
        rt, me, PACKS, pack_id, name, fields, expected_version=expected_version, read=read_pack
    )


def packs_of_order(rt: Runtime, me: Principal, sales_order_id: int) -> list[TechPackRead]:
    require(me, "samples.read")
    with rt.db.reading() as s:
        return [
            read_pack(s, pack, me)
            for pack in s.scalars(
                select(TechPack)
                .where(
                    TechPack.sales_order_id == sales_order_id, TechPack.company_id == me.company_id
                )
                .order_by(TechPack.id)
            )
        ]
