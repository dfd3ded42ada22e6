"""While another process holds SQLite's write lock, the server keeps answering: reads and
requests that touch no database at once, the waiting write once the lock is released."""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import httpx

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
