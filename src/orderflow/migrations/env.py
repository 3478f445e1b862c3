"""Alembic environment: runs against the URL the caller configured (see orderflow.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool

from orderflow.db import make_engine
from orderflow.models import metadata

config = context.config


def run() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url
    engine = (
        make_engine(url, poolclass=pool.NullPool)
        if not url.startswith("sqlite")
        else make_engine(url)
    )
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
