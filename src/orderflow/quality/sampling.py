"""Sampling plans of GB/T 2828.1 (= ISO 2859-1): single sampling, normal inspection, at
any inspection level — the general levels I, II (the usual one) and III, and the special
levels S-1 to S-4 for costly or destructive tests.

The lot size and the level give a code letter (Table 1), the letter a sample size; down
each AQL column of the master table (Table 2-A) the acceptance numbers run 0, (arrow), 1,
2, 3, 5, 7, 10, 14, 21 from the letter where that AQL's first plan (Ac 0, Re 1) sits. An
arrow sends you to the nearest plan along it: above the first plan down to it, on the
arrow cell up to the plan before. Where the sample is at least the lot, every unit is
inspected.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal

LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
#: Table 1: the upper lot-size bound of each row, and its code letter at each level of
#: ``LEVELS``, in that order.
_TABLE_1 = (
    (8, "AAAAAAB"),
    (15, "AAAAABC"),
    (25, "AABBBCD"),
    (50, "ABBCCDE"),
    (90, "BBCCCEF"),
    (150, "BBCDDFG"),
    (280, "BCDEEGH"),
    (500, "BCDEFHJ"),
    (1200, "CCEFGJK"),
    (3200, "CDEGHKL"),
    (10000, "CDFGJLM"),
    (35000, "CDFHKMN"),
    (150000, "DEGJLNP"),
    (500000, "DEGJMPQ"),
    (10**12, "DEHKNQR"),
)
SAMPLE_SIZES = {
    "A": 2,
    "B": 3,
    "C": 5,
    "D": 8,
    "E": 13,
    "F": 20,
    "G": 32,
    "H": 50,
    "J": 80,
    "K": 125,
    "L": 200,
    "M": 315,
    "N": 500,
    "P": 800,
    "Q": 1250,
    "R": 2000,
}
_ORDER = "ABCDEFGHJKLMNPQR"
#: Where each AQL's first plan (Ac 0) sits in Table 2-A.
_FIRST_PLAN = {"6.5": "B", "4.0": "C", "2.5": "D", "1.5": "E", "1.0": "F", "0.65": "G"}
#: Down a column from the first plan; None is the arrow cell pointing back up.
_RUN = (0, None, 1, 2, 3, 5, 7, 10, 14, 21)


@dataclass(frozen=True)
class Plan:
    code_letter: str
    sample_size: int
    #: Accept the lot with at most this many defective units in the sample (Re = Ac + 1).
    accept: int

    @property
    def reject(self) -> int:
        return self.accept + 1


_UPPER_BOUNDS = [upper for upper, _ in _TABLE_1]


def code_letter(lot_size: int, level: str = "II") -> str:
    if lot_size < 1:
        raise ValueError("a lot has at least one unit")
    if level not in LEVELS:
        raise ValueError(f"no inspection level {level!r}; one of {', '.join(LEVELS)}")
    return _TABLE_1[bisect_left(_UPPER_BOUNDS, lot_size)][1][LEVELS.index(level)]


def plan_for(lot_size: int, aql: str, level: str = "II") -> Plan:
    """The sampling plan for a lot of ``lot_size`` units at ``aql`` and inspection ``level``."""
    if aql not in _FIRST_PLAN:
        raise ValueError(f"no sampling plan for AQL {aql}")
    letter = code_letter(lot_size, level)
    first = _ORDER.index(_FIRST_PLAN[aql])
    at = _ORDER.index(letter)
    if at < first:
        at = first  # arrow down to the first plan
    step = at - first
    if step >= len(_RUN):
        step = len(_RUN) - 1  # past the last plan the arrow points back up to it
        at = first + step
    if _RUN[step] is None:
        step, at = step - 1, at - 1  # the arrow cell: the plan before it
    accept = _RUN[step]
    assert accept is not None
    size = SAMPLE_SIZES[_ORDER[at]]
    return Plan(_ORDER[at], min(size, lot_size), accept)


def lot_units(quantity: Decimal) -> int:
    """A lot counted in units for sampling (a part unit counts as one)."""
    return max(math.ceil(quantity), 1)
