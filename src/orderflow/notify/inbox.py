"""What messages a person may read: theirs, their roles', and (for managers) the outbox."""

from __future__ import annotations

from sqlalchemy import and_, case, or_, select

from orderflow.auth.roles import PERMISSIONS
from orderflow.notify.models import EMAIL, IN_APP, Notification
from orderflow.privacy import mask_email
from orderflow.runtime import Principal, Runtime


def inbox(rt: Runtime, me: Principal, *, limit: int = 100) -> list[Notification]:
    """Urging notices first, then newest; customer e-mail only for those who oversee orders.

    Addresses are masked for callers who may not edit customers (O1).
    """
    mine = and_(
        Notification.channel == IN_APP,
        or_(Notification.recipient_user_id == me.id, Notification.recipient_role.in_(me.roles)),
    )
    clause = (
        or_(mine, Notification.channel == EMAIL)
        if me.can(PERMISSIONS["notifications.read_all"])
        else mine
    )
    urging_first = case((Notification.kind == "urging", 0), else_=1)
    with rt.db.reading() as session:
        rows = list(
            session.scalars(
                select(Notification)
                .where(Notification.company_id == me.company_id, clause)
                .order_by(urging_first, Notification.id.desc())
                .limit(limit)
            )
        )
    if not me.can(PERMISSIONS["customers.write"]):
        for row in rows:
            row.recipient_email = mask_email(row.recipient_email) if row.recipient_email else None
    return rows
