"""stock-up notices say what and by when (lines, needed_by)

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-25 10:54:20.282124
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stock_up_notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("needed_by", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("lines", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
    # Notices issued before: needed by the order's requested date (their lines stay empty;
    # the order shows what they covered).
    op.execute(
        "UPDATE stock_up_notices SET needed_by = (SELECT requested_date FROM sales_orders "
        "WHERE sales_orders.id = stock_up_notices.order_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("stock_up_notices", schema=None) as batch_op:
        batch_op.drop_column("lines")
        batch_op.drop_column("needed_by")
