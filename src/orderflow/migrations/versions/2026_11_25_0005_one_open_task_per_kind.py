"""one open task per kind and document, enforced by the database

The engine opens a task kind at most once per document. A partial unique index makes the
database hold that rule, so opening is one INSERT … ON CONFLICT DO NOTHING instead of a
read of the open kinds followed by an insert.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-25 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    op.create_index(
        "uq_tasks_open_kind",
        "tasks",
        ["document_type", "document_id", "kind"],
        unique=True,
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_tasks_open_kind", table_name="tasks")
