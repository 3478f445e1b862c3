"""order review, quotes, contracts, changes: classification and effectiveness on orders,
reviews with opinions, quotes with versions, contracts with filings, stock-up notices,
change notices with order versions, attachments (and files on outgoing mail)

Revision ID: 0002
Revises: 0005
Create Date: 2026-11-25 10:02:06.912678
"""

import sqlalchemy as sa
from alembic import op

import orderflow.db

revision = "0002"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("document_type", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=120), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=80), nullable=False),
        sa.Column("uploaded_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_attachments_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_attachments_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_company_id"), ["company_id"], unique=False)
        batch_op.create_index(
            "ix_attachments_document", ["document_type", "document_id"], unique=False
        )

    op.create_table(
        "change_notices",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("technical", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("patch", sa.JSON(), nullable=False),
        sa.Column("impact", sa.String(length=12), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=80), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("review_passed", sa.Boolean(), nullable=False),
        sa.Column("approval_file_id", sa.Integer(), nullable=True),
        sa.Column("from_version", sa.Integer(), nullable=True),
        sa.Column("to_version", sa.Integer(), nullable=True),
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
            ["approval_file_id"],
            ["attachments.id"],
            name=op.f("fk_change_notices_approval_file_id_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_change_notices_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_change_notices_order_id_sales_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_notices")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_change_notices_company_id_number")
        ),
    )
    with op.batch_alter_table("change_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_change_notices_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_notices_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_notices_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_notices_state"), ["state"], unique=False)

    op.create_table(
        "quotes",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("request_lines", sa.JSON(), nullable=False),
        sa.Column("request_note", sa.Text(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("total_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("quoter_signed_by", sa.String(length=80), nullable=True),
        sa.Column("quoter_signed_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("technical_signed_by", sa.String(length=80), nullable=True),
        sa.Column("technical_signed_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
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
            ["company_id"], ["companies.id"], name=op.f("fk_quotes_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_quotes_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_quotes_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_quotes_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_quotes_company_id_number")),
    )
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quotes_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotes_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotes_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotes_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotes_state"), ["state"], unique=False)

    op.create_table(
        "stock_up_notices",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.String(length=80), nullable=False),
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
            ["company_id"], ["companies.id"], name=op.f("fk_stock_up_notices_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.id"],
            name=op.f("fk_stock_up_notices_order_id_sales_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_up_notices")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_stock_up_notices_company_id_number")
        ),
    )
    with op.batch_alter_table("stock_up_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_up_notices_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stock_up_notices_number"), ["number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stock_up_notices_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stock_up_notices_state"), ["state"], unique=False)

    op.create_table(
        "contracts",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("quote_id", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("deposit_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=True),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("sent_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("customer_signatory", sa.String(length=120), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("signature_file_id", sa.Integer(), nullable=True),
        sa.Column("filed_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deposit_received", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("deposit_reference", sa.String(length=120), nullable=True),
        sa.Column("deposit_verified_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deposit_verified_by", sa.String(length=80), nullable=True),
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
            ["change_id"], ["change_notices.id"], name=op.f("fk_contracts_change_id_change_notices")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_contracts_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_contracts_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_contracts_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["contracts.id"], name=op.f("fk_contracts_parent_id_contracts")
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_contracts_quote_id_quotes")
        ),
        sa.ForeignKeyConstraint(
            ["signature_file_id"],
            ["attachments.id"],
            name=op.f("fk_contracts_signature_file_id_attachments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contracts")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_contracts_company_id_number")),
    )
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contracts_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contracts_state"), ["state"], unique=False)

    op.create_table(
        "order_reviews",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.Column("regularity", sa.String(length=12), nullable=False),
        sa.Column("routing", sa.JSON(), nullable=False),
        sa.Column("meeting_needed", sa.Boolean(), nullable=False),
        sa.Column("requested_date", sa.Date(), nullable=False),
        sa.Column("estimated_date", sa.Date(), nullable=True),
        sa.Column("estimate_source", sa.String(length=12), nullable=False),
        sa.Column("estimate_note", sa.String(length=300), nullable=False),
        sa.Column("agreed_date", sa.Date(), nullable=True),
        sa.Column("meeting_held_on", sa.Date(), nullable=True),
        sa.Column("meeting_attendees", sa.JSON(), nullable=True),
        sa.Column("meeting_minutes", sa.Text(), nullable=True),
        sa.Column("meeting_decisions", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
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
            ["change_id"],
            ["change_notices.id"],
            name=op.f("fk_order_reviews_change_id_change_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_order_reviews_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_order_reviews_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["handler_id"], ["users.id"], name=op.f("fk_order_reviews_handler_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_order_reviews_order_id_sales_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_reviews")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_order_reviews_company_id_number")
        ),
    )
    with op.batch_alter_table("order_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_reviews_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_order_reviews_number"), ["number"], unique=False)
        batch_op.create_index("ix_order_reviews_order", ["order_id", "round"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_reviews_state"), ["state"], unique=False)

    op.create_table(
        "order_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["change_notices.id"],
            name=op.f("fk_order_versions_change_id_change_notices"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_order_versions_order_id_sales_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_versions")),
        sa.UniqueConstraint(
            "order_id", "version_no", name=op.f("uq_order_versions_order_id_version_no")
        ),
    )
    with op.batch_alter_table("order_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_versions_order_id"), ["order_id"], unique=False)

    op.create_table(
        "quote_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("total_amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by_name", sa.String(length=80), nullable=False),
        sa.Column("created_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_quote_versions_quote_id_quotes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_versions")),
        sa.UniqueConstraint(
            "quote_id", "version_no", name=op.f("uq_quote_versions_quote_id_version_no")
        ),
    )
    with op.batch_alter_table("quote_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quote_versions_quote_id"), ["quote_id"], unique=False)

    op.create_table(
        "contract_filings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("department", sa.String(length=40), nullable=False),
        sa.Column("filed_at", orderflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("filed_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contracts.id"],
            name=op.f("fk_contract_filings_contract_id_contracts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_filings")),
        sa.UniqueConstraint(
            "contract_id", "department", name=op.f("uq_contract_filings_contract_id_department")
        ),
    )
    with op.batch_alter_table("contract_filings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_filings_contract_id"), ["contract_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_filings_department"), ["department"], unique=False
        )

    op.create_table(
        "review_opinions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("checked", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("feasible_date", sa.Date(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=80), nullable=True),
        sa.Column("decided_at", orderflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_review_opinions_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["order_reviews.id"],
            name=op.f("fk_review_opinions_review_id_order_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_opinions")),
        sa.UniqueConstraint("review_id", "role", name=op.f("uq_review_opinions_review_id_role")),
    )
    with op.batch_alter_table("review_opinions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_opinions_review_id"), ["review_id"], unique=False
        )

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment_ids", sa.JSON(), nullable=True))

    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("regularity", sa.String(length=12), server_default="regular", nullable=False)
        )
        batch_op.add_column(
            sa.Column("category", sa.String(length=10), server_default="general", nullable=False)
        )
        batch_op.add_column(
            sa.Column("project_name", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("custom_design", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("late_penalty", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("rush", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "classification_reasons", sa.JSON(), server_default=sa.text("'[]'"), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "classification_overridden", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "review_state", sa.String(length=16), server_default="not_required", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("effective_at", orderflow.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("effective_by", sa.String(length=40), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.drop_column("effective_by")
        batch_op.drop_column("effective_at")
        batch_op.drop_column("review_state")
        batch_op.drop_column("classification_overridden")
        batch_op.drop_column("classification_reasons")
        batch_op.drop_column("rush")
        batch_op.drop_column("late_penalty")
        batch_op.drop_column("custom_design")
        batch_op.drop_column("project_name")
        batch_op.drop_column("category")
        batch_op.drop_column("regularity")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("attachment_ids")

    with op.batch_alter_table("review_opinions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_opinions_review_id"))

    op.drop_table("review_opinions")
    with op.batch_alter_table("contract_filings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_filings_department"))
        batch_op.drop_index(batch_op.f("ix_contract_filings_contract_id"))

    op.drop_table("contract_filings")
    with op.batch_alter_table("quote_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_versions_quote_id"))

    op.drop_table("quote_versions")
    with op.batch_alter_table("order_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_versions_order_id"))

    op.drop_table("order_versions")
    with op.batch_alter_table("order_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_reviews_state"))
        batch_op.drop_index("ix_order_reviews_order")
        batch_op.drop_index(batch_op.f("ix_order_reviews_number"))
        batch_op.drop_index(batch_op.f("ix_order_reviews_company_id"))

    op.drop_table("order_reviews")
    with op.batch_alter_table("contracts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contracts_state"))
        batch_op.drop_index(batch_op.f("ix_contracts_order_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_number"))
        batch_op.drop_index(batch_op.f("ix_contracts_customer_id"))
        batch_op.drop_index(batch_op.f("ix_contracts_company_id"))

    op.drop_table("contracts")
    with op.batch_alter_table("stock_up_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_up_notices_state"))
        batch_op.drop_index(batch_op.f("ix_stock_up_notices_order_id"))
        batch_op.drop_index(batch_op.f("ix_stock_up_notices_number"))
        batch_op.drop_index(batch_op.f("ix_stock_up_notices_company_id"))

    op.drop_table("stock_up_notices")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotes_state"))
        batch_op.drop_index(batch_op.f("ix_quotes_order_id"))
        batch_op.drop_index(batch_op.f("ix_quotes_number"))
        batch_op.drop_index(batch_op.f("ix_quotes_customer_id"))
        batch_op.drop_index(batch_op.f("ix_quotes_company_id"))

    op.drop_table("quotes")
    with op.batch_alter_table("change_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_notices_state"))
        batch_op.drop_index(batch_op.f("ix_change_notices_order_id"))
        batch_op.drop_index(batch_op.f("ix_change_notices_number"))
        batch_op.drop_index(batch_op.f("ix_change_notices_company_id"))

    op.drop_table("change_notices")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_document")
        batch_op.drop_index(batch_op.f("ix_attachments_company_id"))

    op.drop_table("attachments")
