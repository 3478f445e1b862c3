"""The sales order's lifecycle and its pure rules.

    draft (待确认) ──confirm──▶ confirmed (已确认) ──ship──▶ partially_shipped / shipped
        │                        │                               │
        └──────cancel────────────┴──▶ cancelled                  deliver
                                                                 ▼
                                     completed ◀──pay (in full)── delivered

After confirmation the state is *derived* from facts (what was shipped, delivered and
paid) by ``derive_state``; ship, deliver, invoice and pay record the facts and let the
derivation say where the order now stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orderflow.auth.roles import Role
from orderflow.core.documents import DocumentMixin
from orderflow.core.errors import ReviewRequired
from orderflow.core.workflow import DERIVED, Lifecycle, step
from orderflow.review.classify import DECLINED, IF_SHORT, IN_REVIEW, REQUIRED

DRAFT, CONFIRMED, PARTIALLY_SHIPPED, SHIPPED = "draft", "confirmed", "partially_shipped", "shipped"
DELIVERED, COMPLETED, CANCELLED = "delivered", "completed", "cancelled"
STATES = (DRAFT, CONFIRMED, PARTIALLY_SHIPPED, SHIPPED, DELIVERED, COMPLETED, CANCELLED)
OPEN_STATES = (CONFIRMED, PARTIALLY_SHIPPED, SHIPPED, DELIVERED)

SHORTAGE_OPTIONS = ("wait", "split", "substitute")
PAYMENT_METHODS = ("bank_transfer", "acceptance_bill", "cash", "cheque", "alipay", "wechat_pay")


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ConfirmFields(_Fields):
    promised_date: date | None = None
    #: What to do with lines short of stock (B6); without it a shortage refuses the step
    #: and reports the lines and the options.
    on_shortage: Literal["wait", "split", "substitute"] | None = None
    #: For "substitute": line number → code of the product that replaces it.
    substitutes: dict[int, str] = {}


class ShipLine(_Fields):
    line_no: int = Field(ge=1)
    quantity: Decimal = Field(gt=0)


class ShipFields(_Fields):
    carrier: str = Field(min_length=1, max_length=120)
    tracking_number: str = Field(default="", max_length=120)
    #: Omitted: everything reserved and not yet shipped.
    lines: list[ShipLine] | None = None


class DeliverFields(_Fields):
    signed_by: str = Field(min_length=1, max_length=120)
    #: Omitted: every shipment not yet delivered.
    shipment_number: str | None = None
    signed_at: datetime | None = None


class InvoiceFields(_Fields):
    #: Omitted: the whole amount not yet invoiced.
    amount: Decimal | None = Field(default=None, gt=0)
    tax_invoice_number: str = Field(default="", max_length=60)


class PayFields(_Fields):
    amount: Decimal = Field(gt=0)
    method: Literal["bank_transfer", "acceptance_bill", "cash", "cheque", "alipay", "wechat_pay"]
    reference: str = Field(default="", max_length=120)
    received_on: date | None = None

    @field_validator("amount")
    @classmethod
    def _cents(cls, value: Decimal) -> Decimal:
        if value != value.quantize(Decimal("0.01")):
            raise ValueError("amount has more than 2 decimal places")
        return value


class CancelFields(_Fields):
    reason: str = Field(min_length=1, max_length=1000)


class ClassifyFields(_Fields):
    """A person overrides the rules' classification (C1); the reason is recorded."""

    regularity: Literal["regular", "non_regular"]
    category: Literal["general", "special"]
    reason: str = Field(min_length=1, max_length=1000)


class ReassignFields(_Fields):
    #: The user who handles the order from now on; omitted: the assignment rules pick (B8).
    handler_id: int | None = None
    reason: str = Field(min_length=1, max_length=1000)


def review_gate(order: DocumentMixin, fields: object) -> None:
    """Confirmation waits for the review (C2): a non-regular, project, rush or large order
    until its review passed; a regular one under ``when_short`` if it is to wait for stock,
    because waiting promises a date that stock does not back (C6)."""
    state = getattr(order, "review_state", None)
    if state in (REQUIRED, IN_REVIEW):
        raise ReviewRequired(
            f"{order.number} must pass its order review before it is confirmed",
            review_state=state,
        )
    if state == DECLINED:
        raise ReviewRequired(f"{order.number} was declined in review", review_state=state)
    if state == IF_SHORT and getattr(fields, "on_shortage", None) == "wait":
        raise ReviewRequired(
            f"{order.number} would wait for stock: its date must be reviewed first "
            "(start a review, or split or substitute the short lines)",
            review_state=state,
        )


@dataclass(frozen=True)
class LineFacts:
    quantity: Decimal
    shipped: Decimal


@dataclass(frozen=True)
class OrderFacts:
    """What happened to an order, from which its state follows."""

    lines: tuple[LineFacts, ...]
    shipments_delivered: tuple[bool, ...]
    total: Decimal
    paid: Decimal


def derive_state(facts: OrderFacts) -> str:
    """Where a confirmed order stands, from what was shipped, delivered and paid."""
    shipped_all = all(line.shipped >= line.quantity for line in facts.lines)
    shipped_any = any(line.shipped > 0 for line in facts.lines)
    delivered_all = shipped_all and all(facts.shipments_delivered)
    if delivered_all and facts.paid >= facts.total:
        return COMPLETED
    if delivered_all:
        return DELIVERED
    if shipped_all:
        return SHIPPED
    if shipped_any:
        return PARTIALLY_SHIPPED
    return CONFIRMED


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Rounded half up to the fen (四舍五入), as Chinese invoices do, not banker's rounding."""
    return (quantity * unit_price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def order_total(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0.00"))


def credit_available(
    limit: Decimal, exposure: Decimal, *, is_new: bool, new_factor: Decimal
) -> Decimal:
    """Credit left for a new order (B3): new customers get only a share of their limit."""
    effective = (limit * new_factor) if is_new else limit
    return effective - exposure


_SELLERS = {Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN}
_SHIPPERS = {Role.LOGISTICS, Role.WAREHOUSE, Role.ADMIN}
_FINANCE = {Role.FINANCE, Role.FINANCE_MANAGER, Role.ADMIN}


def make_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="sales_order",
        states=STATES,
        initial=DRAFT,
        transitions={
            "confirm": step(
                "confirm", [DRAFT], CONFIRMED, _SELLERS, fields=ConfirmFields, guard=review_gate
            ),
            "ship": step(
                "ship", [CONFIRMED, PARTIALLY_SHIPPED], DERIVED, _SHIPPERS, fields=ShipFields
            ),
            "deliver": step(
                "deliver",
                [PARTIALLY_SHIPPED, SHIPPED],
                DERIVED,
                _SHIPPERS | {Role.SALES_CLERK},
                fields=DeliverFields,
            ),
            "invoice": step(
                "invoice",
                [PARTIALLY_SHIPPED, SHIPPED, DELIVERED],
                DERIVED,
                _FINANCE,
                fields=InvoiceFields,
            ),
            "pay": step(
                "pay",
                [CONFIRMED, PARTIALLY_SHIPPED, SHIPPED, DELIVERED],
                DERIVED,
                _FINANCE,
                fields=PayFields,
            ),
            "cancel": step(
                "cancel",
                [DRAFT, CONFIRMED],
                CANCELLED,
                _SELLERS | {Role.GENERAL_MANAGER},
                fields=CancelFields,
                needs_reason=True,
            ),
            "classify": step(
                "classify",
                [DRAFT],
                DRAFT,
                {Role.ORDER_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN},
                fields=ClassifyFields,
                needs_reason=True,
            ),
            "reassign": step(
                "reassign",
                [DRAFT, CONFIRMED, PARTIALLY_SHIPPED, SHIPPED, DELIVERED],
                DERIVED,
                {Role.ORDER_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN},
                fields=ReassignFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )
