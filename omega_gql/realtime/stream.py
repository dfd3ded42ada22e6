"""Following a stream: batches after the cursor, then each new batch as rows commit."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from .hub import LiveHub

#: How soon a stream looks again while rows are held back behind a running transaction.
HELD_RETRY = 0.05

Batch = Callable[[Any], Awaitable[tuple[bytes | None, Any, str]]]


async def follow(
    hub: LiveHub, start: Any, batch: Batch, tables: frozenset[str]
) -> AsyncIterator[bytes]:
    """Each non-empty batch from ``start`` on, in order: at once while batches are full,
    then when a change event touches ``tables`` (or, while rows are held back, soon)."""
    woken = asyncio.Event()
    leave = hub.watch(tables, woken.set)
    cursor = start
    try:
        while True:
            woken.clear()
            body, cursor, state = await batch(cursor)
            if body is not None:
                yield body
            if state == "more":
                continue
            if state == "held":
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), HELD_RETRY)
            else:
                await woken.wait()
    finally:
        leave()
