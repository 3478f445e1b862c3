"""a production order records when its materials were issued from stock (领料)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 14:50:00
"""

import sqlalchemy as sa
from alembic import op

from orderflow.db import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("materials_issued_at", UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.drop_column("materials_issued_at")
