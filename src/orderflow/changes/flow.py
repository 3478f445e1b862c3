"""Change notices' lifecycle and pure rules (G1-G3): the patch, its consequences, the diff;
and the design error notice's (G4), at the end.

    received ──classify (within 30 min)──▶ classified (minor: production adjusts)
        │                               └─▶ in_review (date: the date is reviewed again;
        │                                    structural: a full non-regular review)
        │   classified / in_review (review passed) ──apply──▶ applied (a new order version)
        └──withdraw──▶ withdrawn            in_review ──reject (review declined)──▶ rejected

Minor: no structure, no schedule impact → production adjusts. Date-moving → the delivery
date is re-reviewed and negotiated. Structural (product structure or main components) →
the non-regular review again, a supplementary contract and the price change
(§订单处理业务流程和管理标准 五.2). A technical change needs the customer's written
approval on file before it is answered (§技术部 3.2, 3.5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from orderflow.auth.roles import Role
from orderflow.core.errors import FieldError, PermissionDenied, ValidationFailed
from orderflow.core.workflow import DERIVED, Lifecycle, step
from orderflow.sales.flow import line_amount, order_total

RECEIVED, CLASSIFIED, IN_REVIEW = "received", "classified", "in_review"
APPLIED, REJECTED, WITHDRAWN = "applied", "rejected", "withdrawn"
STATES = (RECEIVED, CLASSIFIED, IN_REVIEW, APPLIED, REJECTED, WITHDRAWN)
MINOR, DATE, STRUCTURAL = "minor", "date", "structural"

_ANSWERERS = frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN})
HEADER_FIELDS = (
    "requested_date",
    "delivery_address",
    "technical_requirements",
    "quality_requirements",
    "notes",
)


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LinePatch(_Fields):
    #: The line to change or remove; omitted: a new line.
    line_no: int | None = Field(default=None, ge=1)
    product_code: str | None = None
    quantity: Decimal | None = Field(default=None, gt=0, max_digits=14, decimal_places=4)
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    remove: bool = False

    @model_validator(mode="after")
    def _complete(self) -> LinePatch:
        if self.line_no is None and (self.product_code is None or self.quantity is None):
            raise ValueError("a new line needs product_code and quantity")
        return self


class ChangePatch(_Fields):
    requested_date: date | None = None
    delivery_address: str | None = Field(default=None, max_length=400)
    technical_requirements: str | None = Field(default=None, max_length=4000)
    quality_requirements: str | None = Field(default=None, max_length=4000)
    notes: str | None = Field(default=None, max_length=4000)
    lines: list[LinePatch] = Field(default=[], max_length=200)

    @model_validator(mode="after")
    def _something(self) -> ChangePatch:
        if not self.lines and all(getattr(self, f) is None for f in HEADER_FIELDS):
            raise ValueError("the change changes nothing")
        return self


class ClassifyFields(_Fields):
    impact: Literal["minor", "date", "structural"]
    answer: str = Field(min_length=1, max_length=4000)


class AckFields(_Fields):
    note: str = Field(default="", max_length=2000)


class ApplyFields(_Fields):
    note: str = Field(default="", max_length=2000)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=2000)


def suggested_impact(patch: ChangePatch) -> str:
    """What the patch looks like at first sight; the person answering decides (G2)."""
    if any(ln.line_no is None or ln.remove or ln.product_code for ln in patch.lines):
        return STRUCTURAL
    if patch.requested_date is not None or any(ln.quantity is not None for ln in patch.lines):
        return DATE
    return MINOR


def patched_total(
    lines: Mapping[int, tuple[Decimal, Decimal]],
    patch: ChangePatch,
    price_of: Callable[[str, Decimal], Decimal | None],
) -> Decimal | None:
    """The order's total once the patch is applied, as ``versions.apply_patch`` will price
    it (a new line without a price takes the list price), from ``{line_no: (quantity,
    unit price)}``; None when a new line has no price. The supplementary contract of a
    structural change proposes the difference as its price (G2)."""
    current = dict(lines)
    for item in patch.lines:
        if item.line_no is None:
            assert item.product_code is not None and item.quantity is not None
            price = item.unit_price
            if price is None:
                price = price_of(item.product_code, item.quantity)
            if price is None:
                return None
            current[max(current, default=0) + 1] = (item.quantity, price)
        elif item.line_no in current:
            if item.remove:
                del current[item.line_no]
                continue
            quantity, price = current[item.line_no]
            current[item.line_no] = (
                item.quantity if item.quantity is not None else quantity,
                item.unit_price if item.unit_price is not None else price,
            )
    return order_total(line_amount(q, p) for q, p in current.values())


# --- versions and their diff -------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    #: "requested_date", "lines[2].quantity", "lines[3]" (added or removed)
    field: str
    before: Any
    after: Any


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[DiffRow]:
    """What changed from snapshot ``a`` to ``b``: header fields, then lines by number."""
    rows = [
        DiffRow(key, a["header"].get(key), b["header"].get(key))
        for key in sorted(set(a["header"]) | set(b["header"]))
        if a["header"].get(key) != b["header"].get(key)
    ]
    lines_a = {int(k): v for k, v in a["lines"].items()}
    lines_b = {int(k): v for k, v in b["lines"].items()}
    for no in sorted(set(lines_a) | set(lines_b)):
        before, after = lines_a.get(no), lines_b.get(no)
        if before is None or after is None:
            rows.append(DiffRow(f"lines[{no}]", _line_text(before), _line_text(after)))
            continue
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                rows.append(DiffRow(f"lines[{no}].{key}", before.get(key), after.get(key)))
    return rows


def _line_text(line: dict[str, Any] | None) -> str | None:
    if line is None:
        return None
    return f"{line['product_code']} × {line['quantity']} @ {line['unit_price']}"


def make_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="change_notice",
        states=STATES,
        initial=RECEIVED,
        transitions={
            "classify": step(
                "classify",
                [RECEIVED],
                DERIVED,
                _ANSWERERS | {Role.TECHNICAL, Role.TECHNICAL_MANAGER},
                fields=ClassifyFields,
            ),
            "acknowledge": step(
                "acknowledge",
                [CLASSIFIED],
                CLASSIFIED,
                {Role.PRODUCTION_MANAGER, Role.PRODUCTION, Role.ADMIN},
                fields=AckFields,
            ),
            "apply": step(
                "apply", [CLASSIFIED, IN_REVIEW], APPLIED, _ANSWERERS, fields=ApplyFields
            ),
            "reject": step(
                "reject",
                [IN_REVIEW],
                REJECTED,
                {Role.GENERAL_MANAGER, Role.ORDER_MANAGER, Role.ADMIN},
                fields=ReasonFields,
                needs_reason=True,
            ),
            "withdraw": step(
                "withdraw",
                [RECEIVED, CLASSIFIED, IN_REVIEW],
                WITHDRAWN,
                _ANSWERERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )


# --- design error notices (G4) -------------------------------------------------------------
#
#     issued ──acknowledge (each notified department)──▶ acknowledged (all have)
#       └──withdraw (design department, reason)──▶ withdrawn

DE_ISSUED, DE_ACKNOWLEDGED, DE_WITHDRAWN = "issued", "acknowledged", "withdrawn"
DE_STATES = (DE_ISSUED, DE_ACKNOWLEDGED, DE_WITHDRAWN)
DESIGNERS = frozenset({Role.TECHNICAL, Role.TECHNICAL_MANAGER, Role.ADMIN})


class DesignAckFields(_Fields):
    #: Which department the caller confirms for, when they belong to several told.
    department: str | None = None
    note: str = Field(default="", max_length=2000)


def departments_of(
    notified: Sequence[str], caller_roles: Iterable[str], department_roles: Mapping[str, Any]
) -> list[str]:
    """The notified departments the caller works in (an administrator: any of them)."""
    roles = set(caller_roles)
    if Role.ADMIN in roles:
        return list(notified)
    return [d for d in notified if roles & set(department_roles.get(d, ()))]


def pick_department(pending: Sequence[str], mine: Sequence[str], asked: str | None) -> str:
    """The department the caller confirms for: the one asked, or their only one still to
    confirm."""
    open_mine = [d for d in pending if d in mine]
    if asked is not None:
        if asked not in open_mine:
            raise ValidationFailed.of(
                [
                    FieldError(
                        "department",
                        f"{asked!r} is not one of your departments still to confirm",
                        "not_pending",
                    )
                ]
            )
        return asked
    if not open_mine:
        raise PermissionDenied("None of your departments is still to confirm this notice")
    if len(open_mine) > 1:
        raise ValidationFailed.of(
            [
                FieldError(
                    "department", f"Say which department you confirm for: {open_mine}", "ambiguous"
                )
            ]
        )
    return open_mine[0]


def design_lifecycle(notifiable_roles: Iterable[str]) -> Lifecycle:
    """``notifiable_roles``: every role of every department a notice may be told to."""
    return Lifecycle(
        document_type="design_error_notice",
        states=DE_STATES,
        initial=DE_ISSUED,
        transitions={
            "acknowledge": step(
                "acknowledge",
                [DE_ISSUED],
                DERIVED,
                {*notifiable_roles, Role.ADMIN},
                fields=DesignAckFields,
            ),
            "withdraw": step(
                "withdraw",
                [DE_ISSUED],
                DE_WITHDRAWN,
                DESIGNERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
    )
