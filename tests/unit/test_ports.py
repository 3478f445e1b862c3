"""Ports: an area asks another through a slot the other fills; an empty slot is a wiring bug."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from orderflow.core.ports import Port, PortNotConnected, Supply, SupplySources


def test_an_empty_port_names_itself() -> None:
    port: Port = Port("request_purchases")
    with pytest.raises(PortNotConnected, match="request_purchases"):
        port("anything")


def test_a_provided_port_answers_and_a_fake_replaces_it_only_for_a_block() -> None:
    port: Port = Port("raise_exception")
    port.provide(lambda report: f"EX-{report}")
    with port.use(lambda report: "fake"):
        assert port(1) == "fake"
    assert port(1) == "EX-1"


def test_open_supply_gathers_every_source() -> None:
    sources = SupplySources()

    def purchases(session: object, *, company_ids: object, product_ids: object) -> list[Supply]:
        return [Supply(1, 7, Decimal(5), date(2026, 12, 1), "purchase", "PO-1")]

    sources.provide(purchases)
    extra = Supply(2, 7, Decimal(3), date(2026, 12, 2), "transfer", "TR-1")
    with sources.use(lambda session, **_: [extra]):
        got = sources(None, company_ids=[1, 2], product_ids=[7])  # type: ignore[arg-type]
        assert [s.reference for s in got] == ["PO-1", "TR-1"]
    assert [s.reference for s in sources(None, company_ids=[1], product_ids=[7])] == ["PO-1"]  # type: ignore[arg-type]
