"""What each inspection step does beyond its state change."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from orderflow.core import ports
from orderflow.core.errors import FieldError, FieldErrors, TransitionNotAllowed, ValidationFailed
from orderflow.core.workflow import StepContext, record_fact
from orderflow.exception_slips.service import raise_slip
from orderflow.i18n import t
from orderflow.notify.service import queue_staff
from orderflow.quality.flow import (
    FAILED,
    INTERNAL_REWORK,
    PASSED,
    Finding,
    RecordFields,
    ReinspectFields,
    judge,
    route,
)
from orderflow.quality.models import Inspection
from orderflow.quality.sampling import lot_units, plan_for

if TYPE_CHECKING:
    from orderflow.core.kit import DocumentKind

ZERO = Decimal(0)


def _insp(ctx: StepContext) -> Inspection:
    return cast(Inspection, ctx.doc)


def _q(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _check(ctx: StepContext, insp: Inspection, fields: RecordFields, inspected: int) -> None:
    problems = FieldErrors()
    if fields.defective > inspected:
        problems.add("defective", f"More than the {inspected} inspected", "over_inspected")
    if fields.defective and not fields.findings:
        problems.add("findings", "Describe what was wrong with the defective units", "missing")
    kinds = ctx.policy.quality.defect_kinds
    for i, finding in enumerate(fields.findings):
        if kinds and finding.defect not in kinds:
            problems.add(
                f"findings[{i}].defect", f"Not a defect kind: one of {', '.join(kinds)}", "unknown"
            )
    if fields.rejected_quantity is not None and fields.rejected_quantity > insp.lot_quantity:
        problems.add("rejected_quantity", f"The lot is {_q(insp.lot_quantity)}", "over_lot")
    if insp.stage == "final":
        for name, standard in (
            ("quality_standard_met", insp.quality_standard),
            ("shipping_standard_met", insp.shipping_standard),
        ):
            if standard and getattr(fields, name) is None:
                problems.add(name, f"Answer for the customer's standard: {standard}", "missing")
    problems.raise_if_any()


def record(ctx: StepContext) -> None:
    """The verdict on a lot (J1), its routing (J2), and what follows: an incoming lot's good
    part becomes usable stock, its failed part waits in the rejects area (I2, H5)."""
    insp, fields = _insp(ctx), cast(RecordFields, ctx.fields)
    inspected = fields.inspected or insp.sample_size
    _check(ctx, insp, fields, inspected)
    standards = [
        met
        for met, standard in (
            (fields.quality_standard_met, insp.quality_standard),
            (fields.shipping_standard_met, insp.shipping_standard),
        )
        if standard
    ]
    verdict = judge(
        inspected=inspected,
        defective=fields.defective,
        accept_number=insp.accept_number,
        findings=fields.findings,
        standards_met=[bool(m) for m in standards],
    )
    rejected = fields.rejected_quantity
    if rejected is None:
        rejected = ZERO if verdict.passed else insp.lot_quantity
    insp.inspected, insp.defective, insp.pass_rate = inspected, fields.defective, verdict.pass_rate
    insp.rejected_quantity, insp.accepted_quantity = rejected, insp.lot_quantity - rejected
    insp.findings = [f.model_dump() for f in fields.findings]
    insp.standards_met = {
        "quality": fields.quality_standard_met,
        "shipping": fields.shipping_standard_met,
    }
    insp.note, insp.inspector_id, insp.inspected_at = fields.note, ctx.actor.id, ctx.now
    insp.routes = (
        route(
            fields.findings,
            stage=insp.stage,
            batch_pass_rate=verdict.pass_rate,
            threshold=ctx.policy.thresholds.batch_pass_rate,
            serious_defects=ctx.policy.quality.serious_defects,
        )
        if fields.findings
        else []
    )
    if fields.findings or not verdict.passed:
        _raise(ctx, insp, verdict.because, fields.findings)
    _report_to_source(ctx, insp)
    if insp.stage == "final" and insp.sales_order_id:
        _report_to_sales_order(ctx, insp, verdict.passed)
    ctx.payload.update(
        pass_rate=str(verdict.pass_rate),
        defective=fields.defective,
        inspected=inspected,
        accepted=_q(insp.accepted_quantity),
        rejected=_q(rejected),
        routes=insp.routes,
        because=list(verdict.because),
    )
    ctx.next_state = PASSED if verdict.passed else FAILED


def _raise(
    ctx: StepContext, insp: Inspection, because: tuple[str, ...], findings: list[Finding]
) -> None:
    """J2/J3: one exception slip per inspection with findings, routed as the rules say; a
    reworkable defect in our own production goes to the operator who made the work."""
    described = "；".join(
        f"{t(f'qi.defect.{f.defect}', 'zh-CN')} × {f.quantity}"
        + (f"（{f.note}）" if f.note else "")
        for f in findings
    )
    slip = raise_slip(
        ctx.session,
        policy=ctx.policy,
        now=ctx.now,
        report=ports.ExceptionReport(
            company_id=insp.company_id,
            kind="quality",
            description=f"{insp.number} {insp.product.code}: " + (described or "; ".join(because)),
            source_document_type=insp.document_type,
            source_document_id=insp.id,
            source_number=insp.number,
            sales_order_id=insp.sales_order_id,
            routes=tuple(insp.routes),
            supplier_id=insp.supplier_id,
            assignees=_operator(ctx, insp),
            details={
                "stage": insp.stage,
                "lot": insp.lot,
                "pass_rate": str(insp.pass_rate),
                "inspected": insp.inspected,
                "defective": insp.defective,
                "rejected": _q(insp.rejected_quantity or ZERO),
                "purchase_order": insp.source_number
                if insp.source_document_type == "purchase_order"
                else None,
            },
        ),
        actor=ctx.actor,
    )
    insp.exception_number = slip.number
    ctx.payload["exception"] = slip.number
    for route_name in insp.routes:
        for role in ctx.policy.quality.inform.get(route_name, []):
            params = {
                "number": slip.number,
                "inspection": insp.number,
                "product": insp.product.code,
            }
            queue_staff(
                ctx.session,
                company_id=insp.company_id,
                kind="quality_finding",
                role=role,
                user_id=None,
                subject=t("qi.inform.subject", "zh-CN", **params),
                body=t(f"qi.inform.{route_name}", "zh-CN", **params),
                at=ctx.now,
                doc=slip,
            )


def _operator(ctx: StepContext, insp: Inspection) -> dict[str, int]:
    """For an internal rework route on a lot of a production order: the roles of the
    policy's rework tasks → the operator of the inspected operation (the last one for a
    finished lot), when the shop floor reported who did it."""
    if INTERNAL_REWORK not in insp.routes or insp.source_document_type != "production_order":
        return {}
    from orderflow.production.service import operator_of

    operator = operator_of(ctx.session, insp.source_document_id or 0, insp.source_line)
    if operator is None:
        return {}
    signal = f"route:{INTERNAL_REWORK}"
    return {
        rule.role: operator
        for rule in ctx.policy.rules_for("exception_slip")
        if signal in rule.open_on
    }


def _report_to_source(ctx: StepContext, insp: Inspection) -> None:
    """The lot's own document moves its stock on the verdict: a purchase order's receipt
    (incoming) or a production order's output (final) leaves the QC area through that
    document's ``inspected`` step. A lot asked for by hand has no stock waiting."""
    reporter = _REPORTERS.get(insp.source_document_type or "")
    found = reporter(insp) if reporter else None
    if found is None:
        return
    kind, fields = found
    doc = ctx.session.get(kind.model, insp.source_document_id)
    if doc is None:
        return
    kind.step_in(
        ctx.session,
        doc,
        "inspected",
        actor=ctx.actor,
        roles=ctx.roles,
        now=ctx.now,
        policy=ctx.policy,
        runtime=ctx.runtime,
        fields={
            **fields,
            "accepted": str(insp.accepted_quantity),
            "rejected": str(insp.rejected_quantity),
            "inspection": insp.number,
        },
    )


Report = tuple["DocumentKind[Any]", dict[str, Any]]


def _to_purchase_order(insp: Inspection) -> Report | None:
    """An incoming lot is one line of the order's goods receipt."""
    from orderflow.procurement.service import ORDERS

    if insp.stage != "incoming" or insp.source_line is None:
        return None
    return ORDERS, {"line_no": insp.source_line}


def _to_production_order(insp: Inspection) -> Report | None:
    """A final lot is the output a completed production order put into QC for it."""
    from orderflow.production.service import ORDERS

    return (ORDERS, {}) if insp.stage == "final" else None


#: Source document type → the document kind and fields its ``inspected`` step takes.
_REPORTERS: dict[str, Callable[[Inspection], Report | None]] = {
    "purchase_order": _to_purchase_order,
    "production_order": _to_production_order,
}


def _report_to_sales_order(ctx: StepContext, insp: Inspection, passed: bool) -> None:
    """The order's timeline says its goods passed (or failed) final inspection, a fact a
    shipping rule can close or open on."""
    from orderflow.sales.models import SalesOrder
    from orderflow.sales.service import LIFECYCLE as SALES_LIFECYCLE

    order = ctx.session.get(SalesOrder, insp.sales_order_id)
    if order is not None:
        record_fact(
            ctx.session,
            SALES_LIFECYCLE,
            order,
            "final_inspection_passed" if passed else "final_inspection_failed",
            actor=ctx.actor,
            now=ctx.now,
            policy=ctx.policy,
            payload={"inspection": insp.number, "pass_rate": str(insp.pass_rate)},
        )


def reinspect(ctx: StepContext) -> None:
    insp, fields = _insp(ctx), cast(ReinspectFields, ctx.fields)
    if insp.stage == "incoming":
        raise TransitionNotAllowed(
            "A delivery that failed is returned or accepted by concession on its purchase order"
        )
    if fields.quantity is not None:
        insp.lot_quantity = fields.quantity
    elif insp.rejected_quantity and insp.rejected_quantity < insp.lot_quantity:
        # What was accepted is stock already: the reworked lot is what was rejected.
        insp.lot_quantity = insp.rejected_quantity
    plan = plan_for(lot_units(insp.lot_quantity), insp.aql, insp.inspection_level)
    insp.sample_size, insp.accept_number = plan.sample_size, plan.accept
    insp.inspected = insp.defective = None
    insp.pass_rate = insp.accepted_quantity = insp.rejected_quantity = None
    insp.findings, insp.routes, insp.standards_met = [], [], {}
    insp.exception_number = None
    ctx.signals.add(f"stage:{insp.stage}")
    ctx.payload["note"] = fields.note


def cancel(ctx: StepContext) -> None:
    insp = _insp(ctx)
    if insp.stage == "incoming":
        raise ValidationFailed.of(
            [
                FieldError(
                    "reason",
                    "A delivery's goods wait in the QC area: record their inspection instead",
                    "incoming",
                )
            ]
        )
    if insp.source_document_type in _REPORTERS:
        raise ValidationFailed.of(
            [
                FieldError(
                    "reason",
                    f"{insp.source_number}'s goods wait in the QC area: "
                    "record their inspection instead",
                    "goods_waiting",
                )
            ]
        )
