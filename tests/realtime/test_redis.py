"""Several server processes sharing one Redis: a subscriber on one sees writes made through
another, presence spans them, and a Redis restart loses no update."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import ClientConnection

from tests.conftest import IN_CI, REDIS_URL, need_redis
from tests.e2e.test_server import OMEGA_RUN, free_port, serving
from tests.realtime.test_channels import PRESENCE, present, subscribe

CHAT = "subscription { twoot(orderBy: {id: ASC}) { content user { userName } } }"


@contextmanager
def workers(tmp_path: Path, redis_url: str, count: int = 2) -> Iterator[list[str]]:
    """``count`` Twooter servers on one SQLite file and one Redis; yields their addresses."""
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    with ExitStack() as stack, pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMEGA_BROADCAST_URL", redis_url)
        addresses = []
        for n in range(count):
            folder = tmp_path / f"worker{n}"
            folder.mkdir()
            base = stack.enter_context(serving(OMEGA_RUN, folder, database_url=database))
            addresses.append(base.replace("http://", ""))
        yield addresses


def post(address: str, user: str, message: str) -> None:
    response = httpx.post(f"http://{address}/chat", data={"user": user, "message": message})
    assert response.status_code == 201, response.text


def chat(ws: ClientConnection, timeout: float = 5) -> list[str]:
    from tests.realtime.test_graphql_ws import receive

    message = receive(ws, timeout)
    assert message["type"] == "next", message
    return [f"{t['user']['userName']}: {t['content']}" for t in message["payload"]["data"]["twoot"]]


def test_a_subscriber_on_one_worker_sees_writes_through_another(tmp_path: Path) -> None:
    need_redis()
    with workers(tmp_path, REDIS_URL) as (one, two), subscribe(one, "c", CHAT) as ws:
        assert chat(ws) == []
        post(two, "ann", "from the other worker")
        assert chat(ws) == ["ann: from the other worker"]
        post(one, "bob", "and from this one")
        assert chat(ws) == ["ann: from the other worker", "bob: and from this one"]


def test_presence_spans_the_workers(tmp_path: Path) -> None:
    need_redis()
    with workers(tmp_path, REDIS_URL) as (one, two):
        with subscribe(one, "p", PRESENCE % "ann") as ann:
            assert present(ann, "p") == ["ann"]
            with subscribe(two, "p", PRESENCE % "bob") as bob:
                assert present(bob, "p")[-1:] == ["bob"]  # then the other worker answers
                deadline = time.monotonic() + 5
                seen = []
                while seen != ["ann", "bob"]:
                    assert time.monotonic() < deadline, seen
                    seen = present(bob, "p")
                assert present(ann, "p") == ["ann", "bob"]
            assert present(ann, "p") == ["ann"]


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, Callable[[], None], Callable[[], None]]]:
    """A Redis server of this test's own on a free port: (url, stop, start again)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("redis-server is not installed (CI=true: Redis tests must run)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        process.append(
            subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp_path),
                ],
                stdout=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 10
        import redis

        while True:
            try:
                redis.Redis(port=port, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop() -> None:
        running = process.pop()
        running.terminate()
        running.wait(timeout=10)

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", stop, start
    finally:
        while process:
            stop()


def test_a_redis_restart_loses_no_update(
    tmp_path: Path, own_redis: tuple[str, Callable[[], None], Callable[[], None]]
) -> None:
    url, stop_redis, start_redis = own_redis
    with workers(tmp_path, url) as (one, two), subscribe(one, "c", CHAT) as ws:
        assert chat(ws) == []
        post(two, "ann", "before")
        assert chat(ws) == ["ann: before"]
        stop_redis()
        post(two, "ann", "while Redis was away")
        start_redis()
        # The worker reconnects by itself and re-reads: the write made meanwhile shows.
        assert chat(ws, timeout=15) == ["ann: before", "ann: while Redis was away"]
        post(two, "ann", "after")
        assert chat(ws)[-1] == "ann: after"
    assert "reconnected to Redis" in (tmp_path / "worker0" / "server.log").read_text()
