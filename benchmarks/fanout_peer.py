"""The fan-out peer: a plain strawberry-graphql subscription server, as an app would write it.

``uvicorn benchmarks.fanout_peer:app`` with ``FANOUT_PEER_DB=<sqlite file>`` (tables from
``examples.twooter.models``). It answers the documents ``benchmarks.fanout`` sends (``QUERIES``
and ``MUTATION`` there: ``twoot(orderBy, limit, where)`` subscriptions and
``insertTwootOne(object: {content, userId})``), with the names of omega_gql's schema.

The mutation inserts the row into SQLite (stdlib ``sqlite3``, committed), then publishes
it: each subscription is an async generator waiting on its own ``asyncio.Queue``, fed with
the newest rows of its topic (all twoots, or one user's). The rows a subscriber is sent come
from memory: the newest rows are read from the database once at start-up and kept up to
date by the mutation, so a delivered message costs no SQL, only strawberry executing the
subscription's selection on the rows and the socket write. Only ``orderBy: {id: DESC}`` and
``where: {userId: {_eq: ...}}`` are supported.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections import deque
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

#: rows kept per topic: the largest ``limit`` a subscription may ask
KEPT = 100


@strawberry.type
class User:
    id: int
    user_name: str


@strawberry.type
class Twoot:
    id: int
    content: str
    posted_at: str
    user: User


@strawberry.enum
class OrderBy(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input
class TwootOrderBy:
    id: OrderBy | None = None


@strawberry.input
class IntComparisonExp:
    eq: int | None = strawberry.field(name="_eq", default=None)


@strawberry.input
class TwootBoolExp:
    user_id: IntComparisonExp | None = None


@strawberry.input
class TwootInsertInput:
    content: str
    user_id: int


Snapshot = tuple[Twoot, ...]


class Feed:
    """The newest twoots, overall and per user, and the queues of their subscribers."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.users = {
            uid: User(id=uid, user_name=name)
            for uid, name in self.db.execute('SELECT id, user_name FROM "user"')
        }
        self.newest: deque[Twoot] = deque(maxlen=KEPT)
        self.by_user: dict[int, deque[Twoot]] = {}
        # The benchmark's database is small and fresh: every row once, oldest first.
        for row in self.db.execute(
            "SELECT id, content, posted_at, user_id FROM twoot ORDER BY id"
        ).fetchall():
            self._keep(self._twoot(*row))
        self.listeners: dict[int | None, set[asyncio.Queue[Snapshot]]] = {}

    def _twoot(self, tid: int, content: str, posted_at: str | None, uid: int) -> Twoot:
        stamp = (posted_at or "").replace(" ", "T").split(".")[0]
        return Twoot(id=tid, content=content, posted_at=stamp, user=self.users[uid])

    def _keep(self, twoot: Twoot) -> None:
        self.newest.appendleft(twoot)
        self.by_user.setdefault(twoot.user.id, deque(maxlen=KEPT)).appendleft(twoot)

    def snapshot(self, user: int | None) -> Snapshot:
        return tuple(self.newest if user is None else self.by_user.get(user, ()))

    def insert(self, content: str, user_id: int) -> Twoot:
        user = self.users.get(user_id)
        if user is None:
            raise ValueError(f"no user {user_id}")
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        cur = self.db.execute(
            "INSERT INTO twoot (content, posted_at, user_id) VALUES (?, ?, ?)",
            (content, now, user_id),
        )
        twoot = self._twoot(int(cur.lastrowid or 0), content, now, user_id)
        self._keep(twoot)
        # Each subscriber is sent the state this event made, in order, never a later one.
        for topic in (None, user_id):
            queues = self.listeners.get(topic)
            if queues:
                snap = self.snapshot(topic)
                for queue in queues:
                    queue.put_nowait(snap)
        return twoot


FEED = Feed(os.environ.get("FANOUT_PEER_DB", "fanout-peer.db"))


@strawberry.type
class Query:
    @strawberry.field
    def twoot_count(self) -> int:
        return int(FEED.db.execute("SELECT count(*) FROM twoot").fetchone()[0])


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def insert_twoot_one(
        self, object_: Annotated[TwootInsertInput, strawberry.argument(name="object")]
    ) -> Twoot | None:
        return FEED.insert(object_.content, object_.user_id)


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def twoot(
        self,
        order_by: list[TwootOrderBy] | None = None,
        limit: int | None = None,
        where: TwootBoolExp | None = None,
    ) -> AsyncGenerator[list[Twoot], None]:
        if order_by and any(o.id not in (OrderBy.DESC, None) for o in order_by):
            raise ValueError("this peer orders by id DESC only")
        n = KEPT if limit is None else limit
        if not 0 <= n <= KEPT:
            raise ValueError(f"limit must be between 0 and {KEPT}")
        user = where.user_id.eq if where is not None and where.user_id is not None else None
        queue: asyncio.Queue[Snapshot] = asyncio.Queue()
        queues = FEED.listeners.setdefault(user, set())
        queues.add(queue)
        try:
            yield list(FEED.snapshot(user)[:n])
            while True:
                snap = await queue.get()
                yield list(snap[:n])
        finally:
            queues.discard(queue)


schema = strawberry.Schema(query=Query, mutation=Mutation, subscription=Subscription)
app = GraphQL(schema, subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,))
