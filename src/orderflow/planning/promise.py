"""Promise dates (ATP / CTP): by when can a new or changed order ship, and why not sooner.

Available-to-promise: what the loaded plan leaves free — stock now, open supply by its
date, the sister companies' stock after a transfer — then buying within the purchase lead
time. Capable-to-promise for made items: its materials (recursively, through the BOM with
overage), then its operations placed forward into the work centres' capacity that the
loaded plan leaves free, day by day, then the production buffer (E1: at least one day).

The answer names what limits it: a material (and where it would come from) or a work
centre. Lines of one order draw on the same free stock and capacity, one after the other.
Everything here is in memory and takes well under a millisecond per line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from orderflow.core.ports import Supply
from orderflow.planning.bom import Item, Source, component_quantity

ZERO = Decimal(0)
#: How far ahead capacity is searched before the answer is "not within two years".
MAX_DAYS = 730


@dataclass
class Capacity:
    """Free working minutes per work centre and day (index from ``origin``)."""

    origin: date
    #: Working minutes of one unit on an open day.
    day_minutes: Mapping[int, int]
    units: Mapping[int, int]
    #: Free minutes per day as far as the loaded plan reaches; beyond it, a full day.
    free: Mapping[int, Sequence[int]]
    is_open: Callable[[int, int], bool]

    def free_on(self, wc: int, day: int, used: Mapping[tuple[int, int], int]) -> int:
        known = self.free.get(wc, ())
        if day < len(known):
            base = known[day]
        else:
            base = (
                self.day_minutes.get(wc, 0) * self.units.get(wc, 1) if self.is_open(wc, day) else 0
            )
        return base - used.get((wc, day), 0)

    def place(
        self, wc: int, minutes: int, first_day: int, used: dict[tuple[int, int], int]
    ) -> tuple[int | None, int]:
        """Consume ``minutes`` from ``first_day`` on, recording the use in ``used`` (the
        plan itself is never changed, so one loaded plan serves concurrent promises):
        (last day used, days waited for room). One operation runs on one unit, so it uses
        at most a unit's day each day."""
        per_day = self.day_minutes.get(wc, 0)
        if per_day <= 0:
            return None, 0
        left, day, waited, started = minutes, first_day, 0, False
        while left > 0:
            if day - first_day > MAX_DAYS:
                return None, waited
            room = min(self.free_on(wc, day, used), per_day)
            if room > 0:
                take = min(room, left)
                used[(wc, day)] = used.get((wc, day), 0) + take
                left -= take
                started = True
            elif not started and self.is_open(wc, day):
                waited += 1
            if left > 0:
                day += 1
        return day, waited


@dataclass(frozen=True)
class LoadedPlan:
    """What a promise is made against: the latest plan's leftovers."""

    today: date
    items: Mapping[int, Item]
    #: Free stock per (company, product) after the plan's allocations (the whole group).
    stock: Mapping[tuple[int, int], Decimal]
    #: Open supply not allocated by the plan, with what is left of each.
    supplies: Sequence[tuple[Supply, Decimal]]
    capacity: Capacity
    is_working_day: Callable[[date], bool]
    transfer_days: int = 2
    buffer_days: int = 1


@dataclass(frozen=True)
class LinePromise:
    product_id: int
    quantity: Decimal
    ready: date | None
    limited_by: str


@dataclass(frozen=True)
class Promise:
    #: The earliest ship date (None: cannot be promised, e.g. customer material undated).
    date: date | None
    #: Codes for people: "stock", "supply:<ref>", "transfer:<company>:<product>",
    #: "purchase:<product>:<days>", "capacity:<wc>", "customer_material:<product>",
    #: "no_route:<product>", "beyond_horizon:<wc>".
    limited_by: str
    feasible: bool
    lines: tuple[LinePromise, ...]


class _Draw:
    """Copy-on-write view of the plan's leftovers for one promise (lines share it)."""

    def __init__(self, plan: LoadedPlan) -> None:
        self.plan = plan
        self.stock: dict[tuple[int, int], Decimal] = {}
        self.supply_left: dict[int, Decimal] = {}
        self.used: dict[tuple[int, int], int] = {}
        by: dict[tuple[int, int], list[int]] = {}
        for i, (supply, _) in enumerate(plan.supplies):
            by.setdefault((supply.company_id, supply.product_id), []).append(i)
        for indexes in by.values():
            indexes.sort(key=lambda i: plan.supplies[i][0].available_on)
        self.supplies_of = by

    def free(self, key: tuple[int, int]) -> Decimal:
        return self.stock.get(key, self.plan.stock.get(key, ZERO))

    def take_stock(self, key: tuple[int, int], wanted: Decimal) -> Decimal:
        got = min(self.free(key), wanted)
        if got > 0:
            self.stock[key] = self.free(key) - got
        return max(got, ZERO)

    def take_supply(
        self, key: tuple[int, int], wanted: Decimal
    ) -> tuple[Decimal, date | None, str]:
        """Up to ``wanted`` from open supply, soonest first: (got, date of the last, ref)."""
        got, when, ref = ZERO, None, ""
        for i in self.supplies_of.get(key, ()):
            if wanted <= 0:
                break
            supply, left = self.plan.supplies[i]
            have = self.supply_left.get(i, left)
            if have <= 0:
                continue
            take = min(have, wanted)
            self.supply_left[i] = have - take
            wanted -= take
            got += take
            when, ref = supply.available_on, supply.reference
        return got, when, ref


def _later(a: tuple[date, str], b: tuple[date, str]) -> tuple[date, str]:
    return b if b[0] > a[0] else a


def _obtain(
    draw: _Draw, product_id: int, quantity: Decimal, company: int, companies: Sequence[int]
) -> tuple[date | None, str]:
    plan = draw.plan
    item = plan.items.get(product_id)
    today = plan.today
    if item is None:
        return None, f"no_route:{product_id}"
    own = (company, product_id)
    left = quantity - draw.take_stock(own, quantity)
    if left <= 0:
        return today, "stock"
    if item.source is Source.MAKE:
        return _make(draw, item, left, company, companies)
    best: tuple[date, str] = (today, "stock")
    got, when, ref = draw.take_supply(own, left)
    if got > 0 and when is not None:
        left -= got
        best = _later(best, (when, f"supply:{ref}"))
    if left <= 0:
        return best
    if item.source is Source.CUSTOMER:
        return None, f"customer_material:{product_id}"
    for other in companies:
        if other == company or left <= 0:
            continue
        got = draw.take_stock((other, product_id), left)
        if got > 0:
            left -= got
            best = _later(
                best, (today + timedelta(days=plan.transfer_days), f"transfer:{other}:{product_id}")
            )
    if left > 0:
        best = _later(
            best,
            (
                today + timedelta(days=item.lead_time_days),
                f"purchase:{product_id}:{item.lead_time_days}",
            ),
        )
    return best


def _make(
    draw: _Draw, item: Item, quantity: Decimal, company: int, companies: Sequence[int]
) -> tuple[date | None, str]:
    plan = draw.plan
    ready, why = plan.today, "stock"
    for component in item.components:
        child = plan.items.get(component.product_id)
        if child is None:
            return None, f"no_route:{component.product_id}"
        need = component_quantity(quantity, component, child)
        got, reason = _obtain(draw, component.product_id, need, company, companies)
        if got is None:
            return None, reason
        if got > ready:
            ready, why = got, reason
    capacity = plan.capacity
    day = (ready - capacity.origin).days
    worst_wait, worst_wc = 0, None
    for step in item.steps:
        if step.work_centre_id is None:
            day = _add_working_days(plan, day, step.outsourced_days)
            continue
        last, waited = capacity.place(step.work_centre_id, step.minutes(quantity), day, draw.used)
        if last is None:
            return None, f"beyond_horizon:{step.work_centre_id}"
        if waited > worst_wait:
            worst_wait, worst_wc = waited, step.work_centre_id
        day = last
    finish = capacity.origin + timedelta(days=day)
    if worst_wc is not None and worst_wait >= (ready - plan.today).days:
        why = f"capacity:{worst_wc}"
    return finish, why


def _add_working_days(plan: LoadedPlan, day_index: int, n: int) -> int:
    day = plan.capacity.origin + timedelta(days=day_index)
    while n > 0:
        day += timedelta(days=1)
        if plan.is_working_day(day):
            n -= 1
    return (day - plan.capacity.origin).days


def _ship_after(plan: LoadedPlan, day: date, buffer_days: int) -> date:
    while buffer_days > 0:
        day += timedelta(days=1)
        if plan.is_working_day(day):
            buffer_days -= 1
    return day


def promise(
    plan: LoadedPlan,
    lines: Sequence[tuple[int, Decimal]],
    *,
    company_id: int,
    companies: Sequence[int],
    requested: date | None = None,
) -> Promise:
    """The earliest ship date for ``lines`` (product, quantity) of a company's order."""
    draw = _Draw(plan)
    out: list[LinePromise] = []
    for product_id, quantity in lines:
        ready, why = _obtain(draw, product_id, quantity, company_id, companies)
        item = plan.items.get(product_id)
        if ready is not None and item is not None and item.source is Source.MAKE and why != "stock":
            ready = _ship_after(plan, ready, plan.buffer_days)
        out.append(LinePromise(product_id, quantity, ready, why))
    undated = [line for line in out if line.ready is None]
    if undated:
        return Promise(None, undated[0].limited_by, False, tuple(out))
    latest = max(out, key=lambda line: line.ready or date.min, default=None)
    when = latest.ready if latest else plan.today
    assert when is not None
    feasible = requested is None or when <= requested
    return Promise(when, latest.limited_by if latest else "stock", feasible, tuple(out))
