"""an exception slip can name the person its tasks of a role go to (J2: a reworkable defect
goes to the operator who made it, not to the production role's queue)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exception_slips", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignees", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exception_slips", schema=None) as batch_op:
        batch_op.drop_column("assignees")
