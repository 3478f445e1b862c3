"""procurement, inventory and quality: locations and the ledger by location

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-25 10:00:43.090995
"""

import sqlalchemy as sa
from alembic import op

import orderflow.db

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_stock_locations_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_locations")),
        sa.UniqueConstraint(
            "warehouse_id", "code", name=op.f("uq_stock_locations_warehouse_id_code")
        ),
    )
    with op.batch_alter_table("stock_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_locations_warehouse_id"), ["warehouse_id"], unique=False
        )

    op.create_table(
        "location_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_location_stock_not_negative")),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_location_stock_location_id_stock_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_location_stock_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location_stock")),
        sa.UniqueConstraint(
            "location_id", "product_id", name=op.f("uq_location_stock_location_id_product_id")
        ),
    )
    with op.batch_alter_table("location_stock", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_location_stock_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_location_stock_product_id"), ["product_id"], unique=False
        )

    _locate_existing_stock()
    _create_warehouse_documents()
    _create_procurement_quality_and_slips()


def _locate_existing_stock() -> None:
    """Stock recorded before locations existed lies in each warehouse's MAIN location; a
    stock level the ledger did not explain gets an opening-balance move, so the books
    balance from the first day (on-hand = the sum of moves)."""
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location_id", sa.Integer(), nullable=True))
    for code, name, kind in (
        ("MAIN", "主库位", "storage"),
        ("QC", "待检区", "inspection"),
        ("REJ", "不合格品区", "rejected"),
    ):
        op.execute(
            "INSERT INTO stock_locations (warehouse_id, code, name, kind, active) "
            f"SELECT id, '{code}', '{name}', '{kind}', TRUE FROM warehouses"
        )
    main = "(SELECT l.id FROM stock_locations l WHERE l.warehouse_id = {w} AND l.code = 'MAIN')"
    op.execute("UPDATE stock_moves SET location_id = " + main.format(w="stock_moves.warehouse_id"))
    moved = (
        "COALESCE((SELECT SUM(m.quantity) FROM stock_moves m "
        "WHERE m.warehouse_id = s.warehouse_id AND m.product_id = s.product_id), 0)"
    )
    op.execute(
        "INSERT INTO stock_moves "
        "(warehouse_id, location_id, product_id, quantity, reason, reference, at) "
        f"SELECT s.warehouse_id, {main.format(w='s.warehouse_id')}, s.product_id, "
        f"s.on_hand - {moved}, 'opening_balance', 'migration 0004', CURRENT_TIMESTAMP "
        f"FROM stock_levels s WHERE s.on_hand <> {moved}"
    )
    op.execute(
        "INSERT INTO location_stock (location_id, product_id, quantity) "
        f"SELECT {main.format(w='s.warehouse_id')}, s.product_id, s.on_hand "
        "FROM stock_levels s WHERE s.on_hand <> 0"
    )
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.alter_column("location_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_stock_moves_location_id"), ["location_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_stock_moves_location_id_stock_locations"),
            "stock_locations",
            ["location_id"],
            ["id"],
        )


def _create_procurement_quality_and_slips() -> None:
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=False),
        sa.Column("default_lead_time_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_suppliers_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_suppliers_company_id_code")),
    )
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suppliers_company_id"), ["company_id"], unique=False)

    op.create_table(
        "supplier_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_supplier_items_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_supplier_items_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_items")),
        sa.UniqueConstraint(
            "supplier_id", "product_id", name=op.f("uq_supplier_items_supplier_id_product_id")
        ),
    )
    with op.batch_alter_table("supplier_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supplier_items_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supplier_items_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "exception_slips",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source_document_type", sa.String(length=40), nullable=True),
        sa.Column("source_document_id", sa.Integer(), nullable=True),
        sa.Column("source_number", sa.String(length=32), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("routes", sa.JSON(), nullable=False),
        sa.Column("owner_roles", sa.JSON(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("remedy", sa.String(length=40), nullable=True),
        sa.Column("liability", sa.String(length=12), nullable=True),
        sa.Column("cost", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("closure", sa.Text(), nullable=False),
        sa.Column("decided_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_exception_slips_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_exception_slips_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"], ["users.id"], name=op.f("fk_exception_slips_raised_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_exception_slips_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_exception_slips_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exception_slips")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_exception_slips_company_id_number")
        ),
    )
    with op.batch_alter_table("exception_slips", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exception_slips_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            "ix_exception_slips_company_kind", ["company_id", "kind", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exception_slips_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exception_slips_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exception_slips_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exception_slips_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "inspections",
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("lot", sa.String(length=40), nullable=False),
        sa.Column("source_document_type", sa.String(length=40), nullable=True),
        sa.Column("source_document_id", sa.Integer(), nullable=True),
        sa.Column("source_number", sa.String(length=32), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=True),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("operation", sa.String(length=120), nullable=False),
        sa.Column("aql", sa.String(length=6), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("accept_number", sa.Integer(), nullable=False),
        sa.Column("quality_standard", sa.Text(), nullable=False),
        sa.Column("shipping_standard", sa.Text(), nullable=False),
        sa.Column("inspected", sa.Integer(), nullable=True),
        sa.Column("defective", sa.Integer(), nullable=True),
        sa.Column("pass_rate", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("accepted_quantity", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("rejected_quantity", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("routes", sa.JSON(), nullable=False),
        sa.Column("standards_met", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("inspector_id", sa.Integer(), nullable=True),
        sa.Column("inspected_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("exception_number", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_inspections_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["users.id"], name=op.f("fk_inspections_inspector_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_inspections_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_inspections_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_inspections_supplier_id_suppliers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_inspections_company_id_number")),
    )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inspections_company_id"), ["company_id"], unique=False)
        batch_op.create_index("ix_inspections_company_state", ["company_id", "state"], unique=False)
        batch_op.create_index(batch_op.f("ix_inspections_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inspections_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inspections_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inspections_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "purchase_orders",
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("supplier_promised_date", sa.Date(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("exception_number", sa.String(length=32), nullable=True),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("carrier", sa.String(length=120), nullable=False),
        sa.Column("tracking_number", sa.String(length=120), nullable=False),
        sa.Column("shipped_on", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("no_transfer_reason", sa.Text(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("pending_reduction", sa.JSON(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_purchase_orders_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["users.id"], name=op.f("fk_purchase_orders_buyer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_purchase_orders_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_purchase_orders_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name=op.f("fk_purchase_orders_supplier_id_suppliers")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_purchase_orders_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_purchase_orders_company_id_number")
        ),
    )
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchase_orders_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_purchase_orders_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            "ix_purchase_orders_company_state", ["company_id", "state"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_purchase_orders_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_purchase_orders_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_purchase_orders_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_purchase_orders_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "purchase_requisitions",
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_purchase_requisitions_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_purchase_requisitions_requested_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_purchase_requisitions_sales_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_requisitions")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_purchase_requisitions_company_id_number")
        ),
    )
    with op.batch_alter_table("purchase_requisitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_requisitions_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_requisitions_number"), ["number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_requisitions_sales_order_id"), ["sales_order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_purchase_requisitions_state"), ["state"], unique=False)

    op.create_table(
        "goods_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("delivery_note", sa.String(length=60), nullable=False),
        sa.Column("received_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_goods_receipts_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_goods_receipts_order_id_purchase_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["received_by_id"], ["users.id"], name=op.f("fk_goods_receipts_received_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_goods_receipts_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goods_receipts")),
    )
    with op.batch_alter_table("goods_receipts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goods_receipts_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_goods_receipts_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_goods_receipts_order_id"), ["order_id"], unique=False)

    op.create_table(
        "purchase_requisition_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requisition_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_use", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("for_quantity", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("allowance", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("transferred_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("ordered_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_purchase_requisition_lines_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["requisition_id"],
            ["purchase_requisitions.id"],
            name=op.f("fk_purchase_requisition_lines_requisition_id_purchase_requisitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_requisition_lines")),
    )
    with op.batch_alter_table("purchase_requisition_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_requisition_lines_requisition_id"),
            ["requisition_id"],
            unique=False,
        )

    op.create_table(
        "purchase_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("requisition_line_id", sa.Integer(), nullable=True),
        sa.Column("unit_use", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("for_quantity", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("allowance", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("received_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("accepted_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("rejected_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("returned_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("cancelled_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_orders.id"],
            name=op.f("fk_purchase_order_lines_order_id_purchase_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_purchase_order_lines_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["requisition_line_id"],
            ["purchase_requisition_lines.id"],
            name=op.f("fk_purchase_order_lines_requisition_line_id_purchase_requisition_lines"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order_lines")),
    )
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchase_order_lines_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_purchase_order_lines_requisition_line_id"),
            ["requisition_line_id"],
            unique=False,
        )

    op.create_table(
        "goods_receipt_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("inspection_number", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["purchase_order_lines.id"],
            name=op.f("fk_goods_receipt_lines_order_line_id_purchase_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_goods_receipt_lines_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["goods_receipts.id"],
            name=op.f("fk_goods_receipt_lines_receipt_id_goods_receipts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goods_receipt_lines")),
    )
    with op.batch_alter_table("goods_receipt_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goods_receipt_lines_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_goods_receipt_lines_receipt_id"), ["receipt_id"], unique=False
        )


def _drop_procurement_quality_and_slips() -> None:
    with op.batch_alter_table("goods_receipt_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goods_receipt_lines_receipt_id"))
        batch_op.drop_index(batch_op.f("ix_goods_receipt_lines_order_line_id"))

    op.drop_table("goods_receipt_lines")
    with op.batch_alter_table("purchase_order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_requisition_line_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_lines_order_id"))

    op.drop_table("purchase_order_lines")
    with op.batch_alter_table("purchase_requisition_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_requisition_lines_requisition_id"))

    op.drop_table("purchase_requisition_lines")
    with op.batch_alter_table("goods_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goods_receipts_order_id"))
        batch_op.drop_index(batch_op.f("ix_goods_receipts_number"))
        batch_op.drop_index(batch_op.f("ix_goods_receipts_company_id"))

    op.drop_table("goods_receipts")
    with op.batch_alter_table("purchase_requisitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_requisitions_state"))
        batch_op.drop_index(batch_op.f("ix_purchase_requisitions_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_requisitions_number"))
        batch_op.drop_index(batch_op.f("ix_purchase_requisitions_company_id"))

    op.drop_table("purchase_requisitions")
    with op.batch_alter_table("purchase_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_orders_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_orders_state"))
        batch_op.drop_index(batch_op.f("ix_purchase_orders_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_orders_number"))
        batch_op.drop_index("ix_purchase_orders_company_state")
        batch_op.drop_index(batch_op.f("ix_purchase_orders_company_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_orders_buyer_id"))

    op.drop_table("purchase_orders")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspections_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_inspections_state"))
        batch_op.drop_index(batch_op.f("ix_inspections_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_inspections_number"))
        batch_op.drop_index("ix_inspections_company_state")
        batch_op.drop_index(batch_op.f("ix_inspections_company_id"))

    op.drop_table("inspections")
    with op.batch_alter_table("exception_slips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exception_slips_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_exception_slips_state"))
        batch_op.drop_index(batch_op.f("ix_exception_slips_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_exception_slips_number"))
        batch_op.drop_index("ix_exception_slips_company_kind")
        batch_op.drop_index(batch_op.f("ix_exception_slips_company_id"))

    op.drop_table("exception_slips")
    with op.batch_alter_table("supplier_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supplier_items_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_supplier_items_product_id"))

    op.drop_table("supplier_items")
    with op.batch_alter_table("suppliers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suppliers_company_id"))

    op.drop_table("suppliers")


def _create_warehouse_documents() -> None:
    op.create_table(
        "stock_counts",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("counted_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("counted_by_id", sa.Integer(), nullable=True),
        sa.Column("posted_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_stock_counts_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["counted_by_id"], ["users.id"], name=op.f("fk_stock_counts_counted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_counts_location_id_stock_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_stock_counts_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_counts")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_stock_counts_company_id_number")),
    )
    with op.batch_alter_table("stock_counts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_counts_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stock_counts_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_stock_counts_state"), ["state"], unique=False)

    op.create_table(
        "stock_count_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("book_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("counted_quantity", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["stock_counts.id"],
            name=op.f("fk_stock_count_lines_count_id_stock_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["stock_locations.id"],
            name=op.f("fk_stock_count_lines_location_id_stock_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_stock_count_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_count_lines")),
    )
    with op.batch_alter_table("stock_count_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_count_lines_count_id"), ["count_id"], unique=False
        )

    op.create_table(
        "customer_supplied_notices",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=False),
        sa.Column("new_expected_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("signed_by", sa.String(length=120), nullable=False),
        sa.Column("signed_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("counted_by_id", sa.Integer(), nullable=True),
        sa.Column("exception_number", sa.String(length=32), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_customer_supplied_notices_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["counted_by_id"],
            ["users.id"],
            name=op.f("fk_customer_supplied_notices_counted_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_supplied_notices_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_customer_supplied_notices_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_customer_supplied_notices_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_supplied_notices")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_customer_supplied_notices_company_id_number")
        ),
    )
    with op.batch_alter_table("customer_supplied_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_supplied_notices_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_supplied_notices_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_supplied_notices_number"), ["number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customer_supplied_notices_sales_order_id"),
            ["sales_order_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_customer_supplied_notices_state"), ["state"], unique=False
        )

    op.create_table(
        "transfer_orders",
        sa.Column("to_company_id", sa.Integer(), nullable=False),
        sa.Column("from_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("to_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("carrier", sa.String(length=120), nullable=False),
        sa.Column("shipped_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("received_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_transfer_orders_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["from_warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_transfer_orders_from_warehouse_id_warehouses"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_transfer_orders_requested_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sales_order_id"],
            ["sales_orders.id"],
            name=op.f("fk_transfer_orders_sales_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["to_company_id"],
            ["companies.id"],
            name=op.f("fk_transfer_orders_to_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["to_warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_transfer_orders_to_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_orders")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_transfer_orders_company_id_number")
        ),
    )
    with op.batch_alter_table("transfer_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfer_orders_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_transfer_orders_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_transfer_orders_state"), ["state"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_transfer_orders_to_company_id"), ["to_company_id"], unique=False
        )

    op.create_table(
        "customer_supplied_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("promised_quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("counted_quantity", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["customer_supplied_notices.id"],
            name=op.f("fk_customer_supplied_lines_notice_id_customer_supplied_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_customer_supplied_lines_product_id_products"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_supplied_lines")),
    )
    with op.batch_alter_table("customer_supplied_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_supplied_lines_notice_id"), ["notice_id"], unique=False
        )

    op.create_table(
        "transfer_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("from_product_id", sa.Integer(), nullable=False),
        sa.Column("to_product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_product_id"],
            ["products.id"],
            name=op.f("fk_transfer_lines_from_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["to_product_id"],
            ["products.id"],
            name=op.f("fk_transfer_lines_to_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfer_orders.id"],
            name=op.f("fk_transfer_lines_transfer_id_transfer_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_lines")),
    )
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transfer_lines_transfer_id"), ["transfer_id"], unique=False
        )


def _drop_warehouse_documents() -> None:
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_lines_transfer_id"))

    op.drop_table("transfer_lines")
    with op.batch_alter_table("customer_supplied_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_supplied_lines_notice_id"))

    op.drop_table("customer_supplied_lines")
    with op.batch_alter_table("transfer_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transfer_orders_to_company_id"))
        batch_op.drop_index(batch_op.f("ix_transfer_orders_state"))
        batch_op.drop_index(batch_op.f("ix_transfer_orders_number"))
        batch_op.drop_index(batch_op.f("ix_transfer_orders_company_id"))

    op.drop_table("transfer_orders")
    with op.batch_alter_table("customer_supplied_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_supplied_notices_state"))
        batch_op.drop_index(batch_op.f("ix_customer_supplied_notices_sales_order_id"))
        batch_op.drop_index(batch_op.f("ix_customer_supplied_notices_number"))
        batch_op.drop_index(batch_op.f("ix_customer_supplied_notices_customer_id"))
        batch_op.drop_index(batch_op.f("ix_customer_supplied_notices_company_id"))

    op.drop_table("customer_supplied_notices")
    with op.batch_alter_table("stock_count_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_count_lines_count_id"))

    op.drop_table("stock_count_lines")
    with op.batch_alter_table("stock_counts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_counts_state"))
        batch_op.drop_index(batch_op.f("ix_stock_counts_number"))
        batch_op.drop_index(batch_op.f("ix_stock_counts_company_id"))

    op.drop_table("stock_counts")


def downgrade() -> None:
    _drop_warehouse_documents()
    _drop_procurement_quality_and_slips()
    with op.batch_alter_table("stock_moves", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_stock_moves_location_id_stock_locations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_stock_moves_location_id"))
        batch_op.drop_column("location_id")

    with op.batch_alter_table("location_stock", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_stock_product_id"))
        batch_op.drop_index(batch_op.f("ix_location_stock_location_id"))
    op.drop_table("location_stock")
    with op.batch_alter_table("stock_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_locations_warehouse_id"))
    op.drop_table("stock_locations")
