"""Who is in the chat, over the ``presence`` channel, across every process of the app.

Each process counts the names subscribed to it and announces them whenever they change; a
new subscriber asks, and every process answers once. Subscribers show the union.
"""

from __future__ import annotations

import uuid
from collections import Counter, deque
from collections.abc import AsyncIterator
from typing import Any

CHANNEL = "presence"


class Presence:
    """The presence of one process: its own names, and what it answers to askers."""

    def __init__(self) -> None:
        self.process = uuid.uuid4().hex
        self.here: Counter[str] = Counter()
        self._answered: deque[str] = deque(maxlen=256)

    def names(self) -> list[str]:
        return sorted(self.here)

    async def follow(self, app: Any, user: str | None) -> AsyncIterator[list[str]]:
        """The names of everyone present, each time they change; ``user`` counts as
        present while this runs."""
        known: dict[str, list[str]] = {}
        shown: list[str] | None = None
        # Listening before announcing: this subscriber sees its own announcement.
        async with app.listen(CHANNEL, maxsize=1000) as messages:
            if user:
                self.here[user] += 1
            try:
                await self._announce(app, ask=uuid.uuid4().hex)
                async for message in messages:
                    known[message["process"]] = message["users"]
                    ask = message.get("ask")
                    if ask and message["process"] != self.process and ask not in self._answered:
                        self._answered.append(ask)
                        await self._announce(app)
                    names = sorted(set().union(*known.values()))
                    if names != shown:
                        shown = names
                        yield names
            finally:
                if user:
                    self.here[user] -= 1
                    if self.here[user] <= 0:
                        del self.here[user]
                    await self._announce(app)

    async def _announce(self, app: Any, ask: str | None = None) -> None:
        message: dict[str, Any] = {"process": self.process, "users": self.names()}
        if ask:
            message["ask"] = ask
        await app.publish(CHANNEL, message)
