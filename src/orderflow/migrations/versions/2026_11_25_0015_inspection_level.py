"""an inspection records the GB/T 2828.1 inspection level its sampling plan was drawn at

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 16:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every earlier plan was drawn at general level II, the only level there was.
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("inspection_level", sa.String(length=4), nullable=False, server_default="II")
        )


def downgrade() -> None:
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_column("inspection_level")
