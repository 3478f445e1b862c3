"""Requisitions and purchase orders: lifecycles and the pure rules of buying.

Requisition (请购单)::

    open ──(purchase orders cover it / transfer)──▶ ordered      cancel ──▶ cancelled

Purchase order (采购单)::

    draft ──submit──▶ pending_approval ──approve──▶ ordered ──confirm_date──▶ confirmed
      ▲                   │ reject                    │                        │
      └───────────────────┘                           └──confirm_shipment──────┴──▶ shipped
    ordered / confirmed / shipped ──receive──▶ receiving ──(inspected, rejects settled)──▶ received
    any open state ──cancel──▶ cancelled (or received, if what came is all that is kept)

After approval the receiving state is *derived* from the lines' facts (received, accepted,
rejected, returned, cancelled) by ``derive_state``; ``report_late``, ``request_reduction``
and its answers record facts without moving the order along.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.errors import FieldError
from orderflow.core.ports import BomUse
from orderflow.core.workflow import DERIVED, Lifecycle, step

ZERO = Decimal(0)
FOUR_PLACES = Decimal("0.0001")

# --- requisitions ---------------------------------------------------------------------------

PR_OPEN, PR_ORDERED, PR_CANCELLED = "open", "ordered", "cancelled"
PR_STATES = (PR_OPEN, PR_ORDERED, PR_CANCELLED)

# --- purchase orders ------------------------------------------------------------------------

DRAFT, PENDING_APPROVAL, ORDERED, CONFIRMED = "draft", "pending_approval", "ordered", "confirmed"
SHIPPED, RECEIVING, RECEIVED, CANCELLED = "shipped", "receiving", "received", "cancelled"
PO_STATES = (
    DRAFT,
    PENDING_APPROVAL,
    ORDERED,
    CONFIRMED,
    SHIPPED,
    RECEIVING,
    RECEIVED,
    CANCELLED,
)
#: Placed with the supplier and not finished: what open supply and follow-up look at.
PLACED = (ORDERED, CONFIRMED, SHIPPED, RECEIVING)
#: Not yet placed: still the buyer's to change.
UNPLACED = (DRAFT, PENDING_APPROVAL)

BUYERS = frozenset({Role.PROCUREMENT, Role.PROCUREMENT_MANAGER, Role.ADMIN})
APPROVERS = frozenset({Role.PROCUREMENT_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})
RECEIVERS = frozenset({Role.WAREHOUSE, Role.ADMIN})
INSPECTORS = frozenset({Role.QUALITY, Role.QUALITY_MANAGER, Role.ADMIN})
PLANNERS = frozenset({Role.PLANNER, Role.ADMIN})
#: Accepting failed goods as they are (降价让步接收) is a head's decision.
CONCEDERS = frozenset({Role.QUALITY_MANAGER, Role.PROCUREMENT_MANAGER, Role.ADMIN})


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


Qty = Field(gt=0, max_digits=14, decimal_places=4)


class LineQuantity(_Fields):
    line_no: int = Field(ge=1)
    quantity: Decimal = Qty


class TransferFields(_Fields):
    """Cover requisition lines from a group company's stock instead of buying (A5)."""

    from_company: str = Field(min_length=1, max_length=20, description="The company's code")
    lines: list[LineQuantity] = Field(min_length=1)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=1000)


class SubmitFields(_Fields):
    #: Why buying, although a group company holds the material free (A5).
    no_transfer_reason: str = Field(default="", max_length=1000)


class ReviseLine(_Fields):
    line_no: int = Field(ge=1)
    quantity: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=4)


class ReviseFields(_Fields):
    due_date: date | None = None
    notes: str | None = Field(default=None, max_length=4000)
    lines: list[ReviseLine] = []


class ConfirmDateFields(_Fields):
    """H3: the supplier confirms when the goods will be sent (5 working days before due)."""

    promised_date: date
    note: str = Field(default="", max_length=1000)


class ReportLateFields(_Fields):
    """H4: the supplier will not make it; raises an exception slip at once."""

    expected_date: date | None = None
    reason: str = Field(min_length=1, max_length=1000)


class ConfirmShipmentFields(_Fields):
    """H3: on the due day, the goods left: with whom, under which tracking number."""

    carrier: str = Field(min_length=1, max_length=120)
    tracking_number: str = Field(default="", max_length=120)
    shipped_on: date | None = None
    expected_date: date | None = None


class ReceiveFields(_Fields):
    delivery_note: str = Field(default="", max_length=60)
    #: Omitted: everything still outstanding.
    lines: list[LineQuantity] | None = None
    note: str = Field(default="", max_length=1000)


class InspectedFields(_Fields):
    """Reported by the incoming inspection of one lot (not a buyer's step)."""

    line_no: int = Field(ge=1)
    accepted: Decimal = Field(ge=0)
    rejected: Decimal = Field(ge=0)
    inspection: str = Field(min_length=1, max_length=32)


class SettleRejectsFields(_Fields):
    """What happens to goods that failed inspection: back to the supplier (to be replaced),
    or accepted as they are by concession (让步接收)."""

    line_no: int = Field(ge=1)
    action: Literal["return", "concession"]
    quantity: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    note: str = Field(default="", max_length=1000)


class AgreeRemainderFields(_Fields):
    """A short delivery was chased: the supplier sends the rest by this date."""

    expected_date: date
    note: str = Field(default="", max_length=1000)


class RequestReductionFields(_Fields):
    lines: list[LineQuantity] = Field(min_length=1, description="Each line's new quantity")
    reason: str = Field(min_length=1, max_length=1000)


class CancelFields(_Fields):
    reason: str = Field(min_length=1, max_length=1000)
    #: Buy what is still open elsewhere (H4 "cancel and rebuy", "change vendor"): it goes
    #: back to the desk as a new requisition. Without it, placed goods may only be reduced
    #: with the planner's consent (H6).
    rebuy: bool = False


def make_requisition_lifecycle() -> Lifecycle:
    return Lifecycle(
        document_type="purchase_requisition",
        states=PR_STATES,
        initial=PR_OPEN,
        transitions={
            # Bookkeeping, taken by whoever's step changed the coverage (a purchase order
            # placed or cancelled, a transfer refused): re-derives open / ordered.
            "cover": step(
                "cover",
                [PR_OPEN, PR_ORDERED],
                DERIVED,
                BUYERS | APPROVERS | {Role.WAREHOUSE, Role.PLANNER, Role.MATERIALS_CONTROL},
            ),
            "transfer": step(
                "transfer",
                [PR_OPEN],
                DERIVED,
                BUYERS | {Role.PLANNER, Role.MATERIALS_CONTROL},
                fields=TransferFields,
            ),
            "cancel": step(
                "cancel",
                [PR_OPEN],
                DERIVED,
                PLANNERS | {Role.PROCUREMENT_MANAGER, Role.PROCUREMENT},
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
    )


def make_order_lifecycle(**hooks: object) -> Lifecycle:
    open_after = [ORDERED, CONFIRMED, SHIPPED, RECEIVING]
    return Lifecycle(
        document_type="purchase_order",
        states=PO_STATES,
        initial=DRAFT,
        transitions={
            "revise": step("revise", [DRAFT], DRAFT, BUYERS, fields=ReviseFields),
            "submit": step("submit", [DRAFT], PENDING_APPROVAL, BUYERS, fields=SubmitFields),
            "approve": step("approve", [PENDING_APPROVAL], ORDERED, APPROVERS),
            "reject": step(
                "reject",
                [PENDING_APPROVAL],
                DRAFT,
                APPROVERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
            "confirm_date": step(
                "confirm_date", [ORDERED, CONFIRMED], CONFIRMED, BUYERS, fields=ConfirmDateFields
            ),
            "report_late": step(
                "report_late",
                [ORDERED, CONFIRMED, SHIPPED],
                DERIVED,
                BUYERS,
                fields=ReportLateFields,
                needs_reason=True,
            ),
            "confirm_shipment": step(
                "confirm_shipment",
                [ORDERED, CONFIRMED],
                SHIPPED,
                BUYERS,
                fields=ConfirmShipmentFields,
            ),
            "receive": step(
                "receive",
                [ORDERED, CONFIRMED, SHIPPED, RECEIVING],
                DERIVED,
                RECEIVERS,
                fields=ReceiveFields,
            ),
            "inspected": step(
                "inspected", [RECEIVING], DERIVED, INSPECTORS, fields=InspectedFields
            ),
            "settle_rejects": step(
                "settle_rejects",
                [RECEIVING],
                DERIVED,
                BUYERS | CONCEDERS,
                fields=SettleRejectsFields,
            ),
            "agree_remainder": step(
                "agree_remainder", [RECEIVING], RECEIVING, BUYERS, fields=AgreeRemainderFields
            ),
            "request_reduction": step(
                "request_reduction",
                open_after,
                DERIVED,
                BUYERS,
                fields=RequestReductionFields,
                needs_reason=True,
            ),
            "consent_reduction": step("consent_reduction", open_after, DERIVED, PLANNERS),
            "refuse_reduction": step(
                "refuse_reduction",
                open_after,
                DERIVED,
                PLANNERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
            "cancel": step(
                "cancel",
                [DRAFT, PENDING_APPROVAL, *open_after],
                DERIVED,
                APPROVERS,
                fields=CancelFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )


# --- pure rules ---------------------------------------------------------------------------


def amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def requirement(unit_use: Decimal, for_quantity: Decimal, allowance: Decimal) -> Decimal:
    """H2: unit use × order quantity × (1 + overage allowance, 抛数)."""
    return unit_use * for_quantity * (1 + allowance)


#: Where a purchase line's unit use came from: the sales order's BOM, or the user.
FROM_BOM, ENTERED = "bom", "entered"


@dataclass(frozen=True)
class Basis:
    """What a purchase line for a sales order is checked against (H2), and whence."""

    unit_use: Decimal | None
    for_quantity: Decimal | None
    #: None: the policy's default allowance, applied when the line is checked.
    allowance: Decimal | None
    source: str | None
    #: The BOM's unit use (its overage included), kept to show a differing entry.
    bom_unit_use: Decimal | None = None


def basis_of(
    *,
    unit_use: Decimal | None,
    for_quantity: Decimal | None,
    allowance: Decimal | None,
    bom: BomUse | None,
    default_allowance: Decimal,
) -> Basis:
    """The user's unit use and quantity where given, the rest from the order's BOM.

    The BOM's figure already holds its overage (抛数) at every level, so a line taking it
    adds no default allowance. A line whose user typed a unit use keeps it (they may know
    better, e.g. a new cutting plan) with the allowance it was checked with, so the read
    model can say whether it differs from the BOM."""
    source = ENTERED if unit_use is not None else None
    if bom is None:
        return Basis(unit_use, for_quantity, allowance, source)
    if unit_use is None:
        source, unit_use = FROM_BOM, bom.unit_use
        allowance = allowance if allowance is not None else ZERO
    elif allowance is None:
        allowance = default_allowance
    return Basis(
        unit_use,
        for_quantity if for_quantity is not None else bom.for_quantity,
        allowance,
        source,
        bom.unit_use,
    )


def differs_from_bom(
    unit_use: Decimal | None, allowance: Decimal | None, bom_unit_use: Decimal | None
) -> bool:
    """A typed unit use, with its allowance, other than the BOM's (overage included):
    2 kg + 5 % matches a BOM of 2.1 kg, 2.5 kg does not."""
    if unit_use is None or bom_unit_use is None:
        return False
    effective = (unit_use * (1 + (allowance or ZERO))).quantize(FOUR_PLACES, rounding=ROUND_CEILING)
    return effective != bom_unit_use


@dataclass(frozen=True)
class LineCheck:
    """One purchase line as submitted, with what it is checked against."""

    index: int
    quantity: Decimal
    #: What may be bought: a requisition's open quantity, or unit use × quantity; None when
    #: nothing bounds it (a stock purchase with no sales order).
    limit: Decimal | None
    #: Why there is no limit although there should be (a sales-order line without unit use).
    missing_basis: bool = False
    #: Free stock of the material at the group's other companies (A5).
    group_free: Decimal = ZERO
    #: The supplier's lead time for it (A4), and the earliest arrival if ordered today.
    lead_time_days: int = 0
    earliest: date | None = None


def submit_problems(
    lines: Iterable[LineCheck],
    *,
    due_date: date,
    today: date,
    transfer_first: bool,
    no_transfer_reason: str,
    supplier_promised_date: date | None = None,
) -> list[FieldError]:
    """Everything wrong with a purchase order before it goes to the manager (H2, A5, A4)."""
    problems: list[FieldError] = []
    lines = list(lines)
    if due_date < today:
        problems.append(FieldError("due_date", "The planned arrival date is past", "past_date"))
    # 3.1.2: the date comes from the lead-time table, or the supplier agreed a sooner one.
    agreed = supplier_promised_date is not None and supplier_promised_date <= due_date
    slow = [line for line in lines if line.earliest is not None and line.earliest > due_date]
    if slow and not agreed and due_date >= today:
        first = max(slow, key=lambda line: line.earliest or due_date)
        problems.append(
            FieldError(
                "due_date",
                f"The supplier's lead time is {first.lead_time_days} days: it arrives "
                f"{first.earliest} at the earliest; agree a date with the supplier "
                "(supplier_promised_date) or plan a later one",
                "lead_time",
            )
        )
    for line in lines:
        where = f"lines[{line.index}]"
        if line.missing_basis:
            problems.append(
                FieldError(
                    f"{where}.unit_use",
                    "A purchase for a sales order is checked against unit use × quantity (H2): "
                    "the order's bills of material do not use it, so give unit use and the "
                    "quantity it is for",
                    "missing_basis",
                )
            )
        elif line.limit is not None and line.quantity > line.limit:
            problems.append(
                FieldError(
                    f"{where}.quantity",
                    f"More than is needed: at most {fmt(line.limit)} (unit use × quantity, "
                    "or what the requisition still needs)",
                    "over_requirement",
                )
            )
        if transfer_first and line.group_free > 0 and not no_transfer_reason:
            problems.append(
                FieldError(
                    f"{where}.quantity",
                    f"{fmt(line.group_free)} free at a group company: request a transfer "
                    "(调拨) first, or say why not (no_transfer_reason)",
                    "transfer_first",
                )
            )
    return problems


def fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


@dataclass(frozen=True)
class LineFacts:
    quantity: Decimal
    cancelled: Decimal
    received: Decimal
    accepted: Decimal
    rejected: Decimal
    returned: Decimal

    @property
    def wanted(self) -> Decimal:
        return self.quantity - self.cancelled


def derive_state(current: str, lines: Iterable[LineFacts]) -> str:
    """Where a placed order stands, from its lines: received once everything wanted passed
    inspection, receiving once anything arrived; else its follow-up state stays."""
    lines = list(lines)
    if all(line.wanted <= 0 for line in lines):
        return RECEIVED if any(line.accepted > 0 for line in lines) else CANCELLED
    if all(line.accepted >= line.wanted for line in lines):
        return RECEIVED
    if any(line.received > 0 for line in lines):
        return RECEIVING
    return current if current in (ORDERED, CONFIRMED, SHIPPED) else ORDERED


def over_delivery(outstanding: Decimal, arriving: Decimal) -> bool:
    """H5: a supplier's delivery beyond what is still owed is refused (一律不予入库)."""
    return arriving > outstanding


def reduction_problems(
    current: Mapping[int, tuple[Decimal, Decimal]], asked: Iterable[LineQuantity]
) -> list[FieldError]:
    """A reduction (H6) lowers lines, never below what arrived and is kept.
    ``current``: line_no → (wanted, kept = received − returned)."""
    problems: list[FieldError] = []
    for i, item in enumerate(asked):
        line = current.get(item.line_no)
        if line is None:
            problems.append(FieldError(f"lines[{i}].line_no", "No such line", "unknown_line"))
            continue
        wanted, kept = line
        if item.quantity >= wanted:
            problems.append(
                FieldError(
                    f"lines[{i}].quantity",
                    f"A reduction goes below the {fmt(wanted)} now ordered",
                    "not_a_reduction",
                )
            )
        elif item.quantity < kept:
            problems.append(
                FieldError(
                    f"lines[{i}].quantity",
                    f"{fmt(kept)} have arrived already",
                    "below_received",
                )
            )
    return problems


# --- supplier on-time rate (H7) ---------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryFact:
    """One placed purchase line: when it was due, and when it had all arrived (if so)."""

    key: object
    due_date: date
    completed_on: date | None


@dataclass(frozen=True)
class OnTime:
    on_time: int
    late: int

    @property
    def counted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> Decimal | None:
        if not self.counted:
            return None
        return (Decimal(self.on_time) / self.counted).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )


def on_time_rates(facts: Iterable[DeliveryFact], today: date) -> dict[object, OnTime]:
    """Per key (a supplier, a material): lines complete by their due date, against lines
    complete late or still open past it. Lines not yet due and open do not count yet."""
    tally: dict[object, list[int]] = {}
    for fact in facts:
        counts = tally.setdefault(fact.key, [0, 0])
        if fact.completed_on is not None:
            counts[0 if fact.completed_on <= fact.due_date else 1] += 1
        elif fact.due_date < today:
            counts[1] += 1
    return {key: OnTime(on, late) for key, (on, late) in tally.items()}
