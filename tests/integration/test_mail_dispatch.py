"""The outbox dispatcher sends pending mail to a real SMTP server on loopback, once each."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from orderflow.config import Settings
from orderflow.notify.models import Notification
from orderflow.notify.service import dispatch_email
from orderflow.runtime import Runtime
from orderflow.sales.service import create_order
from tests.factories import make_world, order_data


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, port
    server.stop()


def test_confirmation_mail_goes_out_once(rt: Runtime, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    world = make_world(rt)
    order = create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))
    settings = Settings(
        database_url=rt.db.url,
        secret_key="x" * 20,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_sender="orders@acme.example.com",
    )
    report = dispatch_email(rt.db, settings, now=rt.now())
    assert (report.sent, report.failed) == (1, 0)
    assert dispatch_email(rt.db, settings, now=rt.now()).sent == 0  # nothing sent twice
    [mail] = inbox.messages
    assert mail["To"] == "liu@example.com"
    assert str(make_header(decode_header(mail["Subject"]))) == f"订单确认：{order.number}"
    with rt.db.reading() as s:
        assert s.scalar(select(Notification.state)) == "sent"


def test_without_smtp_mail_waits_in_the_outbox(rt: Runtime) -> None:
    world = make_world(rt)
    create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))
    settings = Settings(database_url=rt.db.url, secret_key="x" * 20)
    assert dispatch_email(rt.db, settings, now=rt.now()).sent == 0
    with rt.db.reading() as s:
        assert s.scalar(select(Notification.state)) == "pending"


def test_an_unreachable_server_is_retried_later_not_lost(rt: Runtime) -> None:
    world = make_world(rt)
    create_order(rt, world["sales_clerk"], order_data(rt, world, confirm=True))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]  # nothing listens here once closed
    settings = Settings(
        database_url=rt.db.url, secret_key="x" * 20, smtp_host="127.0.0.1", smtp_port=dead_port
    )
    assert dispatch_email(rt.db, settings, now=rt.now()).failed == 1
    with rt.db.reading() as s:
        note = s.scalar(select(Notification))
        assert (
            note is not None and note.state == "pending" and note.attempts == 1 and note.last_error
        )
