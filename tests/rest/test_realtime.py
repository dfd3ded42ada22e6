"""REST writes go through the write service: they publish change events, and a GraphQL
live subscription on a real server sees them."""

from __future__ import annotations

import json

import httpx

from omega_gql.events import ChangeEvent
from omega_gql.testing import OmegaClient
from tests.conftest import make_app
from tests.realtime.test_sharing import serve_in_thread


def test_rest_writes_publish_one_change_event_each(api: OmegaClient) -> None:
    seen: list[ChangeEvent] = []
    api.app.on_change(seen.append)  # type: ignore[attr-defined]
    api.post("/api/users/", json=[{"user_name": "ann"}, {"user_name": "bob"}])
    api.patch("/api/users/1", json={"user_name": "anne"})
    api.delete("/api/users/2")
    api.post("/api/users/", json={"name": "refused"})
    assert [(e.table, e.op, e.pks) for e in seen] == [
        ("user", "insert", ((1,), (2,))),
        ("user", "update", ((1,),)),
        ("user", "delete", ((2,),)),
    ]


def test_a_live_subscription_sees_a_rest_write(db_url: str) -> None:
    from websockets.sync.client import connect

    app = make_app(db_url)
    with serve_in_thread(app) as address:
        base = f"http://{address}"
        httpx.post(f"{base}/api/users/", json={"user_name": "ann"}, timeout=10)
        with connect(
            f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=5
        ) as ws:
            ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
            query = "subscription { twoot(orderBy: {id: ASC}) { content user { userName } } }"
            ws.send(json.dumps({"type": "subscribe", "id": "1", "payload": {"query": query}}))
            assert json.loads(ws.recv(timeout=5))["payload"]["data"]["twoot"] == []
            created = httpx.post(
                f"{base}/api/twoots/", data={"content": "over REST", "user_id": "1"}, timeout=10
            )
            assert created.status_code == 201
            pushed = json.loads(ws.recv(timeout=5))["payload"]["data"]["twoot"]
            assert pushed == [{"content": "over REST", "user": {"userName": "ann"}}]
