"""What each transfer, customer-supplied and stock-count step does beyond its state change."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from sqlalchemy import select

from orderflow.auth.models import User
from orderflow.catalog.models import Product
from orderflow.core import ports
from orderflow.core.errors import (
    FieldError,
    FieldErrors,
    InsufficientStock,
    PermissionDenied,
    ValidationFailed,
)
from orderflow.core.workflow import StepContext
from orderflow.exception_slips.flow import CANCELLED as SLIP_CANCELLED
from orderflow.exception_slips.flow import CLOSED as SLIP_CLOSED
from orderflow.exception_slips.models import ExceptionSlip
from orderflow.exception_slips.service import raise_slip
from orderflow.i18n import t
from orderflow.inventory import ledger
from orderflow.inventory import service as stock
from orderflow.inventory.models import Location
from orderflow.warehouse.flow import (
    CS_RECEIVED,
    CS_SHORT,
    RecordCountFields,
    ReportLateFields,
    ShipFields,
    SignInFields,
    count_problems,
    short_lines,
)
from orderflow.warehouse.models import (
    CustomerSupplied,
    StockCount,
    StockCountLine,
    TransferOrder,
)

ZERO = Decimal(0)


def _q(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _own_company(ctx: StepContext, company_id: int, side: str) -> None:
    """A transfer is shipped by the supplying company and received by the receiving one."""
    if ctx.actor.id is None:
        return
    mine = ctx.session.scalar(select(User.company_id).where(User.id == ctx.actor.id))
    if mine != company_id:
        raise PermissionDenied(f"Only the {side} company may do this")


# --- transfers ------------------------------------------------------------------------------


def _transfer(ctx: StepContext) -> TransferOrder:
    return cast(TransferOrder, ctx.doc)


def ship_transfer(ctx: StepContext) -> None:
    """The goods held for the transfer leave the supplying warehouse (a transfer agreed
    before holds existed takes what is free instead)."""
    tr, fields = _transfer(ctx), cast(ShipFields, ctx.fields)
    _own_company(ctx, tr.company_id, "supplying")
    for i, line in sorted(enumerate(tr.lines), key=lambda il: il[1].from_product_id):
        rest = line.quantity - stock.issue_reserved(
            ctx.session,
            transfer_line_id=line.id,
            quantity=line.quantity,
            at=ctx.now,
            reference=tr.number,
            actor_id=ctx.actor.id,
            reason="transfer_out",
        )
        if rest > 0 and (
            ledger.issue(
                ctx.session,
                warehouse_id=tr.from_warehouse_id,
                product_id=line.from_product_id,
                quantity=rest,
                reason="transfer_out",
                reference=tr.number,
                at=ctx.now,
                actor_id=ctx.actor.id,
            )
            is None
        ):
            raise InsufficientStock(
                f"Not {_q(line.quantity)} free to ship",
                errors=[
                    FieldError(
                        f"lines[{i}].quantity",
                        "Not that much free in the warehouse (some may be reserved)",
                        "insufficient_stock",
                    )
                ],
            )
    tr.carrier, tr.shipped_at = fields.carrier, ctx.now
    ctx.payload["carrier"] = fields.carrier


def receive_transfer(ctx: StepContext) -> None:
    tr = _transfer(ctx)
    _own_company(ctx, tr.to_company_id, "receiving")
    for line in tr.lines:
        ledger.receive(
            ctx.session,
            warehouse_id=tr.to_warehouse_id,
            product_id=line.to_product_id,
            quantity=line.quantity,
            reason="transfer_in",
            reference=tr.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
    tr.received_at = ctx.now


def refuse_transfer(ctx: StepContext) -> None:
    tr = _transfer(ctx)
    _own_company(ctx, tr.company_id, "supplying")
    _give_back(ctx, tr)


def cancel_transfer(ctx: StepContext) -> None:
    tr = _transfer(ctx)
    _own_company(ctx, tr.to_company_id, "receiving")
    _give_back(ctx, tr)


def _give_back(ctx: StepContext, tr: TransferOrder) -> None:
    """A transfer that will not come frees the goods held for it at the supplying warehouse
    and gives its quantity back to the requisition it covered, which is open to buy again."""
    from orderflow.procurement.models import PurchaseRequisition
    from orderflow.procurement.requisition_effects import requisition_state
    from orderflow.procurement.service import REQUISITIONS

    stock.release(ctx.session, transfer_line_ids=[line.id for line in tr.lines])
    req = ctx.session.scalar(
        select(PurchaseRequisition).where(
            PurchaseRequisition.company_id == tr.to_company_id,
            PurchaseRequisition.number == tr.origin,
        )
    )
    if req is None:
        return
    for line in tr.lines:
        left = line.quantity
        for rl in req.lines:
            if left <= 0:
                break
            if rl.product_id == line.to_product_id and rl.transferred_quantity > 0:
                back = min(left, rl.transferred_quantity)
                rl.transferred_quantity -= back
                left -= back
    ctx.payload["reopened"] = req.number
    if req.state in ("open", "ordered") and requisition_state(req) != req.state:
        REQUISITIONS.step_in(
            ctx.session,
            req,
            "cover",
            actor=ctx.actor,
            roles=ctx.roles,
            now=ctx.now,
            policy=ctx.policy,
            runtime=ctx.runtime,
        )


# --- customer-supplied ----------------------------------------------------------------------


def _notice(ctx: StepContext) -> CustomerSupplied:
    return cast(CustomerSupplied, ctx.doc)


def _slip_open(ctx: StepContext, number: str | None, company_id: int) -> bool:
    if not number:
        return False
    state = ctx.session.scalar(
        select(ExceptionSlip.state).where(
            ExceptionSlip.company_id == company_id, ExceptionSlip.number == number
        )
    )
    return state not in (SLIP_CLOSED, SLIP_CANCELLED, None)


def customer_supplied_report(
    notice: CustomerSupplied, kind: str, description: str
) -> ports.ExceptionReport:
    return ports.ExceptionReport(
        company_id=notice.company_id,
        kind=kind,
        description=description,
        source_document_type=notice.document_type,
        source_document_id=notice.id,
        source_number=notice.number,
        sales_order_id=notice.sales_order_id,
        details={
            "expected_date": notice.expected_date.isoformat(),
            "new_expected_date": notice.new_expected_date.isoformat()
            if notice.new_expected_date
            else None,
        },
    )


def sign_in(ctx: StepContext) -> None:
    """I3: counted against the customer's list, signed, and in stock; a short count is an
    exception slip the business takes up with the customer (E12)."""
    notice, fields = _notice(ctx), cast(SignInFields, ctx.fields)
    problems = FieldErrors()
    if not fields.with_list_and_sample:
        problems.add(
            "with_list_and_sample",
            "The customer's list and a sample come with it (实样和清单), or it is not signed for",
            "missing",
        )
    by_no = {line.line_no: line for line in notice.lines}
    counted = {item.line_no: item.counted for item in fields.lines}
    for i, item in enumerate(fields.lines):
        if item.line_no not in by_no:
            problems.add(f"lines[{i}].line_no", "No such line", "unknown_line")
    for line in notice.lines:
        if line.line_no not in counted:
            problems.add("lines", f"Count line {line.line_no} too", "missing")
    problems.raise_if_any()
    for line in notice.lines:
        line.counted_quantity = counted[line.line_no]
        if line.counted_quantity > 0:
            ledger.receive(
                ctx.session,
                warehouse_id=notice.warehouse_id,
                product_id=line.product_id,
                quantity=line.counted_quantity,
                reason="customer_supplied",
                reference=notice.number,
                at=ctx.now,
                actor_id=ctx.actor.id,
            )
    notice.signed_by, notice.signed_at, notice.counted_by_id = (
        fields.signed_by,
        ctx.now,
        ctx.actor.id,
    )
    if fields.note:
        notice.note = (notice.note + "\n" + fields.note).strip()
    short = short_lines(
        (line.line_no, line.promised_quantity, line.counted_quantity or ZERO)
        for line in notice.lines
    )
    ctx.payload["counted"] = {str(n): _q(q) for n, q in counted.items()}
    if short:
        slip = raise_slip(
            ctx.session,
            policy=ctx.policy,
            now=ctx.now,
            report=customer_supplied_report(
                notice,
                "customer_supplied_shortage",
                "; ".join(
                    t(
                        "exc.text.customer_short",
                        "zh-CN",
                        line=no,
                        product=by_no[no].product.code,
                        missing=_q(missing),
                    )
                    for no, missing in short
                ),
            ),
            actor=ctx.actor,
        )
        notice.exception_number = slip.number
        ctx.payload["exception"] = slip.number
    ctx.next_state = CS_SHORT if short else CS_RECEIVED


def report_customer_late(ctx: StepContext) -> None:
    """E12: the customer's material will be late: delay and fees are negotiated on a slip."""
    notice, fields = _notice(ctx), cast(ReportLateFields, ctx.fields)
    if fields.new_expected_date is not None:
        notice.new_expected_date = fields.new_expected_date
    if _slip_open(ctx, notice.exception_number, notice.company_id):
        ctx.payload["exception"] = notice.exception_number
        return
    slip = raise_slip(
        ctx.session,
        policy=ctx.policy,
        now=ctx.now,
        report=customer_supplied_report(notice, "customer_supplied_late", fields.reason),
        actor=ctx.actor,
    )
    notice.exception_number = slip.number
    ctx.payload["exception"] = slip.number


# --- stock counts ---------------------------------------------------------------------------


def _count(ctx: StepContext) -> StockCount:
    return cast(StockCount, ctx.doc)


def book_balance(ctx: StepContext, location_id: int, product_id: int) -> Decimal:
    from orderflow.inventory.models import LocationStock

    value = ctx.session.scalar(
        select(LocationStock.quantity).where(
            LocationStock.location_id == location_id, LocationStock.product_id == product_id
        )
    )
    return Decimal(value or 0)


def record_count(ctx: StepContext) -> None:
    """The counted figures, against the books as they stand now; a difference needs a reason."""
    count, fields = _count(ctx), cast(RecordCountFields, ctx.fields)
    problems = FieldErrors()
    by_no = {line.line_no: line for line in count.lines}
    locations = {
        loc.code: loc
        for loc in ctx.session.scalars(
            select(Location).where(Location.warehouse_id == count.warehouse_id)
        )
    }
    checks = []
    for i, item in enumerate(fields.lines):
        if item.line_no is not None:
            line = by_no.get(item.line_no)
            if line is None:
                problems.add(f"lines[{i}].line_no", "No such line on the count sheet", "unknown")
                continue
        else:
            loc = locations.get(item.location_code or "")
            product = ctx.session.scalar(
                select(Product).where(
                    Product.company_id == count.company_id, Product.code == item.product_code
                )
            )
            if loc is None or (count.location_id and loc.id != count.location_id):
                problems.add(f"lines[{i}].location_code", "Not a location of this count", "unknown")
                continue
            if product is None:
                problems.add(f"lines[{i}].product_code", "No such product", "unknown_product")
                continue
            line = next(
                (
                    ln
                    for ln in count.lines
                    if ln.location_id == loc.id and ln.product_id == product.id
                ),
                None,
            )
            if line is None:
                line = StockCountLine(
                    line_no=len(count.lines) + 1, location_id=loc.id, product_id=product.id
                )
                count.lines.append(line)
                by_no[line.line_no] = line
        line.book_quantity = book_balance(ctx, line.location_id, line.product_id)
        line.counted_quantity, line.reason = item.counted, item.reason
        checks.append((i, line.book_quantity, item.counted, item.reason))
    problems.raise_if_any()
    wrong = count_problems(checks)
    if wrong:
        raise ValidationFailed.of(wrong)
    count.counted_at, count.counted_by_id = ctx.now, ctx.actor.id
    ctx.payload["differences"] = {
        str(line.line_no): _q(line.difference)
        for line in count.lines
        if line.difference is not None and line.difference != 0
    }


def post_count(ctx: StepContext) -> None:
    """Each difference goes to the ledger at its location, with the count's number."""
    count = _count(ctx)
    for i, line in enumerate(count.lines):
        diff = line.difference
        if not diff:
            continue
        result = ledger.post_moves(
            ctx.session,
            warehouse_id=count.warehouse_id,
            product_id=line.product_id,
            parts=[ledger.Part(line.location_id, diff)],
            reason="stock_count",
            reference=count.number,
            at=ctx.now,
            actor_id=ctx.actor.id,
        )
        if result is None:
            raise ValidationFailed.of(
                [
                    FieldError(
                        f"lines[{i}].counted",
                        "Less than orders hold reserved, or the books moved since the count: count again",
                        "below_reserved",
                    )
                ]
            )
    count.posted_at = ctx.now
