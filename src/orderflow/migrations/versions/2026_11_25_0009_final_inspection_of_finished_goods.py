"""finished goods wait in QC for their final inspection (J1, I2): a production order
remembers the inspection its output waits for, what it let into storage and what it set
aside in REJ

Production orders completed before this revision went straight into storage: they keep
no inspection (NULL), which is how a direct receipt reads, so nothing appears to wait.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("final_inspection", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column(
                "accepted_quantity",
                sa.Numeric(precision=18, scale=4),
                server_default="0",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "rejected_quantity",
                sa.Numeric(precision=18, scale=4),
                server_default="0",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.drop_column("rejected_quantity")
        batch_op.drop_column("accepted_quantity")
        batch_op.drop_column("final_inspection")
