"""The event log is hash-chained: an edited, deleted or re-linked event is found."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from typer.testing import CliRunner

from orderflow.core.events import Event, verify_chains
from orderflow.runtime import Runtime
from orderflow.sales.service import apply_step, create_order
from tests.factories import make_world, order_data


def story(rt: Runtime) -> int:
    world = make_world(rt)
    order = create_order(rt, world["sales_clerk"], order_data(rt, world))
    apply_step(rt, world["sales_clerk"], order.id, "confirm", {}, expected_version=order.version)
    apply_step(
        rt,
        world["finance"],
        order.id,
        "pay",
        {"amount": "100.00", "method": "cash"},
        expected_version=None,
    )
    return order.id


def problems(rt: Runtime) -> list[str]:
    with rt.db.reading() as s:
        return [str(p) for p in verify_chains(s)[1]]


def test_an_untouched_log_verifies(rt: Runtime) -> None:
    story(rt)
    with rt.db.reading() as s:
        checked, found = verify_chains(s)
    assert checked == 3 and found == []


def test_an_edited_payload_is_found(rt: Runtime) -> None:
    order_id = story(rt)
    with rt.db.transaction() as s:
        s.execute(
            update(Event)
            .where(Event.document_id == order_id, Event.seq == 3)
            .values(payload={"amount": "1.00"})
        )
    assert problems(rt) == [
        f"sales_order #{order_id} event 3: content was changed after it was written"
    ]


def test_a_deleted_event_in_the_middle_is_found(rt: Runtime) -> None:
    order_id = story(rt)
    with rt.db.transaction() as s:
        s.execute(delete(Event).where(Event.document_id == order_id, Event.seq == 2))
    found = problems(rt)
    assert any("event 3: expected event 2" in p for p in found)


def test_deleting_the_newest_event_is_found(rt: Runtime) -> None:
    order_id = story(rt)
    with rt.db.transaction() as s:
        s.execute(delete(Event).where(Event.document_id == order_id, Event.seq == 3))
    assert any("head is event 3" in p for p in problems(rt))


def test_a_changed_actor_is_found(rt: Runtime) -> None:
    order_id = story(rt)
    with rt.db.transaction() as s:
        finance = s.scalar(
            select(Event.actor_id).where(Event.seq == 3)
        )  # the payment was finance's
        s.execute(
            update(Event)
            .where(Event.document_id == order_id, Event.seq == 2)
            .values(actor_id=finance)
        )
    assert problems(rt) == [
        f"sales_order #{order_id} event 2: content was changed after it was written"
    ]


def test_audit_verify_command_exits_1_on_tampering(rt: Runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from orderflow import config
    from orderflow.cli import app

    story(rt)
    monkeypatch.setenv("ORDERFLOW_DATABASE_URL", rt.db.url)
    config.get_settings.cache_clear()
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "3 events" in ok.output
    with rt.db.transaction() as s:
        s.execute(update(Event).where(Event.seq == 2).values(reason="edited"))
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1
    assert "TAMPERED" in bad.output
    config.get_settings.cache_clear()
