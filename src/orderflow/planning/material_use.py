"""How much of each material a sales order's bills of material use (H2), for purchasing.

A buyer who raises a requisition or buys by hand for a sales order is checked against
unit use × order quantity; when they give no unit use, the figure comes from here. It is
the same explosion planning runs (``bom.explode``: unit consumption × (1 + overage) at
every level, rounded as the item is counted), so a purchase is never checked against a
different figure than the one planning asked for.
"""

from __future__ import annotations

import logging
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderflow.core import ports
from orderflow.planning.bom import FOUR_PLACES, BomCycle, Demand, explode
from orderflow.planning.snapshot import load_items, load_products
from orderflow.runtime import Runtime
from orderflow.sales.models import SalesOrder, SalesOrderLine

log = logging.getLogger(__name__)


@ports.bom_use.provide
def bom_use(
    session: Session, rt: Runtime, *, company_id: int, sales_order_id: int
) -> dict[int, ports.BomUse]:
    """Per material (this company's product id): its use per unit of the order lines whose
    BOM holds it, and their quantity. Empty when the order is not this company's."""
    order = session.scalar(
        select(SalesOrder).where(
            SalesOrder.id == sales_order_id, SalesOrder.company_id == company_id
        )
    )
    if order is None:
        return {}
    lines = session.scalars(
        select(SalesOrderLine)
        .where(SalesOrderLine.order_id == order.id)
        .order_by(SalesOrderLine.line_no)
    ).all()
    # One company only: each product is its own canonical id, so the answer needs no mapping.
    products, rows = load_products(session, [company_id], company_id)
    items = load_items(session, [company_id], products, rows, rt.policy)
    due = order.promised_date or order.requested_date
    demands = [
        Demand(str(line.line_no), order.id, company_id, line.product_id, line.quantity, due)
        for line in lines
        if line.quantity > 0
    ]
    try:
        exploded = explode(demands, items)
    except BomCycle:
        # Broken master data is the technical department's to fix; meanwhile the buyer
        # gives the unit use by hand, so buying is not blocked by it.
        log.warning("sales order %s: a bill of material contains itself", order.number)
        return {}
    ordered = {str(line.line_no): line.quantity for line in lines}
    needed: dict[int, Decimal] = {}
    for_lines: dict[int, set[str]] = {}
    for req in exploded.requirements:
        # A requirement's key starts with its demand's key: "3", "3.1", "3.1.2"…
        line_key = req.key.split(".", 1)[0]
        needed[req.product_id] = needed.get(req.product_id, Decimal(0)) + req.quantity
        for_lines.setdefault(req.product_id, set()).add(line_key)
    out = {}
    for product_id, total in needed.items():
        for_quantity = sum((ordered[k] for k in for_lines[product_id]), Decimal(0))
        # Rounded up: unit use × quantity never falls short of what the explosion needs.
        unit_use = (total / for_quantity).quantize(FOUR_PLACES, rounding=ROUND_CEILING)
        out[product_id] = ports.BomUse(unit_use=unit_use, for_quantity=for_quantity)
    return out
