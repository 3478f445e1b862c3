"""What procurement answers for other areas (core/ports.py), and what the deadline sweeper
does when a supplier deadline passes.

* ``request_purchases``: planning's purchase needs become requisitions on the desk.
* ``open_supply``: what purchasing will bring in — open requisitions not yet ordered
  (source "requisition"), purchase order lines still owed or waiting for inspection
  (source "purchase"). Each quantity is counted once: a requisition's ordered part is
  counted on its purchase order.
* The supplier not confirmed two working days before the planned date becomes an
  exception slip (H4, 3.5.2), raised by the sweeper the moment that deadline passes.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from orderflow.core import ports
from orderflow.core.events import SYSTEM, Actor
from orderflow.core.sweeper import OVERDUE_ACTIONS
from orderflow.core.tasks import DONE, Task
from orderflow.core.workflow import record_fact
from orderflow.exception_slips.service import raise_slip
from orderflow.i18n import t
from orderflow.policy.loader import Policy
from orderflow.procurement.effects import late_report
from orderflow.procurement.flow import CONFIRMED, ORDERED, PLACED, PR_OPEN, UNPLACED
from orderflow.procurement.models import PurchaseOrder, PurchaseRequisition, RequisitionLine
from orderflow.procurement.service import ORDER_LIFECYCLE, raise_requisitions
from orderflow.runtime import Runtime

ZERO = Decimal(0)


@ports.request_purchases.provide
def _request_purchases(
    session: Session, rt: Runtime, needs: list[ports.PurchaseNeed], actor: Actor
) -> list[str]:
    return [req.number for req in raise_requisitions(session, rt, needs, actor)]


@ports.open_supply.provide
def purchase_supply(
    session: Session, *, company_ids: Collection[int], product_ids: Collection[int]
) -> list[ports.Supply]:
    out: list[ports.Supply] = []
    requisitions = session.execute(
        select(RequisitionLine, PurchaseRequisition)
        .join(PurchaseRequisition, PurchaseRequisition.id == RequisitionLine.requisition_id)
        .where(
            PurchaseRequisition.company_id.in_(list(company_ids)),
            PurchaseRequisition.state == PR_OPEN,
            RequisitionLine.product_id.in_(list(product_ids)),
        )
    ).all()
    for line, req in requisitions:
        if line.open_quantity > 0:
            out.append(
                ports.Supply(
                    company_id=req.company_id,
                    product_id=line.product_id,
                    quantity=line.open_quantity,
                    available_on=line.needed_by,
                    source="requisition",
                    reference=req.number,
                    sales_order_id=req.sales_order_id,
                )
            )
    orders = session.scalars(
        select(PurchaseOrder)
        .where(
            PurchaseOrder.company_id.in_(list(company_ids)),
            PurchaseOrder.state.in_([*UNPLACED, *PLACED]),
        )
        .options(selectinload(PurchaseOrder.lines))
    ).all()
    wanted = set(product_ids)
    for po in orders:
        arrives = po.expected_date or po.supplier_promised_date or po.due_date
        for bought in po.lines:
            if bought.product_id not in wanted:
                continue
            for quantity, when, ref in (
                (bought.outstanding, arrives, po.number),
                # Arrived and waiting for incoming inspection: usable once it passes.
                (bought.awaiting_inspection, po.updated_at.date(), f"{po.number} QC"),
            ):
                if quantity > 0:
                    out.append(
                        ports.Supply(
                            company_id=po.company_id,
                            product_id=bought.product_id,
                            quantity=quantity,
                            available_on=when,
                            source="purchase",
                            reference=ref,
                            sales_order_id=po.sales_order_id,
                        )
                    )
    return out


def supplier_not_confirmed(session: Session, policy: Policy, task: Task, now: datetime) -> None:
    """Two working days before the planned date and the supplier has not confirmed: an
    exception slip, whoever was meant to chase it (H4; 3.5.2 在采购计划时间的前2天…形成异常单)."""
    po = session.get(PurchaseOrder, task.document_id)
    if po is None or po.state not in (ORDERED, CONFIRMED):
        return
    if po.supplier_promised_date is not None and po.supplier_promised_date <= po.due_date:
        # Agreed with the supplier when it was placed (3.1.2): nothing to report.
        session.execute(
            update(Task)
            .where(Task.id == task.id)
            .values(state=DONE, closed_at=now, next_check_at=None)
        )
        return
    po.late = True
    slip = raise_slip(
        session,
        policy=policy,
        now=now,
        report=late_report(po, t("exc.text.supplier_unconfirmed", "zh-CN")),
        actor=SYSTEM,
    )
    po.exception_number = slip.number
    session.flush()
    record_fact(
        session,
        ORDER_LIFECYCLE,
        po,
        "supplier_late",
        actor=SYSTEM,
        now=now,
        policy=policy,
        payload={"exception": slip.number},
    )


OVERDUE_ACTIONS["confirm_supplier_on_time"] = supplier_not_confirmed
