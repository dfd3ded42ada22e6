"""A page of another site cannot make this machine's browser write: cross-site GraphQL
POSTs, REST writes and WebSocket handshakes are refused; same-site and header-less clients
(curl, scripts) are served."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from omega_gql.testing import OmegaClient
from tests.conftest import make_app
from tests.realtime.test_sharing import serve_in_thread

MUTATION = 'mutation { insertUserOne(object: {userName: "mallory"}) { id } }'
ELSEWHERE = [{"origin": "http://elsewhere.example"}, {"sec-fetch-site": "cross-site"}]


@pytest.mark.parametrize("headers", ELSEWHERE)
def test_a_cross_site_graphql_post_is_refused_and_runs_nothing(
    client: OmegaClient, headers: dict[str, str]
) -> None:
    # A form on another site can send this as text/plain, with no preflight.
    response = client.post(
        "/graphql",
        content=json.dumps({"query": MUTATION}),
        headers={**headers, "content-type": "text/plain"},
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "permission-denied"
    assert client.graphql("{ user { userName } }") == {"user": []}


def test_same_site_and_header_less_graphql_posts_are_served(client: OmegaClient) -> None:
    same = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    assert client.post("/graphql", json={"query": MUTATION}, headers=same).status_code == 200
    assert client.post("/graphql", json={"query": "{ user { id } }"}).status_code == 200


def test_a_cross_site_websocket_handshake_is_refused(db_url: str) -> None:
    app = make_app(db_url)
    with serve_in_thread(app) as address:
        url = f"ws://{address}/graphql"
        with pytest.raises(InvalidStatus):
            connect(url, subprotocols=["graphql-transport-ws"], open_timeout=5,  # type: ignore[list-item]
                    origin="http://elsewhere.example")  # type: ignore[arg-type]  # fmt: skip
        with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=5,  # type: ignore[list-item]
                     origin=f"http://{address}") as ws:  # type: ignore[arg-type]  # fmt: skip
            ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(ws.recv(timeout=5))["type"] == "connection_ack"
