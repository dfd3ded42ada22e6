"""Identical subscriptions share one execution; distinct ones do not; a closed socket
leaves nothing behind. A real server in this process, so the hub can be inspected."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.sync.client import ClientConnection, connect

from omega_gql import OmegaApp
from tests.conftest import make_app
from tests.e2e.test_server import free_port

QUERY = "subscription($n: Int!) { twoot(limit: $n, orderBy: {id: ASC}) { id content } }"


@contextmanager
def serve_in_thread(app: OmegaApp) -> Iterator[str]:
    """``app`` under uvicorn on a free loopback port, in a thread of this process (so that
    its hub can be inspected); yields ``host:port``."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        assert thread.is_alive(), "the server stopped while starting"
        time.sleep(0.05)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[OmegaApp, str]]:
    app = make_app(db_url)
    with serve_in_thread(app) as address:
        yield app, address


def subscribed(address: str, n: int, op_id: str = "1") -> ClientConnection:
    ws = connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=5)
    ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
    payload = {"query": QUERY, "variables": {"n": n}}
    ws.send(json.dumps({"type": "subscribe", "id": op_id, "payload": payload}))
    return ws


def rows(ws: ClientConnection) -> list[dict[str, Any]]:
    message = json.loads(ws.recv(timeout=5))
    assert message["type"] == "next", message
    return message["payload"]["data"]["twoot"]  # type: ignore[no-any-return]


def insert(address: str, content: str) -> None:
    mutation = (
        f'mutation {{ insertTwootOne(object: {{content: "{content}", user: {{data: {{userName:'
        f' "{content}"}}}}}}) {{ id }} }}'
    )
    body = httpx.post(f"http://{address}/graphql", json={"query": mutation}, timeout=10).json()
    assert "errors" not in body, body


def eventually(check: Any, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.02)


def test_identical_subscriptions_share_one_execution(served: tuple[OmegaApp, str]) -> None:
    app, address = served
    with subscribed(address, 10) as a, subscribed(address, 10) as b:
        assert rows(a) == rows(b) == []
        assert app.live.stats() == {"lives": 1, "sinks": 2, "tables": 1, "streams": 0}
        [live] = app.live.lives.values()
        before = live.runs
        insert(address, "shared")
        assert rows(a) == rows(b) == [{"id": 1, "content": "shared"}]
        assert live.runs == before + 1


def test_distinct_variables_make_distinct_executions(served: tuple[OmegaApp, str]) -> None:
    app, address = served
    insert(address, "one")
    insert(address, "two")
    with subscribed(address, 1) as a, subscribed(address, 2) as b:
        assert len(rows(a)) == 1 and len(rows(b)) == 2
        assert app.live.stats()["lives"] == 2


def test_closed_sockets_leave_nothing_behind(served: tuple[OmegaApp, str]) -> None:
    app, address = served
    sockets = [subscribed(address, 5, op_id) for op_id in ("x", "y", "z")]
    for ws in sockets:
        rows(ws)
    assert app.live.stats()["sinks"] == 3
    for ws in sockets:
        ws.close()
    eventually(lambda: app.live.stats() == {"lives": 0, "sinks": 0, "tables": 0, "streams": 0})
    eventually(lambda: not app.sockets.open)
    # A completed subscription leaves nothing either, on a socket that stays open.
    with subscribed(address, 5) as ws:
        rows(ws)
        ws.send(json.dumps({"type": "complete", "id": "1"}))
        eventually(lambda: app.live.stats()["lives"] == 0)


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
def test_the_gql_client_follows_a_live_query(served: tuple[OmegaApp, str], protocol: str) -> None:
    import asyncio
    import contextlib

    from gql import Client, gql
    from gql.transport.websockets import WebsocketsTransport

    _, address = served

    async def follow() -> list[list[dict[str, Any]]]:
        transport = WebsocketsTransport(
            url=f"ws://{address}/graphql",
            subprotocols=[protocol],
        )
        seen: list[list[dict[str, Any]]] = []
        async with Client(transport=transport) as session:
            request = gql(QUERY)
            request.variable_values = {"n": 5}
            # Closed on leaving, so that the client completes the subscription.
            async with contextlib.aclosing(session.subscribe(request)) as results:
                async for result in results:
                    seen.append(result["twoot"])
                    if len(seen) == 1:
                        await asyncio.to_thread(insert, address, "via gql")
                    else:
                        break
        return seen

    seen = asyncio.run(asyncio.wait_for(follow(), 20))
    assert seen == [[], [{"id": 1, "content": "via gql"}]]
