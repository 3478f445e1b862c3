"""a transfer to a sister company holds its goods at the supplying warehouse from the
moment it is agreed (A5): a reservation belongs to a sales order line or a transfer line

Existing reservations all belong to order lines and keep them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 14:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.alter_column("order_line_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("transfer_line_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_reservations_transfer_line_id_transfer_lines"),
            "transfer_lines",
            ["transfer_line_id"],
            ["id"],
        )
        batch_op.create_index(
            op.f("ix_reservations_transfer_line_id"), ["transfer_line_id"], unique=False
        )
        batch_op.create_check_constraint(
            op.f("ck_reservations_holder"),
            "(order_line_id IS NULL) <> (transfer_line_id IS NULL)",
        )


def downgrade() -> None:
    # Transfer holds go: their stock is free again, so the books still balance.
    op.execute(
        "UPDATE stock_levels SET reserved = reserved - (SELECT COALESCE(SUM(r.quantity), 0)"
        " FROM reservations r WHERE r.order_line_id IS NULL"
        " AND r.warehouse_id = stock_levels.warehouse_id"
        " AND r.product_id = stock_levels.product_id)"
    )
    op.execute("DELETE FROM reservations WHERE order_line_id IS NULL")
    with op.batch_alter_table("reservations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reservations_holder"), type_="check")
        batch_op.drop_index(op.f("ix_reservations_transfer_line_id"))
        batch_op.drop_constraint(
            op.f("fk_reservations_transfer_line_id_transfer_lines"), type_="foreignkey"
        )
        batch_op.drop_column("transfer_line_id")
        batch_op.alter_column("order_line_id", existing_type=sa.Integer(), nullable=False)
