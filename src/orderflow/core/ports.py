"""Ports: what one area asks of another, without importing it.

Planning needs open supply (purchases on order, transfers under way, customer-supplied
materials promised) and must be able to ask for purchases and transfers; review and change
handling ask planning for a promise date; every area must be able to raise an exception
slip (异常单) and to ask quality for an inspection. The areas that can answer (procurement,
inventory, quality) register their function here when their package is imported; the
asking area calls the port. This keeps the planning algorithms free of procurement's
tables, and lets each side be tested with a fake (``use(...)`` in tests).

A port with nothing registered raises ``PortNotConnected``: that is a wiring mistake,
never a business outcome, so it is not an ``OrderFlowError``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from orderflow.core.events import Actor
    from orderflow.runtime import Runtime

F = TypeVar("F", bound=Callable[..., Any])


class PortNotConnected(RuntimeError):
    pass


@dataclass(frozen=True)
class Supply:
    """Stock that will become available: what, where, how much, from when, from what."""

    company_id: int
    product_id: int
    quantity: Decimal
    available_on: date
    #: "purchase", "transfer", "customer_supplied", "production"
    source: str
    #: The document it comes from (a purchase order number…), for the reason shown to users.
    reference: str
    #: Supply earmarked for one sales order (bought per order, H1), else None.
    sales_order_id: int | None = None


@dataclass(frozen=True)
class PurchaseNeed:
    """Material to buy: the planning result handed to procurement (E7 → H1)."""

    company_id: int
    product_id: int
    quantity: Decimal
    needed_by: date
    sales_order_id: int | None
    reason: str = ""


@dataclass(frozen=True)
class TransferNeed:
    """Stock to move between the group's companies before anything is bought (A5, E7)."""

    from_company_id: int
    to_company_id: int
    product_id: int
    quantity: Decimal
    needed_by: date
    sales_order_id: int | None
    reason: str = ""


@dataclass(frozen=True)
class ExceptionReport:
    """An exception slip (异常单) raised by any area: what went wrong, on which document."""

    company_id: int
    #: e.g. "supplier_late", "quality", "tech_pack_mismatch", "design_error", "shortage"
    kind: str
    description: str
    source_document_type: str
    source_document_id: int
    source_number: str
    sales_order_id: int | None = None
    #: Where the raising area's routing sends it (J2: "purchased_material", "batch_heads"…);
    #: the policy's task rules for exception slips open on "route:<name>" and "kind:<kind>".
    routes: tuple[str, ...] = ()
    #: The supplier concerned, if any (liability and the supplier's record).
    supplier_id: int | None = None
    #: Role → the person that role's tasks on the slip go to, where the raising area knows
    #: them (the operator of a reworkable defect); other roles get their queue.
    assignees: Mapping[str, int] = field(default_factory=dict)
    #: Facts shown with the slip (dates, pass rate, quantities), as plain JSON values.
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InspectionRequest:
    """Ask quality to inspect a lot (J1): in-process from production, final before shipping."""

    company_id: int
    #: "incoming", "in_process" or "final"
    stage: str
    product_id: int
    quantity: Decimal
    source_document_type: str
    source_document_id: int
    source_number: str
    sales_order_id: int | None = None
    #: The line of the source document (a purchase order's line number), if any.
    source_line: int | None = None
    #: The lot's own reference (a goods receipt number, a batch number).
    lot: str = ""
    #: In-process: the operation or work centre, so an internal finding reaches its operator.
    operation: str = ""


@dataclass(frozen=True)
class PromiseLine:
    product_id: int
    quantity: Decimal


@dataclass(frozen=True)
class PromiseQuery:
    """ "By when can we ship this?" for a new or changed order (ATP / CTP)."""

    company_id: int
    lines: tuple[PromiseLine, ...]
    requested_date: date | None = None
    priority: str = "normal"
    #: A changed order: leave its own current plan out of the load.
    sales_order_id: int | None = None


@dataclass(frozen=True)
class PromiseAnswer:
    earliest_date: date
    #: Why not earlier, for people: the material or work centre that limits it.
    limited_by: str
    #: Whether the requested date (if any) can be met.
    feasible: bool


@dataclass(frozen=True)
class BomUse:
    """What a sales order's bills of material say one material is needed for (H2): per
    unit of the order lines that use it, the BOM's overage (抛数) included at every level,
    and the quantity of those lines."""

    unit_use: Decimal
    for_quantity: Decimal


class Port(Generic[F]):
    """One function slot, filled by the area that provides it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._impl: F | None = None

    def provide(self, fn: F) -> F:
        """Decorator for the providing area's function."""
        self._impl = fn
        return fn

    @property
    def connected(self) -> bool:
        return self._impl is not None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._impl is None:
            raise PortNotConnected(f"nothing provides {self.name}; is its area installed?")
        return self._impl(*args, **kwargs)

    @contextmanager
    def use(self, fn: F) -> Iterator[None]:
        """Tests: put a fake in the slot for the duration of a block."""
        before, self._impl = self._impl, fn
        try:
            yield
        finally:
            self._impl = before


class SupplySources:
    """Open supply comes from several areas at once (purchases, transfers, customers)."""

    def __init__(self) -> None:
        self._sources: list[Callable[..., list[Supply]]] = []

    def provide(self, fn: F) -> F:
        self._sources.append(fn)
        return fn

    def __call__(
        self, session: Session, *, company_ids: Collection[int], product_ids: Collection[int]
    ) -> list[Supply]:
        out: list[Supply] = []
        for source in self._sources:
            out.extend(source(session, company_ids=company_ids, product_ids=product_ids))
        return out

    @contextmanager
    def use(self, fn: Callable[..., list[Supply]]) -> Iterator[None]:
        self._sources.append(fn)
        try:
            yield
        finally:
            self._sources.remove(fn)


#: ``open_supply(session, company_ids=…, product_ids=…) -> list[Supply]``
open_supply = SupplySources()

#: ``request_purchases(session, rt, needs: list[PurchaseNeed], actor) -> list[str]``
#: (numbers of the requisitions raised)
request_purchases: Port[Callable[[Session, Runtime, list[PurchaseNeed], Actor], list[str]]] = Port(
    "request_purchases"
)

#: ``request_transfers(session, rt, needs: list[TransferNeed], actor) -> list[str]``
request_transfers: Port[Callable[[Session, Runtime, list[TransferNeed], Actor], list[str]]] = Port(
    "request_transfers"
)

#: ``raise_exception(session, rt, report: ExceptionReport, actor) -> str`` (the slip number)
raise_exception: Port[Callable[[Session, Runtime, ExceptionReport, Actor], str]] = Port(
    "raise_exception"
)

#: ``request_inspection(session, rt, request: InspectionRequest, actor) -> str`` (its number)
request_inspection: Port[Callable[[Session, Runtime, InspectionRequest, Actor], str]] = Port(
    "request_inspection"
)

#: ``promise_date(session, rt, query: PromiseQuery) -> PromiseAnswer``
promise_date: Port[Callable[[Session, Runtime, PromiseQuery], PromiseAnswer]] = Port("promise_date")

#: ``bom_use(session, rt, *, company_id, sales_order_id) -> dict[product_id, BomUse]``:
#: the materials the order's BOMs use (planning answers; purchasing checks H2 with it).
bom_use: Port[Callable[..., dict[int, BomUse]]] = Port("bom_use")
