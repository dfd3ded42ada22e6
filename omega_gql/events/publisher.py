"""Hands committed change events to subscribers without letting one fail or stall a write."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from .change import ChangeEvent, merge, numbered

log = logging.getLogger("omega_gql.events")
Subscriber = Callable[[ChangeEvent], Awaitable[None] | None]


class Publisher:
    """Subscribers of change events, plain or async callables.

    A plain subscriber is called at once; an async one runs as its own task. Either may
    raise: the error is logged and the writer, already committed, is answered all the same.
    """

    def __init__(self) -> None:
        self.subscribers: list[Subscriber] = []
        self._seq = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()

    def subscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.append(subscriber)

    async def publish(self, events: Iterable[ChangeEvent]) -> list[ChangeEvent]:
        """Merge one unit's events (one per table and operation), number them in commit
        order and deliver them; returns what was delivered."""
        if not self.subscribers:
            return []
        merged = merge(events)
        if not merged:
            return []
        first = next(self._seq)
        for _ in merged[1:]:
            next(self._seq)
        delivered = numbered(merged, first)
        started = False
        for event in delivered:
            for subscriber in self.subscribers:
                try:
                    result = subscriber(event)
                except Exception:  # noqa: BLE001 - a subscriber never fails the writer
                    log.exception("change subscriber %r failed on %s", subscriber, event.table)
                    continue
                if result is not None and inspect.isawaitable(result):
                    task = asyncio.ensure_future(self._guarded(subscriber, event, result))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                    started = True
        if started:
            await asyncio.sleep(0)  # let the tasks start; the writer does not wait for them
        return delivered

    @staticmethod
    async def _guarded(subscriber: Subscriber, event: ChangeEvent, result: Awaitable[Any]) -> None:
        try:
            await result
        except Exception:  # noqa: BLE001
            log.exception("change subscriber %r failed on %s", subscriber, event.table)


__all__ = ["Publisher", "Subscriber"]
