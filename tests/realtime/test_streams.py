"""Streams: the rows after a cursor in batches, then new rows as they commit: in order,
none lost, none repeated, under concurrent writers and, on PostgreSQL, when transactions
commit out of key order."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from websockets.sync.client import ClientConnection, connect

from omega_gql import OmegaApp
from tests.conftest import make_app
from tests.realtime.test_graphql_ws import nothing_more, receive, send
from tests.realtime.test_sharing import eventually, serve_in_thread

STREAM = {
    "graphql-default": (
        "subscription($size: Int!, $after: Int!, $order: CursorOrdering) {"
        " twootStream(batchSize: $size, cursor: [{initialValue: {id: $after}, ordering: $order}])"
        " { id content } }"
    ),
    "hasura-default": (
        "subscription($size: Int!, $after: Int!, $order: cursor_ordering) {"
        " twoot_stream(batch_size: $size,"
        " cursor: [{initial_value: {id: $after}, ordering: $order}]) { id content } }"
    ),
}
FIELD = {"graphql-default": "twootStream", "hasura-default": "twoot_stream"}


@pytest.fixture(params=["graphql-default", "hasura-default"])
def naming(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def served(db_url: str, naming: str) -> Iterator[tuple[OmegaApp, str]]:
    app = make_app(db_url, naming)
    with serve_in_thread(app) as address:
        yield app, address


def insert(app: OmegaApp, address: str, *contents: str) -> list[int]:
    """Twoots by one user, through the API; their ids."""
    camel = app.settings.naming == "graphql-default"
    rows = ", ".join(f'{{content: "{c}", {"userId" if camel else "user_id"}: 1}}' for c in contents)
    name = "insertTwoot" if camel else "insert_twoot"
    body = graphql(address, f"mutation {{ {name}(objects: [{rows}]) {{ returning {{ id }} }} }}")
    return [row["id"] for row in body["data"][name]["returning"]]


def graphql(address: str, query: str) -> dict[str, Any]:
    body = httpx.post(f"http://{address}/graphql", json={"query": query}, timeout=20).json()
    assert "errors" not in body, body
    return body  # type: ignore[no-any-return]


def with_user(app: OmegaApp, address: str) -> None:
    name = "insertUserOne" if app.settings.naming == "graphql-default" else "insert_user_one"
    column = "userName" if app.settings.naming == "graphql-default" else "user_name"
    graphql(address, f'mutation {{ {name}(object: {{{column}: "writer"}}) {{ id }} }}')


def stream(
    app: OmegaApp, address: str, after: int, size: int = 2, order: str = "ASC"
) -> ClientConnection:
    ws = connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=5)
    send(ws, {"type": "connection_init"})
    assert receive(ws) == {"type": "connection_ack"}
    naming = app.settings.naming
    order_value = order if naming == "graphql-default" else order.lower()
    variables = {"size": size, "after": after, "order": order_value}
    send(
        ws,
        {
            "type": "subscribe",
            "id": "s",
            "payload": {"query": STREAM[naming], "variables": variables},
        },
    )
    return ws


def batch(app: OmegaApp, ws: ClientConnection, timeout: float = 5) -> list[int]:
    message = receive(ws, timeout)
    assert message["type"] == "next", message
    return [row["id"] for row in message["payload"]["data"][FIELD[app.settings.naming]]]


def collect(app: OmegaApp, ws: ClientConnection, count: int, timeout: float = 30) -> list[int]:
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while len(seen) < count:
        seen += batch(app, ws, max(0.1, deadline - time.monotonic()))
    return seen


def test_a_stream_sends_the_rows_after_its_cursor_in_batches_then_new_ones(
    served: tuple[OmegaApp, str],
) -> None:
    app, address = served
    with_user(app, address)
    ids = insert(app, address, "a", "b", "c", "d", "e")
    with stream(app, address, after=ids[0], size=2) as ws:
        assert batch(app, ws) == ids[1:3]
        assert batch(app, ws) == ids[3:5]
        nothing_more(ws, 0.3)  # no empty batches
        [new] = insert(app, address, "f")
        assert batch(app, ws) == [new]


def test_a_descending_stream_goes_down_from_its_cursor(served: tuple[OmegaApp, str]) -> None:
    app, address = served
    with_user(app, address)
    ids = insert(app, address, "a", "b", "c", "d")
    with stream(app, address, after=ids[3], size=10, order="DESC") as ws:
        assert batch(app, ws) == [ids[2], ids[1], ids[0]]


def test_a_reconnecting_client_with_its_last_cursor_misses_nothing(
    served: tuple[OmegaApp, str],
) -> None:
    app, address = served
    with_user(app, address)
    first = insert(app, address, "a", "b")
    with stream(app, address, after=0, size=10) as ws:
        assert batch(app, ws) == first
    eventually(lambda: app.live.stats()["streams"] == 0)
    while_away = insert(app, address, "c", "d", "e")
    with stream(app, address, after=first[-1], size=10) as ws:
        assert batch(app, ws) == while_away


def test_no_row_is_lost_or_repeated_under_200_concurrent_writers(
    served: tuple[OmegaApp, str],
) -> None:
    app, address = served
    with_user(app, address)
    camel = app.settings.naming == "graphql-default"
    name = "insertTwootOne" if camel else "insert_twoot_one"
    user = "userId" if camel else "user_id"

    async def write_all() -> list[int]:
        limits = httpx.Limits(max_connections=200)
        async with httpx.AsyncClient(limits=limits, timeout=60) as client:

            async def one(n: int) -> int:
                query = f'mutation {{ {name}(object: {{content: "w{n}", {user}: 1}}) {{ id }} }}'
                response = await client.post(f"http://{address}/graphql", json={"query": query})
                return int(response.json()["data"][name]["id"])

            return list(await asyncio.gather(*(one(n) for n in range(200))))

    with stream(app, address, after=0, size=7) as ws:
        written = asyncio.run(asyncio.wait_for(write_all(), 60))
        seen = collect(app, ws, 200)
        nothing_more(ws, 0.3)
    assert seen == sorted(written)
    assert len(set(seen)) == 200


@pytest.fixture
def pg_url(pg_database: str) -> str:
    engine = sa.create_engine(pg_database)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return pg_database


def test_on_postgresql_a_row_committed_late_with_an_earlier_key_is_not_skipped(
    pg_url: str, naming: str
) -> None:
    # (SQLite commits one write at a time, in key order: nothing to hold back there.)
    db_url = pg_url
    app = make_app(db_url, naming)
    with serve_in_thread(app) as address:
        with_user(app, address)
        engine = sa.create_engine(db_url)
        try:
            with stream(app, address, after=0, size=10) as ws, engine.connect() as early:
                # The first transaction takes a key and stays open...
                transaction = early.begin()
                [early_id] = early.execute(
                    sa.text("INSERT INTO twoot (content, user_id) VALUES ('early', 1) RETURNING id")
                ).scalars()
                # ...while a second one takes the next key and commits first.
                [late_id] = insert(app, address, "late")
                assert late_id > early_id
                nothing_more(ws, 0.5)  # held back: an earlier key may still commit
                transaction.commit()
                assert collect(app, ws, 2, timeout=10) == [early_id, late_id]
        finally:
            engine.dispose()


def test_a_closed_stream_leaves_nothing_behind(served: tuple[OmegaApp, str]) -> None:
    app, address = served
    for _ in range(3):
        with stream(app, address, after=0) as ws:
            eventually(lambda: app.live.stats()["streams"] == 1)
            send(ws, {"type": "complete", "id": "s"})
            eventually(lambda: app.live.stats()["streams"] == 0)
        with stream(app, address, after=0):
            eventually(lambda: app.live.stats()["streams"] == 1)
        eventually(lambda: app.live.stats()["streams"] == 0)


@pytest.mark.parametrize(
    ("cursor", "message"),
    [
        ("[{initialValue: {id: 1}}, {initialValue: {id: 2}}]", "exactly one cursor"),
        ("[{initialValue: {}}]", "exactly one column"),
        ('[{initialValue: {id: 1, content: "a"}}]', "exactly one column"),
    ],
)
def test_a_stream_needs_exactly_one_cursor_column(
    tmp_path: Path, cursor: str, message: str
) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'args.db'}")
    with (
        serve_in_thread(app) as address,
        connect(
            f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=5
        ) as ws,
    ):
        send(ws, {"type": "connection_init"})
        receive(ws)
        query = f"subscription {{ twootStream(batchSize: 1, cursor: {cursor}) {{ id }} }}"
        send(ws, {"type": "subscribe", "id": "1", "payload": {"query": query}})
        error = receive(ws)
        assert error["type"] == "error"
        assert message in json.dumps(error["payload"])
