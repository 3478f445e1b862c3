"""What every browser story shares: Debian's Chromium, the app served on a free port with a
fresh database, and a tab that logs in and takes steps the way a user does."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from orderflow.app import create_app
from orderflow.config import Settings
from orderflow.migrate import upgrade
from orderflow.runtime import Runtime
from tests.factories import PASSWORD, World, make_world

CHROMIUM = "/usr/bin/chromium"
# Headless, and nothing that would reach for the network (no internet here).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is required under CI=true (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    return CHROMIUM


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, World, Runtime]]:
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    upgrade(url)
    rt = Runtime.from_settings(
        Settings(
            database_url=url, secret_key="browser-test-secret-0123456789", embedded_worker=False
        )
    )
    world = make_world(rt)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = uvicorn.Server(
        uvicorn.Config(
            create_app(rt, migrate=False, worker=False),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
    )
    thread = threading.Thread(target=app.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not app.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.started, "the app did not start"
    yield f"http://127.0.0.1:{port}", world, rt
    app.should_exit = True
    thread.join(timeout=10)
    rt.db.dispose()


class Desk:
    """One browser tab on the app: log in and out, take a document's step by its form."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        page.set_default_timeout(10_000)

    def login(self, username: str) -> None:
        from playwright.sync_api import expect

        self.page.goto(self.base + "/login")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        expect(self.page).to_have_url(re.compile(r"/tasks$"))

    def logout(self) -> None:
        from playwright.sync_api import expect

        self.page.click("header form button")
        expect(self.page).to_have_url(re.compile(r"/login$"))

    def step(self, name: str, fields: dict[str, str] | None = None) -> None:
        """Open the step's form, fill its fields (a select is chosen from), submit it."""
        self.page.click(f"#step-{name} summary")
        for selector, value in (fields or {}).items():
            field = self.page.locator(selector)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        self.page.click(f"#do-{name}")


@contextmanager
def browser_for(chromium: str) -> Iterator[Any]:
    """A headless Chromium, closed afterwards however the story ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
