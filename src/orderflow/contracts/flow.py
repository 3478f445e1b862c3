"""The contract's lifecycle and its pure rules (D3, D4).

    draft ──send──▶ sent ──record_signature (scan)──▶ signed ──file──▶ filed ──verify_deposit──▶ effective
      └────────────┴──withdraw──▶ withdrawn

The order becomes effective when the customer signed and finance verified the deposit
(§订单处理业务流程和管理标准 四, §订单管理制度流程 四); a stock-up notice issued before the
contract has the same force (备货通知单与生产通知单同等效力, ``orderflow.stockup``).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, Field

from orderflow.auth.roles import Role
from orderflow.core.workflow import Lifecycle, step

DRAFT, SENT, SIGNED, FILED = "draft", "sent", "signed", "filed"
EFFECTIVE, WITHDRAWN = "effective", "withdrawn"
STATES = (DRAFT, SENT, SIGNED, FILED, EFFECTIVE, WITHDRAWN)
#: The customer has signed (and it may be filed, its deposit verified).
SIGNED_STATES = (SIGNED, FILED, EFFECTIVE)

_SELLERS = frozenset({Role.SALES_CLERK, Role.ORDER_MANAGER, Role.ADMIN})
_FINANCE = frozenset({Role.FINANCE, Role.FINANCE_MANAGER, Role.ADMIN})


class _Fields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SendFields(_Fields):
    message: str = Field(default="", max_length=2000)


class SignatureFields(_Fields):
    #: The scan uploaded first (POST /contracts/{id}/signature does both in one go).
    file_id: int
    signatory: str = Field(min_length=1, max_length=120)
    signed_on: date | None = None


class FileFields(_Fields):
    note: str = Field(default="", max_length=1000)


class DepositFields(_Fields):
    amount: Decimal = Field(gt=0, max_digits=16, decimal_places=2)
    reference: str = Field(min_length=1, max_length=120)
    received_on: date | None = None
    method: str = Field(default="bank_transfer", max_length=20)


class ReasonFields(_Fields):
    reason: str = Field(min_length=1, max_length=2000)


def deposit_for(amount: Decimal, share: Decimal) -> Decimal:
    return (amount * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def make_lifecycle(**hooks: object) -> Lifecycle:
    return Lifecycle(
        document_type="contract",
        states=STATES,
        initial=DRAFT,
        transitions={
            "send": step("send", [DRAFT], SENT, _SELLERS, fields=SendFields),
            "record_signature": step(
                "record_signature", [DRAFT, SENT], SIGNED, _SELLERS, fields=SignatureFields
            ),
            "file": step("file", [SIGNED], FILED, _SELLERS, fields=FileFields),
            "verify_deposit": step(
                "verify_deposit", [FILED], EFFECTIVE, _FINANCE, fields=DepositFields
            ),
            "withdraw": step(
                "withdraw",
                [DRAFT, SENT],
                WITHDRAWN,
                _SELLERS,
                fields=ReasonFields,
                needs_reason=True,
            ),
        },
        **hooks,  # type: ignore[arg-type]
    )
