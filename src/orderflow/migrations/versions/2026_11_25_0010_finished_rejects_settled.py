"""finished goods set aside at final inspection can be scrapped: a production order counts
what it scrapped, so what still waits in QC stays right

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 14:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "scrapped_quantity",
                sa.Numeric(precision=18, scale=4),
                server_default="0",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("production_orders", schema=None) as batch_op:
        batch_op.drop_column("scrapped_quantity")
