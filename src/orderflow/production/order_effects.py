"""What a production order's steps do beyond their state change (E13, I2, J1): progress
reported per operation, materials issued (领料), completion reconciled with the reports,
the output's final inspection reported back and its rejects settled.

Effects run inside the step's transaction after every check passed; one that finds the
step impossible raises and the whole step rolls back. The instruction's and outsourcing's
effects are ``production.effects``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.errors import (
    Conflict,
    FieldError,
    FieldErrors,
    InsufficientStock,
    PermissionDenied,
    TransitionNotAllowed,
    ValidationFailed,
)
from orderflow.core.workflow import StepContext, record_fact
from orderflow.inventory import service as stock
from orderflow.inventory.ledger import issue, locations_of, receive, relocate
from orderflow.inventory.models import Warehouse
from orderflow.inventory.warehouses import company_warehouse
from orderflow.planning.bom import Component, needed
from orderflow.production.effects import order_fact
from orderflow.production.flow import (
    BROKEN_DOWN,
    CONCEDERS,
    CompleteFields,
    InspectedFields,
    IssueMaterialsFields,
    OpState,
    ReportFields,
    SettleRejectsFields,
    check_completion,
    check_report,
    put_away,
    settle_quantity,
)
from orderflow.production.models import (
    BomLine,
    ProductionInstruction,
    ProductionOrder,
    ProgressReport,
)
from orderflow.sales.models import SalesOrder, SalesOrderLine


def _ops(mo: ProductionOrder) -> list[OpState]:
    return [OpState(op.seq, op.good_quantity, op.scrap_quantity) for op in mo.operations]


def report(ctx: StepContext) -> None:
    """E13: progress per operation, never more than reached it."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(ReportFields, ctx.fields)
    check_report(_ops(mo), mo.quantity, fields)
    op = next(op for op in mo.operations if op.seq == fields.seq)
    first = all(o.good_quantity + o.scrap_quantity == 0 for o in mo.operations)
    op.good_quantity += fields.good
    op.scrap_quantity += fields.scrap
    ctx.session.add(
        ProgressReport(
            production_order_id=mo.id,
            operation_id=op.id,
            good=fields.good,
            scrap=fields.scrap,
            note=fields.note,
            reported_by_id=ctx.actor.id,
            reported_at=ctx.now,
        )
    )
    ctx.payload.update(seq=op.seq, operation=op.name)
    if first and mo.level == 0:
        _assembly_started(ctx, mo)


def _assembly_started(ctx: StepContext, mo: ProductionOrder) -> None:
    """The first report on an order's own line marks the breakdown's assembly start done."""
    from orderflow.production.service import INSTRUCTION_LIFECYCLE

    pi = ctx.session.get(ProductionInstruction, mo.instruction_id)
    milestone = pi.milestone("assembly_start") if pi else None
    if pi is None or milestone is None or milestone.done_at is not None or pi.state != BROKEN_DOWN:
        return
    milestone.done_at, milestone.done_by_id, milestone.note = ctx.now, ctx.actor.id, mo.number
    record_fact(
        ctx.session,
        INSTRUCTION_LIFECYCLE,
        pi,
        "done:assembly_start",
        actor=ctx.actor,
        now=ctx.now,
        policy=ctx.policy,
        payload={"production_order": mo.number},
    )


def _warehouse(session: Session, company_id: int, code: str | None) -> Warehouse:
    """The company's warehouse named ``code``, else its first; refused on the field."""
    warehouse = company_warehouse(session, company_id, code)
    if warehouse is None:
        raise ValidationFailed.of(
            [FieldError("warehouse_code", "No such warehouse", "unknown_warehouse")]
        )
    return warehouse


def issue_materials(ctx: StepContext) -> None:
    """领料: the order's own materials — its product's bill of materials × the order
    quantity × (1 + overage), less the components its sub-orders make — leave the warehouse
    through the stock ledger, in product order; all of them or, refused, none."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(IssueMaterialsFields, ctx.fields)
    s = ctx.session
    warehouse = _warehouse(s, mo.company_id, fields.warehouse_code)
    made_below = set(
        s.scalars(select(ProductionOrder.product_id).where(ProductionOrder.parent_id == mo.id))
    )
    whole = set(ctx.policy.planning.whole_units)
    short = FieldErrors()
    issued: dict[str, str] = {}
    for line, component in s.execute(
        select(BomLine, Product)
        .join(Product, Product.id == BomLine.component_id)
        .where(BomLine.company_id == mo.company_id, BomLine.product_id == mo.product_id)
        .order_by(BomLine.component_id)
    ).all():
        if component.id in made_below:
            continue
        quantity = needed(
            mo.quantity,
            Component(component.id, line.quantity, line.overage),
            integral=component.unit in whole,
        )
        taken = issue(
            s,
            warehouse_id=warehouse.id,
            product_id=component.id,
            quantity=quantity,
            reason="production_issue",
            reference=mo.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        if taken is None:
            short.add(
                f"materials.{component.code}",
                f"Not {quantity.normalize():f} {component.unit} of {component.code} free in "
                f"{warehouse.code}",
                "insufficient_stock",
            )
        issued[component.code] = f"{quantity.normalize():f}"
    if short:
        raise InsufficientStock(f"{mo.number}: materials short", errors=short.items)
    mo.materials_issued_at = ctx.now
    ctx.payload.update(warehouse=warehouse.code, materials=issued)
    ctx.next_state = mo.state


def complete(ctx: StepContext) -> None:
    """E13: completion is reconciled with the reports. An order's own line goes into stock
    and the sales order learns its production is complete; with final inspection on
    completion (J1, I2) the goods wait in the QC area for it, else they are reserved now."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(CompleteFields, ctx.fields)
    check_completion(_ops(mo), fields.output_quantity)
    mo.output_quantity = fields.output_quantity
    ctx.payload["output"] = f"{fields.output_quantity.normalize():f}"
    if mo.level > 0:
        return  # a sub-assembly goes straight into its parent order (work in progress)
    s = ctx.session
    warehouse = _warehouse(s, mo.company_id, fields.warehouse_code)
    mo.output_warehouse_id = warehouse.id
    order = s.get(SalesOrder, mo.sales_order_id)
    inspect = order is not None and ctx.policy.quality.final_inspection_on_completion
    _receive(s, warehouse.id, mo, fields.output_quantity, ctx, location="QC" if inspect else "MAIN")
    if order is None:
        return
    completed: dict[str, object] = {
        "production_order": mo.number,
        "quantity": f"{fields.output_quantity.normalize():f}",
    }
    if inspect:
        mo.final_inspection = _request_final_inspection(ctx, mo)
        completed["final_inspection"] = ctx.payload["final_inspection"] = mo.final_inspection
    else:
        _reserve_for_line(ctx, mo, fields.output_quantity)
    order_fact(ctx, order, "production_completed", completed)


def _request_final_inspection(ctx: StepContext, mo: ProductionOrder) -> str:
    """J1 + J4: quality inspects the lot against the customer's standards before shipping."""
    return cast(
        str,
        ports.request_inspection(
            ctx.session,
            ctx.runtime,
            ports.InspectionRequest(
                company_id=mo.company_id,
                stage="final",
                product_id=mo.product_id,
                quantity=mo.output_quantity,
                source_document_type=mo.document_type,
                source_document_id=mo.id,
                source_number=mo.number,
                sales_order_id=mo.sales_order_id,
                lot=mo.number,
            ),
            ctx.actor,
        ),
    )


def _reserve_for_line(ctx: StepContext, mo: ProductionOrder, quantity: Decimal) -> Decimal:
    """Hold finished goods in storage for the sales order line they were made for."""
    s = ctx.session
    line = s.get(SalesOrderLine, mo.sales_order_line_id) if mo.sales_order_line_id else None
    if line is None or line.unreserved <= 0:
        return Decimal(0)
    reserved, _ = stock.reserve(
        s,
        company_id=mo.company_id,
        wants=[stock.Want(line.id, line.product_id, min(line.unreserved, quantity))],
        at=ctx.now,
    )
    got = reserved.get(line.id, Decimal(0))
    line.reserved_quantity += got
    return got


def _receive(
    s: Session,
    warehouse_id: int,
    mo: ProductionOrder,
    quantity: Decimal,
    ctx: StepContext,
    *,
    location: str,
) -> None:
    """Finished goods into the warehouse (QC or its main location), through the ledger (I2)."""
    receive(
        s,
        warehouse_id=warehouse_id,
        product_id=mo.product_id,
        quantity=quantity,
        reason="production_output",
        at=ctx.now,
        reference=mo.number,
        actor_id=ctx.actor.id,
        location=location,
    )


def inspected(ctx: StepContext) -> None:
    """The final inspection's result (J1, I2): what passed goes into storage and is reserved
    for the order line; what failed is set aside in REJ for rework (its slip is quality's)."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(InspectedFields, ctx.fields)
    if mo.output_warehouse_id is None or mo.final_inspection != fields.inspection:
        raise TransitionNotAllowed(
            f"{mo.number}'s output does not wait for inspection {fields.inspection}",
            transition="inspected",
        )
    plan = put_away(
        waiting=mo.awaiting_inspection,
        held_rejected=mo.rejected_quantity,
        accepted=fields.accepted,
        rejected=fields.rejected,
    )
    locations = locations_of(ctx.session, mo.output_warehouse_id)
    for qty, source, target, reason in (
        (plan.qc_to_main, "QC", "MAIN", "inspection_accepted"),
        (plan.qc_to_rej, "QC", "REJ", "inspection_rejected"),
        (plan.rej_to_main, "REJ", "MAIN", "inspection_accepted"),
    ):
        if qty > 0 and (
            relocate(
                ctx.session,
                warehouse_id=mo.output_warehouse_id,
                product_id=mo.product_id,
                quantity=qty,
                from_location_id=locations[source].id,
                to_location_id=locations[target].id,
                reason=reason,
                reference=fields.inspection,
                at=ctx.now,
                actor_id=ctx.actor.id,
            )
            is None
        ):
            raise Conflict(f"The {source} area does not hold {qty.normalize():f} of {mo.number}")
    mo.accepted_quantity += fields.accepted
    mo.rejected_quantity += plan.qc_to_rej - plan.rej_to_main
    reserved = _reserve_for_line(ctx, mo, fields.accepted) if fields.accepted > 0 else Decimal(0)
    if fields.rejected > 0:
        ctx.signals.add("rejected")
    ctx.payload.update(
        inspection=fields.inspection,
        accepted=f"{fields.accepted.normalize():f}",
        rejected=f"{fields.rejected.normalize():f}",
        reserved=f"{reserved.normalize():f}",
    )


def settle_rejects(ctx: StepContext) -> None:
    """Finished goods held in REJ after failing final inspection are scrapped (报废) or, by
    the quality head's concession, accepted as they are (让步接收): into storage and reserved
    for the order like goods that passed. Reworked goods are inspected again instead."""
    mo, fields = cast(ProductionOrder, ctx.doc), cast(SettleRejectsFields, ctx.fields)
    quantity = settle_quantity(mo.rejected_quantity, fields.quantity)
    assert mo.output_warehouse_id is not None  # rejects are only held for a received output
    locations = locations_of(ctx.session, mo.output_warehouse_id)
    rej = locations["REJ"]
    if fields.action == "concession":
        if not ctx.roles & CONCEDERS:
            raise PermissionDenied("Accepting failed goods by concession is the quality head's")
        moved = relocate(
            ctx.session,
            warehouse_id=mo.output_warehouse_id,
            product_id=mo.product_id,
            quantity=quantity,
            from_location_id=rej.id,
            to_location_id=locations["MAIN"].id,
            reason="concession",
            reference=mo.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        mo.accepted_quantity += quantity
    else:
        moved = issue(
            ctx.session,
            warehouse_id=mo.output_warehouse_id,
            product_id=mo.product_id,
            quantity=quantity,
            location_id=rej.id,
            reason="scrap",
            reference=mo.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        mo.scrapped_quantity += quantity
    if moved is None:
        raise Conflict(f"The REJ area does not hold {quantity.normalize():f} of {mo.number}")
    mo.rejected_quantity -= quantity
    reserved = _reserve_for_line(ctx, mo, quantity) if fields.action == "concession" else Decimal(0)
    ctx.payload.update(
        action=fields.action,
        quantity=f"{quantity.normalize():f}",
        reserved=f"{reserved.normalize():f}",
        note=fields.note,
    )
