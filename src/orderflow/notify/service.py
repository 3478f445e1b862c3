"""Queue messages in the outbox, and dispatch them.

Queuing happens inside the step's transaction. Dispatching is separate: the worker sends
pending e-mail by SMTP when it is configured; otherwise messages stay in the outbox, where
staff read them in the app (nothing is lost while mail is not set up).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from orderflow.config import Settings
from orderflow.core.documents import DocumentMixin
from orderflow.db import Database, table_of
from orderflow.i18n import t
from orderflow.notify.models import EMAIL, FAILED, IN_APP, PENDING, SENT, Notification
from orderflow.privacy import mask_email

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


_INSERT_NOTE = insert(table_of(Notification))


def _queue(session: Session, **row: Any) -> None:
    # A Core insert built once: every confirmation, shipment and escalation queues one.
    session.connection().execute(_INSERT_NOTE, {**_BLANK, **row, "state": PENDING, "attempts": 0})


_BLANK = {
    "recipient_user_id": None,
    "recipient_role": None,
    "recipient_email": None,
    "document_type": None,
    "document_id": None,
    "document_number": None,
    "last_error": None,
    "sent_at": None,
    "attachment_ids": None,
}


def queue_email(
    session: Session,
    *,
    doc: DocumentMixin,
    kind: str,
    to: str,
    locale: str,
    at: datetime,
    attachment_ids: list[int] | None = None,
    **params: Any,
) -> None:
    """A templated e-mail to a customer: ``mail.<kind>.subject`` / ``.body`` in their locale,
    with the attached files (``files.models.Attachment`` ids) if any."""
    _queue(
        session,
        company_id=doc.company_id,
        kind=kind,
        channel=EMAIL,
        recipient_email=to,
        locale=locale,
        subject=t(f"mail.{kind}.subject", locale, number=doc.number, **params),
        body=t(f"mail.{kind}.body", locale, number=doc.number, **params),
        document_type=doc.document_type,
        document_id=doc.id,
        document_number=doc.number,
        created_at=at,
        attachment_ids=attachment_ids,
    )


def queue_staff(
    session: Session,
    *,
    company_id: int,
    kind: str,
    role: str | None,
    user_id: int | None,
    subject: str,
    body: str,
    at: datetime,
    doc: DocumentMixin | None = None,
) -> None:
    """An in-app message to a role or a person (urging notices, escalations)."""
    _queue(
        session,
        company_id=company_id,
        kind=kind,
        channel=IN_APP,
        recipient_role=role,
        recipient_user_id=user_id,
        locale="zh-CN",
        subject=subject,
        body=body,
        document_type=doc.document_type if doc else None,
        document_id=doc.id if doc else None,
        document_number=doc.number if doc else None,
        created_at=at,
    )


@dataclass(frozen=True)
class DispatchReport:
    sent: int
    failed: int


def dispatch_email(
    db: Database, settings: Settings, *, now: datetime, batch: int = 50
) -> DispatchReport:
    """Send pending e-mail. Rows are claimed with SKIP LOCKED, so several workers never send
    one message twice; each message commits on its own, so one bad address stops nothing."""
    if not settings.smtp_host:
        return DispatchReport(0, 0)
    sent = failed = 0
    while True:
        with db.transaction() as session:
            note = session.scalar(
                select(Notification)
                .where(Notification.channel == EMAIL, Notification.state == PENDING)
                .order_by(Notification.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if note is None:
                return DispatchReport(sent, failed)
            try:
                _send(settings, note, _attachments(session, settings, note))
            except (OSError, smtplib.SMTPException) as exc:
                note.attempts += 1
                note.last_error = str(exc)[:500]
                note.state = FAILED if note.attempts >= MAX_ATTEMPTS else PENDING
                failed += 1
                log.warning(
                    "mail %s to %s failed: %s", note.id, mask_email(note.recipient_email), exc
                )
                if note.state == PENDING:
                    return DispatchReport(sent, failed)  # try again next round, not in a tight loop
            else:
                note.state, note.sent_at, note.attempts = SENT, now, note.attempts + 1
                sent += 1
                log.info("mail %s sent to %s", note.id, mask_email(note.recipient_email))
        if sent + failed >= batch:
            return DispatchReport(sent, failed)


def _attachments(
    session: Session, settings: Settings, note: Notification
) -> list[tuple[str, str, bytes]]:
    """The files a message carries (a quote's PDF): name, content type, bytes."""
    if not note.attachment_ids:
        return []
    from orderflow.files.models import Attachment

    rows = session.scalars(select(Attachment).where(Attachment.id.in_(note.attachment_ids)))
    return [
        (row.filename, row.content_type, (settings.files_path() / row.stored_name).read_bytes())
        for row in rows
    ]


def _send(
    settings: Settings, note: Notification, files: Sequence[tuple[str, str, bytes]] = ()
) -> None:
    msg = EmailMessage()
    msg["From"] = settings.smtp_sender
    msg["To"] = note.recipient_email or ""
    msg["Subject"] = note.subject
    msg.set_content(note.body)
    for filename, content_type, data in files:
        maintype, _, subtype = content_type.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_user:
            smtp.starttls()
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(msg)
