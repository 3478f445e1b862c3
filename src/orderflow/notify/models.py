"""The outbox: every message to a customer or a colleague is a row written in the same
transaction as the step that caused it, so a message is never sent for a step that rolled
back, and never lost for one that committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from orderflow.db import Base

PENDING, SENT, FAILED = "pending", "sent", "failed"
EMAIL, IN_APP = "email", "in_app"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_dispatch", "channel", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(16))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    recipient_role: Mapped[str | None] = mapped_column(String(40), index=True)
    recipient_email: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    document_type: Mapped[str | None] = mapped_column(String(40))
    document_id: Mapped[int | None] = mapped_column(Integer)
    document_number: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    #: Files sent with the e-mail (``files.models.Attachment`` ids): a quote's PDF.
    attachment_ids: Mapped[list[Any] | None] = mapped_column(JSON)
