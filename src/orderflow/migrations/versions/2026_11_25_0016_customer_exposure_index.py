"""what a customer owes on open orders is summed from an index (B3 at every entry)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25 19:55:00
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The new index starts with customer_id, so it serves everything the old one did.
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sales_orders_customer_exposure",
            ["customer_id", "state", "total_amount", "paid_amount"],
            unique=False,
        )
        batch_op.drop_index("ix_sales_orders_customer_id")


def downgrade() -> None:
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.create_index("ix_sales_orders_customer_id", ["customer_id"], unique=False)
        batch_op.drop_index("ix_sales_orders_customer_exposure")
