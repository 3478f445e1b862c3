"""Items, bills of material and routings as plain data, and the explosion of demand (E7, A3).

An order line for a made product becomes a *job* (something to make, with its routing's
operations); each component of a made product becomes either a child job (it is made too)
or a *requirement* (material to supply: bought, or supplied by the customer, E12).
Quantities grow by the unit consumption (单件用量) and the overage (抛数) at every level:

    child quantity = parent quantity × unit consumption × (1 + overage)

rounded up to whole units for items counted in pieces (no one cuts a motor in half), and
up to 0.0001 otherwise (metres of fabric, kilograms of steel).

Made items are made to order: a job is not netted against stock of the made item (stock
of finished goods was reserved when the order was confirmed). Bought items are netted in
``netting``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from typing import NamedTuple

FOUR_PLACES = Decimal("0.0001")
ONE = Decimal(1)
MAX_LEVELS = 20


class Source(StrEnum):
    """How an item is obtained."""

    MAKE = "make"
    BUY = "buy"
    CUSTOMER = "customer"  # customer-supplied (客供), never bought or transferred


class BomCycle(ValueError):
    """A bill of material that contains itself: master data must be fixed first."""


class Component(NamedTuple):
    product_id: int
    #: Unit consumption per unit of the parent (单件用量).
    quantity: Decimal
    #: Overage / scrap allowance as a fraction (抛数): 0.03 is 3 %.
    overage: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Step:
    """One routing operation: where it runs and how long it takes."""

    seq: int
    #: None: outsourced (外协, E9), taking ``outsourced_days`` working days, no own capacity.
    work_centre_id: int | None
    setup_minutes: int = 0
    run_minutes: Decimal = Decimal(0)
    outsourced_days: int = 0

    def minutes(self, quantity: Decimal) -> int:
        """Working minutes for ``quantity`` units: setup plus run time, whole minutes up."""
        total = Decimal(self.setup_minutes) + self.run_minutes * quantity
        return max(1, int(total.to_integral_value(rounding=ROUND_CEILING)))


@dataclass(frozen=True, slots=True)
class Item:
    product_id: int
    code: str
    source: Source
    #: Purchase lead time in calendar days (采购周期), for bought items.
    lead_time_days: int = 0
    components: tuple[Component, ...] = ()
    steps: tuple[Step, ...] = ()
    #: Counted in whole units: requirements are rounded up to integers.
    integral: bool = False


def round_up(quantity: Decimal, integral: bool) -> Decimal:
    if integral:
        return quantity.to_integral_value(rounding=ROUND_CEILING)
    return quantity.quantize(FOUR_PLACES, rounding=ROUND_CEILING)


def needed(parent_quantity: Decimal, component: Component, *, integral: bool) -> Decimal:
    """E7: what ``parent_quantity`` units use of a component — unit use × (1 + overage),
    rounded up (to whole units for a component counted in them)."""
    return round_up(parent_quantity * component.quantity * (ONE + component.overage), integral)


def component_quantity(parent_quantity: Decimal, component: Component, item: Item) -> Decimal:
    return needed(parent_quantity, component, integral=item.integral)


class Demand(NamedTuple):
    """One order line to fulfil."""

    key: str
    order_id: int
    company_id: int
    product_id: int
    quantity: Decimal
    due: date
    #: 0 urgent, 1 special, 2 normal: lower goes first.
    priority: int = 2


class Job(NamedTuple):
    """Something to make for an order: one production order, released or only planned."""

    key: str
    order_id: int
    company_id: int
    product_id: int
    quantity: Decimal
    due: date
    priority: int
    level: int
    #: The job this one's output goes into (None: the order line itself).
    parent: str | None


class Requirement(NamedTuple):
    """Material to supply: for a job (consumed by it) or for an order line directly."""

    key: str
    order_id: int
    company_id: int
    product_id: int
    quantity: Decimal
    due: date
    priority: int
    level: int
    #: The consuming job; None when the order line itself is for a bought item.
    job: str | None


@dataclass
class Explosion:
    jobs: list[Job]
    requirements: list[Requirement]


def explode(demands: Iterable[Demand], items: Mapping[int, Item]) -> Explosion:
    """Every job and material requirement the demands bring, parents before children."""
    out = Explosion([], [])
    # Many lines order the same product in the same quantity: explode each pair once.
    shapes: dict[tuple[int, Decimal], Explosion] = {}
    for demand in demands:
        item = items.get(demand.product_id)
        if item is None:
            raise KeyError(f"demand {demand.key}: no item {demand.product_id}")
        if item.source is not Source.MAKE:
            out.requirements.append(
                Requirement(
                    demand.key,
                    demand.order_id,
                    demand.company_id,
                    demand.product_id,
                    demand.quantity,
                    demand.due,
                    demand.priority,
                    0,
                    None,
                )
            )
            continue
        shape_key = (demand.product_id, demand.quantity)
        shape = shapes.get(shape_key)
        if shape is None:
            shape = shapes[shape_key] = Explosion([], [])
            top = Job("", 0, 0, demand.product_id, demand.quantity, _NO_DATE, 2, 0, None)
            _explode_job(shape, items, top, (demand.product_id,))
        _stamp(out, shape, demand)
    return out


_NO_DATE = date.min


def _stamp(out: Explosion, shape: Explosion, demand: Demand) -> None:
    """The shape's jobs and requirements for one demand: its keys, order, dates, priority."""
    prefix, order, company = demand.key, demand.order_id, demand.company_id
    due, priority = demand.due, demand.priority
    for j in shape.jobs:
        out.jobs.append(
            Job(
                prefix + j.key,
                order,
                company,
                j.product_id,
                j.quantity,
                due,
                priority,
                j.level,
                None if j.parent is None else prefix + j.parent,
            )
        )
    for r in shape.requirements:
        out.requirements.append(
            Requirement(
                prefix + r.key,
                order,
                company,
                r.product_id,
                r.quantity,
                due,
                priority,
                r.level,
                None if r.job is None else prefix + r.job,
            )
        )


def explode_job(job: Job, items: Mapping[int, Item]) -> Explosion:
    """The children of one (released) job: its sub-jobs and material requirements."""
    out = Explosion([], [])
    _explode_job(out, items, job, (job.product_id,))
    del out.jobs[0]
    return out


def _explode_job(
    out: Explosion, items: Mapping[int, Item], job: Job, path: tuple[int, ...]
) -> None:
    if len(path) > MAX_LEVELS:
        raise BomCycle(f"bill of material deeper than {MAX_LEVELS} levels at {job.key}")
    out.jobs.append(job)
    item = items[job.product_id]
    for n, component in enumerate(item.components, start=1):
        if component.product_id in path:
            raise BomCycle(f"item {item.code} contains itself through {component.product_id}")
        child = items.get(component.product_id)
        if child is None:
            raise KeyError(f"item {item.code}: component {component.product_id} is unknown")
        quantity = component_quantity(job.quantity, component, child)
        key = f"{job.key}.{n}"
        if child.source is Source.MAKE:
            _explode_job(
                out,
                items,
                Job(
                    key,
                    job.order_id,
                    job.company_id,
                    child.product_id,
                    quantity,
                    job.due,
                    job.priority,
                    job.level + 1,
                    job.key,
                ),
                (*path, child.product_id),
            )
        else:
            out.requirements.append(
                Requirement(
                    key,
                    job.order_id,
                    job.company_id,
                    child.product_id,
                    quantity,
                    job.due,
                    job.priority,
                    job.level + 1,
                    job.key,
                )
            )


def direct_requirements(job: Job, items: Mapping[int, Item]) -> list[Requirement]:
    """The bought and customer-supplied materials one job consumes itself (its made
    components are jobs of their own, released with it)."""
    item = items[job.product_id]
    out = []
    for n, component in enumerate(item.components, start=1):
        child = items.get(component.product_id)
        if child is None or child.source is Source.MAKE:
            continue
        out.append(
            Requirement(
                f"{job.key}.{n}",
                job.order_id,
                job.company_id,
                child.product_id,
                component_quantity(job.quantity, component, child),
                job.due,
                job.priority,
                job.level + 1,
                job.key,
            )
        )
    return out


def check_bom(items: Mapping[int, Item], product_id: int) -> None:
    """Raise BomCycle if ``product_id``'s structure contains itself (for master data edits)."""

    def walk(pid: int, path: tuple[int, ...]) -> None:
        if len(path) > MAX_LEVELS:
            raise BomCycle(f"bill of material deeper than {MAX_LEVELS} levels")
        item = items.get(pid)
        if item is None:
            return
        for component in item.components:
            if component.product_id in path:
                raise BomCycle(f"{item.code} contains itself")
            walk(component.product_id, (*path, component.product_id))

    walk(product_id, (product_id,))
