"""Netting material requirements against the group's stock and open supply (E7, A5, E12).

    requirement − own stock − open supply in time − sister companies' stock (transfer)
                − late open supply (if sooner than buying) = to buy

taken in that order, requirements by the date they are needed (then priority), so the
earliest need is served first. Transfers come before purchases: the rulebook asks
procurement to check the whole group's stock and transfer what it can before buying
(§订单处理业务流程和管理标准 二.一.3). Supply bought for one order (按单采购, H1) serves only
that order. Customer-supplied material (客供, E12) is never bought or transferred: without
a promised arrival it is *missing*, and the job that needs it waits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import NamedTuple

from orderflow.core.ports import PurchaseNeed, Supply, TransferNeed
from orderflow.planning.bom import Item, Requirement, Source

ZERO = Decimal(0)

STOCK, SUPPLY, TRANSFER, PURCHASE, MISSING = "stock", "supply", "transfer", "purchase", "missing"


class Allocation(NamedTuple):
    source: str
    quantity: Decimal
    #: When this part is ready; None for missing customer material.
    ready: date | None
    #: The company whose stock is used (own stock or a transfer's origin).
    company_id: int | None = None
    reference: str = ""


@dataclass
class NettingResult:
    allocations: dict[str, list[Allocation]] = field(default_factory=dict)
    #: When each requirement is fully available (None: waits for customer material).
    ready: dict[str, date | None] = field(default_factory=dict)
    transfers: list[TransferNeed] = field(default_factory=list)
    purchases: list[PurchaseNeed] = field(default_factory=list)
    #: What is left after this plan, for promises made against it.
    stock_left: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    supply_left: list[tuple[Supply, Decimal]] = field(default_factory=list)

    def limiting(self, key: str) -> Allocation | None:
        """The allocation that makes the requirement ready last (why it is not sooner)."""
        allocations = self.allocations.get(key, [])
        missing = [a for a in allocations if a.ready is None]
        if missing:
            return missing[0]
        return max(allocations, key=lambda a: a.ready or date.min, default=None)


#: Quantities are netted as integers of 0.0001 (the database's precision): exact, and
#: several times faster than Decimal over a hundred thousand requirements.
SCALE = 10_000


def _units(quantity: Decimal) -> int:
    return int((quantity * SCALE).to_integral_value(rounding=ROUND_CEILING))


def _qty(units: int) -> Decimal:
    return Decimal(units).scaleb(-4).normalize() if units % SCALE else Decimal(units // SCALE)


class _Pool:
    """Open supply of one (company, product), soonest first, with what is left of each."""

    __slots__ = ("first", "left", "supplies")

    def __init__(self) -> None:
        self.supplies: list[Supply] = []
        self.left: list[int] = []
        self.first = 0

    def take(self, wanted: int, by: date | None) -> list[tuple[Supply, int]]:
        """Up to ``wanted`` from supplies arriving by ``by`` (None: any date), soonest first."""
        out: list[tuple[Supply, int]] = []
        i, left, supplies = self.first, self.left, self.supplies
        while wanted > 0 and i < len(supplies):
            supply = supplies[i]
            if by is not None and supply.available_on > by:
                break
            have = left[i]
            if have > 0:
                got = have if have < wanted else wanted
                left[i] = have - got
                wanted -= got
                out.append((supply, got))
            i += 1
        while self.first < len(left) and left[self.first] <= 0:
            self.first += 1
        return out


@dataclass
class _Tally:
    units: int
    needed_by: date

    def add(self, units: int, need: date) -> None:
        self.units += units
        if need < self.needed_by:
            self.needed_by = need


def net(
    needs: Sequence[tuple[Requirement, date]],
    items: Mapping[int, Item],
    stock: Mapping[tuple[int, int], Decimal],
    supplies: Iterable[Supply],
    *,
    today: date,
    transfer_days: int,
) -> NettingResult:
    """Allocate every requirement (with the date it is needed by) to stock, supply,
    transfers and purchases. ``stock`` is free stock per (company, product) for the whole
    group; every company in it may give by transfer."""
    free = {key: _units(qty) for key, qty in stock.items() if qty > 0}
    own_pools: dict[tuple[int, int], _Pool] = {}
    earmarked: dict[tuple[int, int, int], _Pool] = {}
    for supply in sorted(supplies, key=lambda s: (s.available_on, s.reference)):
        if supply.quantity <= 0:
            continue
        if supply.sales_order_id is not None:
            pool = earmarked.setdefault(
                (supply.company_id, supply.product_id, supply.sales_order_id), _Pool()
            )
        else:
            pool = own_pools.setdefault((supply.company_id, supply.product_id), _Pool())
        pool.supplies.append(supply)
        pool.left.append(_units(supply.quantity))
    companies = sorted({company for company, _ in free} | {r.company_id for r, _ in needs})
    customer = {pid for pid, item in items.items() if item.source is Source.CUSTOMER}
    result = NettingResult()
    allocations = result.allocations
    ordered = sorted(needs, key=lambda rn: (rn[1], rn[0].priority, rn[0].key))
    # Per requirement: [(source, units, ready, company, reference)], converted at the end.
    parts: dict[str, list[tuple[str, int, date | None, int | None, str]]] = {}
    left: dict[str, int] = {}

    # 1. Own stock, supply bought for this order, own supply arriving in time.
    units_of: dict[Decimal, int] = {}
    for req, need in ordered:
        wanted = units_of.get(req.quantity)
        if wanted is None:
            wanted = units_of[req.quantity] = _units(req.quantity)
        mine = parts[req.key] = []
        own = (req.company_id, req.product_id)
        have = free.get(own, 0)
        if have > 0 and wanted > 0:
            got = have if have < wanted else wanted
            free[own] = have - got
            wanted -= got
            mine.append((STOCK, got, today, req.company_id, ""))
        if wanted > 0:
            mark = earmarked.get((req.company_id, req.product_id, req.order_id))
            if mark is not None:
                for supply, got in mark.take(wanted, None):
                    wanted -= got
                    mine.append(
                        (SUPPLY, got, supply.available_on, req.company_id, supply.reference)
                    )
        if wanted > 0:
            found = own_pools.get(own)
            if found is not None:
                for supply, got in found.take(wanted, need):
                    wanted -= got
                    mine.append(
                        (SUPPLY, got, supply.available_on, req.company_id, supply.reference)
                    )
        left[req.key] = wanted

    # 2. Transfers from the group's other companies (调拨) before anything is bought.
    transfers: dict[tuple[int, int, int, int], _Tally] = {}
    transfer_ready = today + timedelta(days=transfer_days)
    for req, need in ordered:
        wanted = left[req.key]
        if wanted <= 0 or req.product_id in customer:
            continue
        for company in companies:
            if company == req.company_id:
                continue
            have = free.get((company, req.product_id), 0)
            if have <= 0:
                continue
            got = have if have < wanted else wanted
            free[(company, req.product_id)] = have - got
            wanted -= got
            parts[req.key].append((TRANSFER, got, transfer_ready, company, ""))
            move = (company, req.company_id, req.product_id, req.order_id)
            tally = transfers.get(move)
            if tally is None:
                transfers[move] = _Tally(got, need)
            else:
                tally.add(got, need)
            if wanted <= 0:
                break
        left[req.key] = wanted

    # 3. Late supply if it comes sooner than buying; then buy (or wait for the customer).
    purchases: dict[tuple[int, int, int], _Tally] = {}
    for req, need in ordered:
        wanted = left[req.key]
        if wanted <= 0:
            continue
        if req.product_id in customer:
            parts[req.key].append((MISSING, wanted, None, req.company_id, ""))
            continue
        bought_by = today + timedelta(days=items[req.product_id].lead_time_days)
        late = own_pools.get((req.company_id, req.product_id))
        if late is not None:
            for supply, got in late.take(wanted, bought_by - timedelta(days=1)):
                wanted -= got
                parts[req.key].append(
                    (SUPPLY, got, supply.available_on, req.company_id, supply.reference)
                )
        if wanted > 0:
            parts[req.key].append((PURCHASE, wanted, bought_by, req.company_id, ""))
            key = (req.company_id, req.product_id, req.order_id)
            tally = purchases.get(key)
            if tally is None:
                purchases[key] = _Tally(wanted, need)
            else:
                tally.add(wanted, need)

    quantities: dict[int, Decimal] = {}

    def qty(units: int) -> Decimal:
        value = quantities.get(units)
        if value is None:
            value = quantities[units] = _qty(units)
        return value

    ready_of = result.ready
    for req, _ in ordered:
        ready: date | None = today
        out = []
        for source, units, when, company_id, ref in parts[req.key]:
            out.append(Allocation(source, qty(units), when, company_id, ref))
            if when is None:
                ready = None
            elif ready is not None and when > ready:
                ready = when
        allocations[req.key] = out
        ready_of[req.key] = ready
    result.transfers = [
        TransferNeed(src, dst, product, _qty(tally.units), tally.needed_by, order, "E7")
        for (src, dst, product, order), tally in sorted(transfers.items(), key=_by_key)
    ]
    result.purchases = [
        PurchaseNeed(company, product, _qty(tally.units), tally.needed_by, order, "E7")
        for (company, product, order), tally in sorted(purchases.items(), key=_by_key)
    ]
    result.stock_left = {key: _qty(units) for key, units in free.items() if units > 0}
    result.supply_left = [
        (supply, _qty(units))
        for pools in (own_pools, earmarked)
        for pool in pools.values()
        for supply, units in zip(pool.supplies, pool.left, strict=True)
        if units > 0
    ]
    return result


def _by_key(entry: tuple[tuple[int | None, ...], object]) -> tuple[int, ...]:
    return tuple(-1 if part is None else part for part in entry[0])
