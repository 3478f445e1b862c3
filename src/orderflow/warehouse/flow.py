"""Lifecycles of the warehouse's documents and their pure rules.

Transfer order (调拨单)::

    requested ──ship (supplying company)──▶ shipped ──receive (receiving company)──▶ received
        ├──refuse (supplying company)──▶ refused
        └──cancel (requesting side)──▶ cancelled

Customer-supplied notice (客供料)::

    expected ──sign_in──▶ received (all counted) / short (less than promised)
        └──cancel──▶ cancelled          (report_late keeps it expected, with a slip)

Stock count (盘点)::

    open ──record──▶ counted ──post──▶ posted       (open / counted ──cancel──▶ cancelled)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.errors import FieldError
from orderflow.core.workflow import DERIVED, Lifecycle, step

ZERO = Decimal(0)

TR_REQUESTED, TR_SHIPPED, TR_RECEIVED = "requested", "shipped", "received"
TR_REFUSED, TR_CANCELLED = "refused", "cancelled"
TR_STATES = (TR_REQUESTED, TR_SHIPPED, TR_RECEIVED, TR_REFUSED, TR_CANCELLED)

CS_EXPECTED, CS_RECEIVED, CS_SHORT, CS_CANCELLED = "expected", "received", "short", "cancelled"
CS_STATES = (CS_EXPECTED, CS_RECEIVED, CS_SHORT, CS_CANCELLED)

SC_OPEN, SC_COUNTED, SC_POSTED, SC_CANCELLED = "open", "counted", "posted", "cancelled"
SC_STATES = (SC_OPEN, SC_COUNTED, SC_POSTED, SC_CANCELLED)

WAREHOUSE = frozenset({Role.WAREHOUSE, Role.ADMIN})
REQUESTERS = frozenset(
    {
        Role.PLANNER,
        Role.MATERIALS_CONTROL,
        Role.PROCUREMENT,
        Role.PROCUREMENT_MANAGER,
        Role.ADMIN,
    }
)
SALES_SIDE = frozenset({Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN})


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ShipFields(_Fields):
    carrier: str = Field(default="", max_length=120)


class NoteFields(_Fields):
    note: str = Field(default="", max_length=1000)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=1000)


class CountedLine(_Fields):
    line_no: int = Field(ge=1)
    counted: Decimal = Field(ge=0, max_digits=14, decimal_places=4)


class SignInFields(_Fields):
    """I3: the warehouse counts what came, with the customer's list and sample in hand."""

    lines: list[CountedLine] = Field(min_length=1)
    #: Who brought it and signed the count.
    signed_by: str = Field(min_length=1, max_length=120)
    #: The customer's list and a physical sample came with it (实样和清单).
    with_list_and_sample: bool = True
    note: str = Field(default="", max_length=1000)


class ReportLateFields(_Fields):
    new_expected_date: date | None = None
    reason: str = Field(min_length=1, max_length=1000)


class CountLine(_Fields):
    #: A line of the count sheet, or a new one (a location and product found there).
    line_no: int | None = Field(default=None, ge=1)
    location_code: str | None = None
    product_code: str | None = None
    counted: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    #: Why it differs from the books (required when it does).
    reason: str = Field(default="", max_length=200)


class RecordCountFields(_Fields):
    lines: list[CountLine] = Field(min_length=1)


def make_transfer_lifecycle() -> Lifecycle:
    return Lifecycle(
        document_type="transfer_order",
        states=TR_STATES,
        initial=TR_REQUESTED,
        transitions={
            "ship": step("ship", [TR_REQUESTED], TR_SHIPPED, WAREHOUSE, fields=ShipFields),
            "receive": step("receive", [TR_SHIPPED], TR_RECEIVED, WAREHOUSE, fields=NoteFields),
            "refuse": step(
                "refuse",
                [TR_REQUESTED],
                TR_REFUSED,
                WAREHOUSE | {Role.GENERAL_MANAGER},
                fields=ReasonFields,
                needs_reason=True,
            ),
            "cancel": step(
                "cancel",
                [TR_REQUESTED],
                TR_CANCELLED,
                REQUESTERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
    )


def make_customer_supplied_lifecycle() -> Lifecycle:
    return Lifecycle(
        document_type="customer_supplied",
        states=CS_STATES,
        initial=CS_EXPECTED,
        transitions={
            "sign_in": step("sign_in", [CS_EXPECTED], DERIVED, WAREHOUSE, fields=SignInFields),
            "report_late": step(
                "report_late",
                [CS_EXPECTED],
                CS_EXPECTED,
                SALES_SIDE | WAREHOUSE,
                fields=ReportLateFields,
                needs_reason=True,
            ),
            "cancel": step(
                "cancel",
                [CS_EXPECTED],
                CS_CANCELLED,
                SALES_SIDE,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
    )


def make_count_lifecycle() -> Lifecycle:
    return Lifecycle(
        document_type="stock_count",
        states=SC_STATES,
        initial=SC_OPEN,
        transitions={
            "record": step(
                "record", [SC_OPEN, SC_COUNTED], SC_COUNTED, WAREHOUSE, fields=RecordCountFields
            ),
            "post": step("post", [SC_COUNTED], SC_POSTED, WAREHOUSE),
            "cancel": step(
                "cancel",
                [SC_OPEN, SC_COUNTED],
                SC_CANCELLED,
                WAREHOUSE,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
    )


def short_lines(lines: Iterable[tuple[int, Decimal, Decimal]]) -> list[tuple[int, Decimal]]:
    """(line_no, promised, counted) → the lines that came short, with how much is missing."""
    return [(no, promised - counted) for no, promised, counted in lines if counted < promised]


def count_problems(lines: Iterable[tuple[int, Decimal, Decimal, str]]) -> list[FieldError]:
    """(index, book, counted, reason): every difference from the books needs its reason."""
    return [
        FieldError(f"lines[{i}].reason", "Say why the count differs from the books", "missing")
        for i, book, counted, reason in lines
        if counted != book and not reason.strip()
    ]
