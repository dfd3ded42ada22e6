"""A SQLite write that waits out the busy timeout answers a retryable code and writes nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from examples.twooter.models import Twoot, User
from omega_gql import create_app

HOLD = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], timeout=0)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.rollback()
"""


INSERT = 'mutation { insertUserOne(object: {userName: "ann"}) { id } }'


@contextmanager
def write_lock_held(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding SQLite's write lock on ``path`` for ``seconds``."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_a_write_blocked_past_the_busy_timeout_answers_database_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    app = create_app(models=[User, Twoot], database_url=f"sqlite:///{path}", busy_timeout=100)
    app.create_tables()
    try:
        with write_lock_held(path, 5):
            answer = asyncio.run(
                app.execute('mutation { insertUserOne(object: {userName: "ann"}) { id } }')
            )
        [error] = answer["errors"]
        assert error["extensions"] == {"code": "database-busy", "retryable": True}
        assert asyncio.run(app.execute("{ user { userName } }")) == {"data": {"user": []}}
        retried = asyncio.run(
            app.execute('mutation { insertUserOne(object: {userName: "ann"}) { id } }')
        )
        assert retried == {"data": {"insertUserOne": {"id": 1}}}
    finally:
        app.database.dispose()
