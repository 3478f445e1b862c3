"""The benchmarks still run: a few orders through each intake path on SQLite.

Figures are never asserted (the machines are noisy); what is checked is that every path
does its N orders without an error and reports them, so bench/ cannot rot unnoticed.
"""

from __future__ import annotations

import pytest
from bench import intake, raw_limit, replay


@pytest.mark.parametrize("path", ["raw", "stack"])
def test_raw_limit_paths_write_every_order(path: str) -> None:
    figures = raw_limit.measure("sqlite", 6, 2, path)
    assert figures["path"] == path
    assert figures["orders"] == 6
    assert figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"]


def test_service_path_creates_and_confirms_orders() -> None:
    figures = intake.service_path("sqlite", 4, 2)
    assert (figures["path"], figures["orders"], figures["clients"]) == ("service", 4, 2)


def test_replay_path_replays_every_order_of_the_service() -> None:
    raw, service, replayed = replay.measure("sqlite", 3)
    assert [f["path"] for f in (raw, service, replayed)] == ["raw", "service", "replay"]
    assert service["orders"] == replayed["orders"] == 3
    # Every statement of create-and-confirm was captured (at least the order, its lines,
    # the reservations and the events), and the replay ran them all without an error.
    assert replayed["statements_per_order"] >= 8


def test_intake_parts_times_every_part_it_names() -> None:
    from bench import intake_parts

    figures = intake_parts.measure("sqlite", 3)
    # Every part named is still on the path (one no longer called would be missing).
    assert set(figures["parts_ms"]) == {label for _, _, label in intake_parts.PARTS}
    assert figures["parts_ms"]["whole use case (once)"] <= figures["ms_per_order"]
