"""``LiveHub``: one execution per distinct live read, however many subscribe to it.

A live read re-runs when a change event touches a table it reads. Events arriving while it
runs coalesce into one more run; a result equal to the last one is not delivered. Events
are wake-up hints and the database the truth: a re-run reads the committed state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from ..events import ChangeEvent

log = logging.getLogger("omega_gql.realtime")

#: Receives each new result; must not block (it hands the bytes to a socket's outbox).
Sink = Callable[[bytes], None]


class Live:
    """One shared live read: its latest result and the sinks it is delivered to."""

    def __init__(
        self,
        hub: LiveHub,
        key: Hashable,
        run: Callable[[], Awaitable[bytes]],
        tables: frozenset[str],
    ) -> None:
        self.hub = hub
        self.key = key
        self.run = run
        self.tables = tables
        self.sinks: dict[int, Sink] = {}
        self.last: bytes | None = None
        self.runs = 0
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def wake(self) -> None:
        """Re-run soon; a run under way is followed by one more."""
        if self._task is not None:
            self._again = True
            return
        self._task = asyncio.ensure_future(self._refresh())

    async def _refresh(self) -> None:
        try:
            while True:
                self._again = False
                result = await self.run()
                self.runs += 1
                if result != self.last:
                    self.last = result
                    for sink in list(self.sinks.values()):
                        try:
                            sink(result)
                        except Exception:  # noqa: BLE001 - one sink never stops the others
                            log.exception("a live result could not be handed to a subscriber")
                if not self._again:
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the next event tries again
            log.exception("a live read failed")
        finally:
            self._task = None

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None


class LiveHub:
    """The live reads of one app, keyed by what makes two of them the same (the request,
    its variables and its caller)."""

    def __init__(self) -> None:
        self.lives: dict[Hashable, Live] = {}
        self._by_table: dict[str, set[Live]] = {}
        self._watchers: dict[str, dict[int, Callable[[], None]]] = {}
        self._ids = 0

    def join(
        self,
        key: Hashable,
        run: Callable[[], Awaitable[bytes]],
        tables: frozenset[str],
        sink: Sink,
    ) -> Callable[[], None]:
        """Deliver the live read ``key`` to ``sink``: its current result at once (running
        it if it is new), then each changed result. Returns the function that leaves."""
        live = self.lives.get(key)
        self._ids += 1
        sink_id = self._ids
        if live is None:
            live = Live(self, key, run, tables)
            self.lives[key] = live
            for table in tables:
                self._by_table.setdefault(table, set()).add(live)
            live.sinks[sink_id] = sink
            live.wake()
        else:
            live.sinks[sink_id] = sink
            if live.last is not None:
                sink(live.last)

        def leave() -> None:
            live.sinks.pop(sink_id, None)
            if not live.sinks and self.lives.get(key) is live:
                live.stop()
                del self.lives[key]
                for table in live.tables:
                    readers = self._by_table.get(table)
                    if readers is not None:
                        readers.discard(live)
                        if not readers:
                            del self._by_table[table]

        return leave

    def watch(self, tables: frozenset[str], wake: Callable[[], None]) -> Callable[[], None]:
        """Call ``wake()`` on each change to one of ``tables`` (a stream's own reading);
        returns the function that stops."""
        self._ids += 1
        watch_id = self._ids
        for table in tables:
            self._watchers.setdefault(table, {})[watch_id] = wake

        def stop() -> None:
            for table in tables:
                watchers = self._watchers.get(table)
                if watchers is not None:
                    watchers.pop(watch_id, None)
                    if not watchers:
                        del self._watchers[table]

        return stop

    def changed(self, event: ChangeEvent) -> None:
        """A committed write: wake the live reads and streams of its table."""
        for live in list(self._by_table.get(event.table, ())):
            live.wake()
        for wake in list(self._watchers.get(event.table, {}).values()):
            wake()

    def wake_all(self) -> None:
        """Re-run every live read and stream once: after events may have been lost (a broker
        reconnect)."""
        for live in list(self.lives.values()):
            live.wake()
        for watchers in list(self._watchers.values()):
            for wake in list(watchers.values()):
                wake()

    def stats(self) -> dict[str, Any]:
        """Counts of what the hub holds, to tell that nothing is left behind."""
        return {
            "lives": len(self.lives),
            "sinks": sum(len(live.sinks) for live in self.lives.values()),
            "tables": len(self._by_table),
            "streams": len({i for w in self._watchers.values() for i in w}),
        }
