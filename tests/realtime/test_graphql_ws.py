"""Subscriptions over WebSocket with the graphql-transport-ws protocol, against a real
server: the protocol's rules and close codes, live queries that follow committed writes
from any path, and queries and mutations over the socket."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.e2e.test_server import OMEGA_RUN, serving

PROTOCOL = ["graphql-transport-ws"]
TWOOTS = "subscription { twoot(orderBy: {id: ASC}) { id content } }"


def socket(server: str) -> ClientConnection:
    return connect(
        server.replace("http://", "ws://") + "/graphql", subprotocols=PROTOCOL, open_timeout=5
    )


def send(ws: ClientConnection, message: dict[str, Any]) -> None:
    ws.send(json.dumps(message))


def receive(ws: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))  # type: ignore[no-any-return]


def nothing_more(ws: ClientConnection, wait: float = 0.7) -> None:
    with pytest.raises(TimeoutError):
        ws.recv(timeout=wait)


def acknowledged(server: str) -> ClientConnection:
    ws = socket(server)
    send(ws, {"type": "connection_init"})
    assert receive(ws) == {"type": "connection_ack"}
    return ws


def closed_with(ws: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        for _ in range(10):
            ws.recv(timeout=5)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


def graphql(server: str, query: str) -> dict[str, Any]:
    return httpx.post(f"{server}/graphql", json={"query": query}, timeout=10).json()  # type: ignore[no-any-return]


def test_the_socket_speaks_graphql_transport_ws(server: str) -> None:
    with socket(server) as ws:
        assert ws.subprotocol == "graphql-transport-ws"
        send(ws, {"type": "connection_init", "payload": {}})
        assert receive(ws) == {"type": "connection_ack"}
        send(ws, {"type": "ping", "payload": {"n": 1}})
        assert receive(ws) == {"type": "pong", "payload": {"n": 1}}
        send(ws, {"type": "pong"})
        send(ws, {"type": "complete", "id": "never-started"})  # ignored
        send(ws, {"type": "ping"})
        assert receive(ws) == {"type": "pong"}


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([], 4408),
        ([{"type": "subscribe", "id": "1", "payload": {"query": TWOOTS}}], 4401),
        ([{"type": "connection_init"}, {"type": "connection_init"}], 4429),
        ([{"type": "connection_init"}, "not json"], 4400),
        ([{"type": "connection_init"}, {"no": "type"}], 4400),
        ([{"type": "connection_init"}, {"type": "shout"}], 4400),
        ([{"type": "connection_init"}, {"type": "subscribe", "id": "1"}], 4400),
        (
            [
                {"type": "connection_init"},
                {"type": "subscribe", "id": "1", "payload": {"query": TWOOTS}},
                {"type": "subscribe", "id": "1", "payload": {"query": TWOOTS}},
            ],
            4409,
        ),
    ],
    ids=[
        "no-init",
        "subscribe-before-ack",
        "second-init",
        "not-json",
        "no-type",
        "unknown-type",
        "no-payload",
        "duplicate-id",
    ],
)
def test_protocol_violations_close_with_their_codes(
    server: str, messages: list[Any], code: int
) -> None:
    with socket(server) as ws:
        for message in messages:
            ws.send(message if isinstance(message, str) else json.dumps(message))
        assert closed_with(ws) == code


def test_a_socket_without_the_protocol_is_refused(server: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - the handshake fails, however it is reported
        connect(server.replace("http://", "ws://") + "/graphql", open_timeout=5).recv(timeout=5)


def test_a_live_query_sends_its_result_then_each_change(server: str) -> None:
    with acknowledged(server) as ws:
        query = 'subscription { twoot(where: {content: {_like: "live%"}}) { content user { userName } } }'
        send(ws, {"type": "subscribe", "id": "a", "payload": {"query": query}})
        assert receive(ws) == {"id": "a", "type": "next", "payload": {"data": {"twoot": []}}}
        # Through GraphQL over HTTP.
        graphql(
            server,
            'mutation { insertTwootOne(object: {content: "live one",'
            ' user: {data: {userName: "wsann"}, onConflict: {constraint: user_user_name_key,'
            " updateColumns: [userName]}}}) { id } }",
        )
        rows = receive(ws)["payload"]["data"]["twoot"]
        assert rows == [{"content": "live one", "user": {"userName": "wsann"}}]
        # Through app code (the example's POST /chat uses app.insert).
        response = httpx.post(f"{server}/chat", data={"user": "wsbob", "message": "live two"})
        assert response.status_code == 201
        rows = receive(ws)["payload"]["data"]["twoot"]
        assert [r["content"] for r in rows] == ["live one", "live two"]
        # A write that leaves the result as it was sends nothing.
        graphql(server, 'mutation { insertTwootOne(object: {content: "other", userId: 1}) { id } }')
        nothing_more(ws)
        # Nor does a write that rolls back.
        body = graphql(
            server,
            'mutation { a: insertTwootOne(object: {content: "live never", userId: 1}) { id }'
            ' b: insertTwootOne(object: {content: "live never", userId: 999999}) { id } }',
        )
        assert body["data"] is None
        nothing_more(ws)
        send(ws, {"type": "complete", "id": "a"})
        graphql(
            server, 'mutation { insertTwootOne(object: {content: "live three", userId: 1}) { id } }'
        )
        nothing_more(ws)


def test_queries_and_mutations_run_once_over_the_socket(server: str) -> None:
    with acknowledged(server) as ws:
        send(
            ws,
            {
                "type": "subscribe",
                "id": "q",
                "payload": {"query": "{ userAggregate { aggregate { count } } }"},
            },
        )
        message = receive(ws)
        assert message["id"] == "q" and message["type"] == "next"
        assert "count" in message["payload"]["data"]["userAggregate"]["aggregate"]
        assert receive(ws) == {"id": "q", "type": "complete"}
        mutation = "mutation($n: String!) { insertUserOne(object: {userName: $n}) { userName } }"
        send(
            ws,
            {
                "type": "subscribe",
                "id": "m",
                "payload": {"query": mutation, "variables": {"n": "wscy"}},
            },
        )
        assert receive(ws) == {
            "id": "m",
            "type": "next",
            "payload": {"data": {"insertUserOne": {"userName": "wscy"}}},
        }
        assert receive(ws) == {"id": "m", "type": "complete"}


def test_an_invalid_operation_answers_an_error_message(server: str) -> None:
    with acknowledged(server) as ws:
        send(ws, {"type": "subscribe", "id": "e", "payload": {"query": "subscription { nope }"}})
        message = receive(ws)
        assert message["id"] == "e" and message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "validation-failed"
        # The socket goes on.
        send(ws, {"type": "ping"})
        assert receive(ws) == {"type": "pong"}


def test_a_socket_runs_at_most_max_subscriptions(server: str) -> None:
    with acknowledged(server) as ws:
        for op_id in "123":
            send(ws, {"type": "subscribe", "id": op_id, "payload": {"query": TWOOTS}})
            assert receive(ws)["type"] == "next"
        send(ws, {"type": "subscribe", "id": "4", "payload": {"query": TWOOTS}})
        message = receive(ws)
        assert message["id"] == "4" and message["type"] == "error"
        assert message["payload"][0]["extensions"]["limit"] == "max_subscriptions"


def test_a_message_larger_than_the_body_limit_closes_the_socket(tmp_path: Path) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMEGA_MAX_BODY_SIZE", "1000")
        with serving(OMEGA_RUN, tmp_path) as base, acknowledged(base) as ws:
            query = "{ twoot { id } }" + " " * 2000
            send(ws, {"type": "subscribe", "id": "big", "payload": {"query": query}})
            assert closed_with(ws) == 4400
