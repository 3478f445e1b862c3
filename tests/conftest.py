"""Shared fixtures: a database per backend (SQLite file and a fresh PostgreSQL database per
run), a runtime with a frozen clock, factories, and an authenticated API client.

Integration tests take ``rt`` and run once per backend. Under CI=true a missing PostgreSQL
fails the run; elsewhere it skips those cases with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from orderflow.config import Settings
from orderflow.core.clock import FrozenClock
from orderflow.migrate import upgrade
from orderflow.models import metadata
from orderflow.runtime import Runtime

PG_ADMIN_URL = os.environ.get(
    "ORDERFLOW_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ["sqlite", "postgresql"]
# Tuesday 2026-11-24 10:00 Beijing time: inside working hours, away from holidays.
T0 = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    problem = _pg_available()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true and is not reachable: {problem}")
        pytest.skip(f"PostgreSQL not reachable: {problem}")
    name = f"orderflow_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("db") / "orderflow.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("pg_url" if request.param == "postgresql" else "sqlite_url")


def wipe(rt: Runtime) -> None:
    """Empty every table between tests (services commit, so rollback isolation can't work)."""
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with rt.db.engine.begin() as conn:
        if rt.db.dialect == "postgresql":
            conn.execute(
                text(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            )
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
def rt(db_url: str, clock: FrozenClock, tmp_path: Path) -> Iterator[Runtime]:
    settings = Settings(
        database_url=db_url,
        secret_key="test-secret-key-0123456789",
        embedded_worker=False,
        files_dir=tmp_path / "files",  # uploads and PDFs, never in the working tree
    )
    runtime = Runtime.from_settings(settings, clock=clock)
    wipe(runtime)
    yield runtime
    runtime.db.dispose()
