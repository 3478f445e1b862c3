"""The quote's lifecycle and its pure pricing rules (D1).

    requested ──price──▶ priced ──sign (quoter) + sign (technical head)──▶ signed ──send──▶ sent
                           ▲  └──────────────────revise (new version)──────────┘            │
                           └──────────────────────revise──────────────────────────── accept / reject

A regular item is priced from the price list (报价表); a non-regular item carries the
surcharges of the 异型更改标准 in the policy, a share of the list price per reason. Each
pricing is a version; revising clears the signatures, which belong to one version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.workflow import DERIVED, Lifecycle, step

REQUESTED, PRICED, SIGNED, SENT = "requested", "priced", "signed", "sent"
ACCEPTED, REJECTED, WITHDRAWN = "accepted", "rejected", "withdrawn"
STATES = (REQUESTED, PRICED, SIGNED, SENT, ACCEPTED, REJECTED, WITHDRAWN)

QUOTERS = frozenset({Role.ORDER_MANAGER, Role.SALES_CLERK, Role.ADMIN})
TECHNICAL_HEAD = frozenset({Role.TECHNICAL_MANAGER})
_SELLERS = frozenset({Role.SALES, Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN})

Reason = Literal[
    "custom_design",
    "discontinued_product",
    "quality_beyond_standard",
    "tight_date_with_penalty",
    "rush",
]


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PriceOverride(_Fields):
    line_no: int = Field(ge=1)
    #: The quoter's price for this line, replacing list price + surcharges.
    unit_price: Decimal = Field(ge=0, max_digits=16, decimal_places=2)


class PriceFields(_Fields):
    validity_days: int | None = Field(default=None, ge=1, le=365)
    notes: str = Field(default="", max_length=4000)
    overrides: list[PriceOverride] = []


class SignFields(_Fields):
    #: "quoter" or "technical": which signature, when the caller may give both.
    as_: Literal["quoter", "technical"] | None = Field(default=None, alias="as")
    comment: str = Field(default="", max_length=1000)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SendFields(_Fields):
    message: str = Field(default="", max_length=2000)


class AcceptFields(_Fields):
    note: str = Field(default="", max_length=2000)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=2000)


@dataclass(frozen=True)
class PricedLine:
    line_no: int
    product_id: int
    product_code: str
    product_name: str
    model_spec: str
    unit: str
    quantity: Decimal
    list_price: Decimal
    surcharge_share: Decimal
    reasons: tuple[str, ...]
    unit_price: Decimal
    amount: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "line_no": self.line_no,
            "product_id": self.product_id,
            "product_code": self.product_code,
            "product_name": self.product_name,
            "model_spec": self.model_spec,
            "unit": self.unit,
            "quantity": str(self.quantity),
            "list_price": str(self.list_price),
            "surcharge_share": str(self.surcharge_share),
            "reasons": list(self.reasons),
            "unit_price": str(self.unit_price),
            "amount": str(self.amount),
        }


def fen(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def surcharge_share(reasons: Iterable[str], surcharges: Mapping[str, Decimal]) -> Decimal:
    """Surcharges add up: a custom design that is also a rush pays both."""
    return sum((surcharges.get(r, Decimal(0)) for r in set(reasons)), Decimal(0))


def price_line(
    *,
    line_no: int,
    product: tuple[int, str, str, str, str],
    quantity: Decimal,
    list_price: Decimal,
    reasons: Iterable[str],
    surcharges: Mapping[str, Decimal],
    override: Decimal | None = None,
) -> PricedLine:
    reasons = tuple(sorted(set(reasons) & set(surcharges)))
    share = surcharge_share(reasons, surcharges)
    unit = fen(override) if override is not None else fen(list_price * (1 + share))
    pid, code, name, spec, uom = product
    return PricedLine(
        line_no=line_no,
        product_id=pid,
        product_code=code,
        product_name=name,
        model_spec=spec,
        unit=uom,
        quantity=quantity,
        list_price=list_price,
        surcharge_share=share if override is None else Decimal(0),
        reasons=reasons,
        unit_price=unit,
        amount=fen(unit * quantity),
    )


def is_expired(valid_until: date | None, today: date) -> bool:
    return valid_until is not None and today > valid_until


def make_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="quote",
        states=STATES,
        initial=REQUESTED,
        transitions={
            "price": step("price", [REQUESTED], PRICED, QUOTERS, fields=PriceFields),
            "sign": step("sign", [PRICED], DERIVED, QUOTERS | TECHNICAL_HEAD, fields=SignFields),
            "send": step("send", [SIGNED], SENT, _SELLERS, fields=SendFields),
            "accept": step("accept", [SENT], ACCEPTED, _SELLERS, fields=AcceptFields),
            "reject": step(
                "reject", [SENT], REJECTED, _SELLERS, fields=ReasonFields, needs_reason=True
            ),
            "revise": step(
                "revise", [PRICED, SIGNED, SENT, REJECTED], PRICED, QUOTERS, fields=PriceFields
            ),
            "withdraw": step(
                "withdraw",
                [REQUESTED, PRICED, SIGNED, SENT],
                WITHDRAWN,
                QUOTERS | _SELLERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )
