"""The order review (订单评审单): one per order and round, with one opinion per department."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from orderflow.core.documents import DocumentMixin, register_document
from orderflow.db import Base


@register_document
class OrderReview(DocumentMixin, Base):
    __tablename__ = "order_reviews"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_order_reviews_order", "order_id", "round"),
    )
    document_type = "order_review"
    number_prefix = "RV"

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    order_number: Mapped[str] = mapped_column(String(32))
    #: "order" (the order as entered), "date_change" or "structural_change" (G2).
    kind: Mapped[str] = mapped_column(String(20), default="order")
    round: Mapped[int] = mapped_column(Integer, default=1)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("change_notices.id"))
    #: The clerk who handles the order: the sales clerk's review task is theirs (B8).
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    regularity: Mapped[str] = mapped_column(String(12))
    routing: Mapped[list[Any]] = mapped_column(JSON)
    meeting_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_date: Mapped[date]
    #: The earliest date we can ship, from planning's promise (ATP/CTP) or, without
    #: planning, from stock and standard lead times; ``estimate_source`` says which.
    estimated_date: Mapped[date | None]
    estimate_source: Mapped[str] = mapped_column(String(12), default="estimate")
    estimate_note: Mapped[str] = mapped_column(String(300), default="")
    #: The date agreed with the customer in negotiation (C4).
    agreed_date: Mapped[date | None]
    meeting_held_on: Mapped[date | None]
    meeting_attendees: Mapped[list[Any] | None] = mapped_column(JSON)
    meeting_minutes: Mapped[str | None] = mapped_column(Text)
    meeting_decisions: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]

    opinions: Mapped[list[ReviewOpinion]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="ReviewOpinion.id",
        lazy="selectin",
    )


class ReviewOpinion(Base):
    """One department's judgement: approved, or objected on a topic with a reason (C3)."""

    __tablename__ = "review_opinions"
    __table_args__ = (UniqueConstraint("review_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("order_reviews.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    #: pending / approved / objected
    state: Mapped[str] = mapped_column(String(12), default="pending")
    #: The topics the reviewer checked and found in order, or the one they object on.
    checked: Mapped[list[Any]] = mapped_column(JSON, default=list)
    topic: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    #: For an objection on the date: the date this department can meet.
    feasible_date: Mapped[date | None]
    #: An objection settled by negotiation (the customer accepted a feasible date).
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_name: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None]

    review: Mapped[OrderReview] = relationship(back_populates="opinions")
