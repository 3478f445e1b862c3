"""B3: a customer's credit — what they owe on open orders, what is left of their limit, and
the check at order entry (under a row lock where writers interleave)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from orderflow.core.errors import FieldErrors
from orderflow.parties.models import Customer
from orderflow.runtime import Runtime
from orderflow.sales.flow import OPEN_STATES, credit_available
from orderflow.sales.models import SalesOrder

#: What a customer owes on open orders: the credit already in use (B3).
_OWED = func.coalesce(func.sum(SalesOrder.total_amount - SalesOrder.paid_amount), 0)
_OPEN = SalesOrder.state.in_(OPEN_STATES)
_EXPOSURE = select(_OWED).where(SalesOrder.customer_id == bindparam("customer_id"), _OPEN)
_EXPOSURE_OF_OTHERS = _EXPOSURE.where(SalesOrder.id != bindparam("order_id"))
#: The same figure as a column of a customer query, so order entry reads the customer and
#: what they owe in one round trip.
EXPOSURE_COLUMN = (
    select(_OWED)
    .where(SalesOrder.customer_id == Customer.id, _OPEN)
    .correlate(Customer)
    .scalar_subquery()
    .label("exposure")
)
# NO KEY UPDATE: the order's own INSERT already holds KEY SHARE on the customer row (its
# foreign key), which FOR UPDATE would conflict with, deadlocking two entries.
_LOCK_CUSTOMER = (
    select(Customer.id).where(Customer.id == bindparam("id")).with_for_update(key_share=True)
)


def credit_position(
    session: Session,
    rt: Runtime,
    customer: Customer,
    *,
    excluding: int | None = None,
    owed: Decimal | None = None,
) -> tuple[Decimal, Decimal]:
    """(exposure, available): what the customer owes on open orders (other than order
    ``excluding``), and what is left of their credit limit (stricter for a new customer) —
    B3, for entry and for review. ``owed``: the exposure already read with the customer
    (``EXPOSURE_COLUMN``), in this transaction."""
    if owed is None:
        owed = session.scalar(
            _EXPOSURE if excluding is None else _EXPOSURE_OF_OTHERS,
            {"customer_id": customer.id, "order_id": excluding},
        )
    exposure = Decimal(owed or 0)
    return exposure, credit_available(
        customer.credit_limit,
        exposure,
        is_new=customer.is_new,
        new_factor=rt.policy.thresholds.new_customer_credit_factor,
    )


def check_credit(
    session: Session,
    rt: Runtime,
    customer: Customer,
    total: Decimal,
    problems: FieldErrors,
    *,
    lock_excluding: int | None = None,
    owed: Decimal | None = None,
) -> None:
    """Refuse an order of ``total`` beyond the customer's credit. With ``lock_excluding``
    (the order being entered), the customer's row is locked first, so that concurrent
    orders of one customer are checked one after another, each seeing the others.
    ``owed``: the exposure read with the customer (not used under the lock)."""
    if lock_excluding is not None:
        session.execute(_LOCK_CUSTOMER, {"id": customer.id})
        owed = None  # read again: the lock may have waited for another order's commit
    _, left = credit_position(session, rt, customer, excluding=lock_excluding, owed=owed)
    if total > left:
        strict = " (new customer: stricter limit)" if customer.is_new else ""
        problems.add(
            "customer_id",
            f"Credit limit exceeded{strict}: {total} ordered, {max(left, Decimal(0))} available",
            "credit_limit",
        )
