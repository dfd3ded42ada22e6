"""Identical subscriptions share one execution; distinct ones do not; a closed socket
leaves nothing behind. A real server in this process, so the hub can be inspected."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
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


#: The event loop each app served in a thread runs on, to count its tasks.
LOOPS: dict[int, asyncio.AbstractEventLoop] = {}


def tasks_of(app: OmegaApp) -> int:
    """How many tasks the app's event loop holds (counted on that loop)."""
    loop = LOOPS[id(app)]

    async def count() -> int:
        return len(asyncio.all_tasks())

    return asyncio.run_coroutine_threadsafe(count(), loop).result(timeout=5)


@contextmanager
def serve_in_thread(app: OmegaApp, **options: Any) -> Iterator[str]:
    """``app`` under uvicorn (with these config options) on a free loopback port, in a
    thread of this process (so that its hub can be inspected); yields ``host:port``."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        assert thread.is_alive(), "the server stopped while starting"
        time.sleep(0.05)
    LOOPS[id(app)] = server.servers[0].get_loop()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        LOOPS.pop(id(app), None)
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


@pytest.mark.parametrize("deflate", [False, True], ids=["direct", "per-message-deflate"])
def test_results_of_every_frame_length_arrive_whole(db_url: str, deflate: bool) -> None:
    # Without an extension, results are framed here and written past the server's send;
    # with per-message deflate, the server frames them. 100, 300 and 70,000 bytes of
    # content take a WebSocket frame's one-, two- and eight-byte length forms.
    app = make_app(db_url)
    with serve_in_thread(app, ws_per_message_deflate=deflate) as address:
        with subscribed(address, 10) as ws:
            assert rows(ws) == []
            [connection] = app.sockets.open
            assert (connection._direct is not None) is not deflate
            written = []
            for size in (100, 300, 70_000):
                content = "é" * (size // 2)
                written.append(content)
                mutation = (
                    "mutation($c: String!) { insertTwootOne(object: {content: $c,"
                    ' user: {data: {userName: "sizes"}, onConflict: {constraint: user_user_name_key,'
                    " updateColumns: []}}}) { id } }"
                )
                reply = httpx.post(
                    f"http://{address}/graphql",
                    json={"query": mutation, "variables": {"c": content}},
                    timeout=10,
                ).json()
                assert "errors" not in reply, reply
                assert [row["content"] for row in rows(ws)] == written


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


def test_a_slow_consumer_does_not_delay_the_others_and_is_closed_when_stuck(
    served: tuple[OmegaApp, str], caplog: pytest.LogCaptureFixture
) -> None:
    app, address = served
    app.sockets.send_timeout = 1.0
    big = "subscription { twoot(orderBy: {id: ASC}) { id content } }"
    count = "subscription { twootAggregate { aggregate { count } } }"
    # A client that stops reading after subscribing: a raw socket with a small buffer.
    slow = stuck_client(address, [{"type": "connection_init"}, subscribe_message("big", big)])
    with connect(
        f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=5
    ) as fast:
        fast.send(json.dumps({"type": "connection_init"}))
        assert json.loads(fast.recv(timeout=5))["type"] == "connection_ack"
        fast.send(json.dumps({"type": "subscribe", "id": "n", "payload": {"query": count}}))
        assert json.loads(fast.recv(timeout=5))["payload"]["data"]["twootAggregate"] == {
            "aggregate": {"count": 0}
        }
        for n in range(1, 21):
            insert(address, f"big{n}" + "x" * 200_000)
            message = json.loads(fast.recv(timeout=5))
            assert message["payload"]["data"]["twootAggregate"] == {"aggregate": {"count": n}}
            # The slow socket holds at most the newest undelivered result.
            for connection in list(app.sockets.open):
                assert len(connection._latest) <= 1
        # Stuck for longer than the send timeout: closed, with a log line.
        eventually(lambda: len(app.sockets.open) == 1, timeout=15)
    assert any("closing a WebSocket" in r.getMessage() for r in caplog.records)
    slow.close()


def subscribe_message(op_id: str, query: str) -> dict[str, Any]:
    return {"type": "subscribe", "id": op_id, "payload": {"query": query}}


def stuck_client(address: str, messages: list[dict[str, Any]]) -> socket.socket:
    """A WebSocket client that sends ``messages`` and then never reads again."""
    host, port = address.split(":")
    raw = socket.create_connection((host, int(port)), timeout=5)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    raw.sendall(
        (
            f"GET /graphql HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        ).encode()
    )
    response = b""
    while b"\r\n\r\n" not in response:
        response += raw.recv(1024)
    assert response.startswith(b"HTTP/1.1 101"), response
    for message in messages:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        assert len(payload) < 126
        header = bytes([0x81, 0x80 | len(payload)]) + mask
        raw.sendall(header + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
    return raw


def test_closed_sockets_leave_no_task_subscription_or_listener(
    served: tuple[OmegaApp, str],
) -> None:
    app, address = served
    baseline = tasks_of(app)
    stream = "subscription { twootStream(batchSize: 5, cursor: [{initialValue: {id: 0}}]) { id } }"
    for round_ in range(3):
        sockets = [subscribed(address, 5, "live")]
        second = connect(
            f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=5
        )
        second.send(json.dumps({"type": "connection_init"}))
        assert json.loads(second.recv(timeout=5))["type"] == "connection_ack"
        second.send(json.dumps(subscribe_message("s", stream)))
        sockets.append(second)
        eventually(lambda: app.live.stats()["streams"] == 1 and app.live.stats()["lives"] == 1)
        assert tasks_of(app) > baseline
        insert(address, f"round {round_}")
        for ws in sockets:
            ws.close()
        eventually(lambda: app.live.stats() == {"lives": 0, "sinks": 0, "tables": 0, "streams": 0})
        eventually(lambda: not app.sockets.open)
        eventually(lambda: tasks_of(app) <= baseline)
