"""Custom channels: ``app.publish`` feeding an app-written subscription field, the
example's presence, and listeners freed when their socket closes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path

import pytest
import strawberry
from websockets.sync.client import ClientConnection, connect

from examples.twooter.models import Twoot, User
from omega_gql import Context, OmegaApp, create_app
from omega_gql.errors import ConfigurationError
from tests.e2e.test_server import OMEGA_RUN, serving
from tests.realtime.test_graphql_ws import nothing_more, receive, send
from tests.realtime.test_sharing import eventually, serve_in_thread


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def news(
        self, info: strawberry.Info[Context, None], topic: str
    ) -> AsyncGenerator[str, None]:
        async with info.context.app.listen(f"news.{topic}") as payloads:
            async for payload in payloads:
                yield payload["text"]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def say(self, info: strawberry.Info[Context, None], topic: str, text: str) -> bool:
        await info.context.app.publish(f"news.{topic}", {"text": text})
        return True


@pytest.fixture
def news(tmp_path: Path) -> Iterator[tuple[OmegaApp, str]]:
    app = create_app(
        models=[User, Twoot],
        database_url=f"sqlite:///{tmp_path / 'news.db'}",
        subscription=Subscription,
        mutation=Mutation,
    )
    with serve_in_thread(app) as address:
        yield app, address


def subscribe(address: str, op_id: str, query: str) -> ClientConnection:
    ws = connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=5)
    send(ws, {"type": "connection_init"})
    assert receive(ws) == {"type": "connection_ack"}
    send(ws, {"type": "subscribe", "id": op_id, "payload": {"query": query}})
    return ws


def say(ws: ClientConnection, topic: str, text: str) -> None:
    mutation = f'mutation {{ say(topic: "{topic}", text: "{text}") }}'
    send(ws, {"type": "subscribe", "id": f"say-{text}", "payload": {"query": mutation}})
    assert receive(ws)["payload"] == {"data": {"say": True}}
    assert receive(ws) == {"id": f"say-{text}", "type": "complete"}


def test_published_payloads_reach_the_channels_subscribers_in_order(
    news: tuple[OmegaApp, str],
) -> None:
    app, address = news
    with (
        subscribe(address, "a", 'subscription { news(topic: "py") }') as a,
        subscribe(address, "b", 'subscription { news(topic: "py") }') as b,
        subscribe(address, "other", 'subscription { news(topic: "js") }') as other,
    ):
        eventually(lambda: app.broadcast.stats()["listeners"] == 3)
        with subscribe(address, "s", 'subscription { news(topic: "none") }') as writer:
            for text in ("one", "two", "three"):
                say(writer, "py", text)
        for ws, op_id in ((a, "a"), (b, "b")):
            got = [receive(ws) for _ in range(3)]
            assert got == [
                {"id": op_id, "type": "next", "payload": {"data": {"news": text}}}
                for text in ("one", "two", "three")
            ]
        nothing_more(other)


def test_a_closed_socket_or_completed_subscription_leaves_no_listener(
    news: tuple[OmegaApp, str],
) -> None:
    app, address = news
    before = app.broadcast.stats()
    with subscribe(address, "a", 'subscription { news(topic: "py") }') as a:
        eventually(lambda: app.broadcast.stats()["listeners"] == before["listeners"] + 1)
        send(a, {"type": "complete", "id": "a"})
        eventually(lambda: app.broadcast.stats() == before)
    for _ in range(5):
        with subscribe(address, "a", 'subscription { news(topic: "py") }'):
            eventually(lambda: app.broadcast.stats()["listeners"] == before["listeners"] + 1)
    eventually(lambda: app.broadcast.stats() == before)


@pytest.mark.parametrize("channel", ["", "omega.changes", "omega.anything"])
def test_reserved_or_empty_channel_names_are_refused(channel: str) -> None:
    app = create_app(models=[User, Twoot], database_url="sqlite://")
    with pytest.raises(ConfigurationError, match="channel"):
        asyncio.run(app.publish(channel, {}))
    with pytest.raises(ConfigurationError, match="channel"):
        app.listen(channel)


@pytest.fixture(scope="module")
def twooter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(OMEGA_RUN, tmp_path_factory.mktemp("presence")) as base:
        yield base.replace("http://", "")


PRESENCE = 'subscription { presence(user: "%s") }'


def present(ws: ClientConnection, op_id: str) -> list[str]:
    message = receive(ws)
    assert message["type"] == "next" and message["id"] == op_id, message
    return message["payload"]["data"]["presence"]  # type: ignore[no-any-return]


def test_presence_follows_who_comes_and_goes(twooter: str) -> None:
    with subscribe(twooter, "p", PRESENCE % "ann") as ann:
        assert present(ann, "p") == ["ann"]
        with subscribe(twooter, "p", PRESENCE % "bob") as bob:
            assert present(bob, "p") == ["ann", "bob"]
            assert present(ann, "p") == ["ann", "bob"]
        assert present(ann, "p") == ["ann"]
