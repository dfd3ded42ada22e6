"""The legacy ``graphql-ws`` protocol (subscriptions-transport-ws) against a real server:
acknowledgement and keep-alives, start/data/error/complete/stop, connection_terminate, and
nothing run before ``connection_init``."""

from __future__ import annotations

from typing import Any

from websockets.sync.client import ClientConnection, connect

from tests.realtime.test_graphql_ws import closed_with, graphql, nothing_more, receive, send

TWOOTS = "subscription { twoot(orderBy: {id: ASC}) { id content } }"


def legacy(server: str) -> ClientConnection:
    ws = connect(
        server.replace("http://", "ws://") + "/graphql", subprotocols=["graphql-ws"], open_timeout=5
    )
    assert ws.subprotocol == "graphql-ws"
    return ws


def initialised(server: str) -> ClientConnection:
    ws = legacy(server)
    send(ws, {"type": "connection_init", "payload": {}})
    assert receive(ws) == {"type": "connection_ack"}
    assert receive(ws) == {"type": "ka"}
    return ws


def start(ws: ClientConnection, op_id: str, query: str, **variables: Any) -> None:
    payload = {"query": query, "variables": variables}
    send(ws, {"type": "start", "id": op_id, "payload": payload})


def test_a_start_before_connection_init_is_refused_and_runs_nothing(server: str) -> None:
    before = graphql(server, "{ twootAggregate { aggregate { count } } }")
    with legacy(server) as ws:
        mutation = 'mutation { insertUserOne(object: {userName: "early"}) { id } }'
        start(ws, "1", mutation)
        refused = receive(ws)
        assert refused["type"] == "error" and refused["id"] == "1"
        assert "connection_init" in refused["payload"]["message"]
        assert closed_with(ws) == 4401
    assert graphql(server, '{ user(where: {userName: {_eq: "early"}}) { id } }') == {
        "data": {"user": []}
    }
    assert graphql(server, "{ twootAggregate { aggregate { count } } }") == before


def test_a_live_query_sends_data_until_stopped(server: str) -> None:
    with initialised(server) as ws:
        start(ws, "live", 'subscription { user(where: {userName: {_like: "leg%"}}) { userName } }')
        assert receive(ws) == {"id": "live", "type": "data", "payload": {"data": {"user": []}}}
        graphql(server, 'mutation { insertUserOne(object: {userName: "legacy1"}) { id } }')
        assert receive(ws) == {
            "id": "live",
            "type": "data",
            "payload": {"data": {"user": [{"userName": "legacy1"}]}},
        }
        send(ws, {"type": "stop", "id": "live"})
        assert receive(ws) == {"id": "live", "type": "complete"}
        graphql(server, 'mutation { insertUserOne(object: {userName: "legacy2"}) { id } }')
        nothing_more(ws)


def test_a_query_sends_data_then_complete(server: str) -> None:
    with initialised(server) as ws:
        start(ws, "q", "query { __typename }")
        assert receive(ws) == {
            "id": "q",
            "type": "data",
            "payload": {"data": {"__typename": "query_root"}},
        }
        assert receive(ws) == {"id": "q", "type": "complete"}


def test_an_invalid_operation_answers_one_error_and_the_socket_stays(server: str) -> None:
    with initialised(server) as ws:
        start(ws, "bad", "subscription { nope }")
        error = receive(ws)
        assert error["type"] == "error" and error["id"] == "bad"
        assert "nope" in error["payload"]["message"]
        ws.send("not json")
        assert receive(ws) == {
            "type": "connection_error",
            "payload": {"message": "Invalid message received: not JSON"},
        }
        send(ws, {"type": "what", "id": "x"})
        unknown = receive(ws)
        assert unknown["type"] == "error" and "unknown type" in unknown["payload"]["message"]
        start(ws, "ok", "{ __typename }")
        assert receive(ws)["type"] == "data"


def test_a_second_connection_init_closes_with_4429(server: str) -> None:
    with initialised(server) as ws:
        send(ws, {"type": "connection_init"})
        assert closed_with(ws) == 4429


def test_connection_terminate_closes_the_socket(server: str) -> None:
    with initialised(server) as ws:
        start(ws, "live", TWOOTS)
        assert receive(ws)["type"] == "data"
        send(ws, {"type": "connection_terminate"})
        assert closed_with(ws) == 1000


def test_a_start_with_a_running_id_replaces_that_operation(server: str) -> None:
    with initialised(server) as ws:
        start(ws, "1", 'subscription { user(limit: 1, where: {userName: {_eq: "zz"}}) { id } }')
        assert receive(ws)["payload"] == {"data": {"user": []}}
        start(ws, "1", "{ __typename }")
        assert receive(ws)["payload"] == {"data": {"__typename": "query_root"}}
        assert receive(ws) == {"id": "1", "type": "complete"}
        graphql(server, 'mutation { insertUserOne(object: {userName: "zz"}) { id } }')
        nothing_more(ws)
