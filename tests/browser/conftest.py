"""A real Chromium (Debian's, driven by Playwright) against the Twooter example under
``omega run``; every request a page makes is recorded, to tell that none leaves loopback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import IN_CI
from tests.e2e.test_server import OMEGA_RUN, ROOT, free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Module scope, not session: while Playwright's sync API runs, this thread counts as
    # inside a running event loop, and the later tests' asyncio.run() would refuse to start.
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is not installed (scripts/install-browser installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=30_000)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Server:
    """The example served on a fixed loopback port, which can be stopped and started again."""

    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database(self) -> Path:
        return self.folder / "chat.db"

    def start(self) -> None:
        env = {**os.environ, "OMEGA_DATABASE_URL": f"sqlite:///{self.database}"}
        with (self.folder / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                [*OMEGA_RUN, "--port", str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while True:
            assert self.process.poll() is None, (self.folder / "server.log").read_text()
            try:
                httpx.get(f"{self.url}/graphql?query={{__typename}}", timeout=1)
                return
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not answer within 20 s"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def write_directly(self, user: str, message: str) -> None:
        """A twoot written straight into the database (while no server runs)."""
        with sqlite3.connect(self.database) as db:
            db.execute("INSERT OR IGNORE INTO user (user_name) VALUES (?)", (user,))
            (user_id,) = db.execute("SELECT id FROM user WHERE user_name = ?", (user,)).fetchone()
            db.execute(
                "INSERT INTO twoot (content, user_id, posted_at) VALUES (?, ?, datetime('now'))",
                (message, user_id),
            )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def requests_seen(browser: Any) -> Iterator[list[str]]:
    """Every URL the test's pages request; asserted to stay on loopback afterwards."""
    seen: list[str] = []
    yield seen
    outside = [url for url in seen if urlsplit(url).hostname not in LOOPBACK | {None}]
    assert not [u for u in outside if not u.startswith(("data:", "about:"))], outside


@pytest.fixture
def new_page(browser: Any, requests_seen: list[str]) -> Iterator[Any]:
    """Opens pages in one fresh context each; console errors fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page() -> Any:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("request", lambda request: requests_seen.append(request.url))
        page.on("websocket", lambda socket: requests_seen.append(socket.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, errors


__all__ = ["Server"]
