"""While another process holds SQLite's write lock, the server keeps answering: reads and
requests that touch no database at once, the waiting write once the lock is released."""

from __future__ import annotations

import concurrent.futures
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e import slow_app
from tests.e2e.test_server import OMEGA_RUN, serving
from tests.service.test_busy import write_lock_held

INSERT = {"query": 'mutation { insertUserOne(object: {userName: "ann"}) { id } }'}
READ = {"query": "{ userAggregate { aggregate { count } } }"}


def test_a_held_write_lock_stalls_only_the_write_that_needs_it(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    with serving(OMEGA_RUN, tmp_path, f"sqlite:///{path}") as base:
        assert httpx.post(f"{base}/graphql", json=READ).status_code == 200  # tables created
        with write_lock_held(path, 2), concurrent.futures.ThreadPoolExecutor(1) as pool:
            pending = pool.submit(httpx.post, f"{base}/graphql", json=INSERT, timeout=10)
            # Each of these would wait for the lock if the loop were blocked by the write.
            for _ in range(5):
                read = httpx.post(f"{base}/graphql", json=READ, timeout=0.5)
                assert read.json() == {"data": {"userAggregate": {"aggregate": {"count": 0}}}}
                assert httpx.get(f"{base}/no-such-page", timeout=0.5).status_code == 404
            assert not pending.done()
            written = pending.result(timeout=10)
        assert written.json() == {"data": {"insertUserOne": {"id": 1}}}


TWOOTS = {"query": "{ twootAggregate { aggregate { count } } }"}
SLOW_APP = [sys.executable, "-m", "omega_gql.cli", "run", "tests.e2e.slow_app:app"]


@pytest.mark.parametrize(
    ("method", "path", "answer"),
    [
        ("GET", "/slow-read", {"count": slow_app.ROWS}),
        ("POST", "/slow-write", {"inserted": slow_app.ROWS // 100_000}),
    ],
    ids=["read", "write"],
)
@pytest.mark.parametrize("storage", ["file", "memory"])
def test_a_slow_statement_does_not_hold_up_other_requests(
    tmp_path: Path, method: str, path: str, answer: dict[str, int], storage: str
) -> None:
    url = f"sqlite:///{tmp_path / 'slow.db'}" if storage == "file" else "sqlite://"
    with serving(SLOW_APP, tmp_path, url) as base:
        assert httpx.post(f"{base}/graphql", json=READ).status_code == 200
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pending = pool.submit(httpx.request, method, f"{base}{path}", timeout=30)
            time.sleep(0.2)  # the statement is under way
            for _ in range(3):
                assert httpx.get(f"{base}/no-such-page", timeout=0.5).status_code == 404
                if storage == "file":  # a memory database has one connection to share
                    # Answered, and without the slow write's uncommitted rows.
                    read = httpx.post(f"{base}/graphql", json=TWOOTS, timeout=0.5)
                    assert read.json() == {"data": {"twootAggregate": {"aggregate": {"count": 0}}}}
            assert not pending.done()
            assert pending.result(timeout=30).json() == answer
