"""``Broadcast``: named channels shared by every process of an app, chosen by URL.

``memory://`` keeps a channel inside one process. ``redis://host:port/db`` shares it
through Redis pub/sub with every process on the same Redis: several uvicorn workers or
hosts. A message is delivered to this process's listeners at once, then sent to the
others; a process skips its own messages coming back.

Messages are hints, the database the truth: while Redis is away, messages are dropped, the
listener reconnects by itself, and ``on_reconnect`` callbacks run (the live reads re-run
then, so nothing a subscriber should see is missed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import urlsplit

import orjson

from ..errors import ConfigurationError

log = logging.getLogger("omega_gql.realtime")

#: Receives each message of a channel; must not block.
Listener = Callable[[bytes], None]

_PREFIX = b"omega:"


class Broadcast:
    """Channels by name: ``publish`` a message, ``listen`` with a callback or ``messages``
    as an async iterator. Use ``Broadcast.from_url``."""

    #: whether messages reach other processes
    shared = False

    def __init__(self) -> None:
        self._listeners: dict[str, dict[int, Listener]] = {}
        self._ids = 0
        self.on_reconnect: list[Callable[[], None]] = []

    @staticmethod
    def from_url(url: str) -> Broadcast:
        """``memory://`` or ``redis://[user:password@]host[:port][/db]`` (``rediss://`` too)."""
        scheme = urlsplit(url).scheme
        if scheme == "memory":
            return Broadcast()
        if scheme in ("redis", "rediss", "unix"):
            return RedisBroadcast(url)
        raise ConfigurationError(
            f"broadcast_url {url!r} is not supported. Possible fix: use memory:// (one "
            "process) or redis://host:6379/0 (several workers or hosts)."
        )

    async def start(self) -> None:
        """Connect (a no-op for ``memory://``)."""

    async def stop(self) -> None:
        """Disconnect."""

    def listen(self, channel: str, listener: Listener) -> Callable[[], None]:
        """Call ``listener(message)`` for each message of ``channel``; returns the function
        that stops."""
        self._ids += 1
        listener_id = self._ids
        listeners = self._listeners.setdefault(channel, {})
        listeners[listener_id] = listener

        def stop() -> None:
            listeners.pop(listener_id, None)
            if not listeners and self._listeners.get(channel) is listeners:
                del self._listeners[channel]

        return stop

    @contextlib.asynccontextmanager
    async def messages(self, channel: str, maxsize: int = 100) -> AsyncIterator[AsyncIterator[Any]]:
        """``async with broadcast.messages("presence") as messages: async for m in messages``:
        the JSON messages of ``channel`` from when the block is entered. At most ``maxsize``
        wait for the reader; past that the oldest is dropped (a reader that falls behind
        skips messages, it never holds up the publisher)."""
        queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize)

        def put(message: bytes) -> None:
            if queue.full():
                queue.get_nowait()
                log.warning("a slow reader of channel %r skipped a message", channel)
            queue.put_nowait(message)

        stop = self.listen(channel, put)

        async def read() -> AsyncIterator[Any]:
            while True:
                yield orjson.loads(await queue.get())

        try:
            yield read()
        finally:
            stop()

    async def publish(self, channel: str, message: bytes) -> None:
        """Deliver ``message`` to every listener of ``channel``, in every process."""
        self.deliver(channel, message)
        self.share(channel, message)

    def share(self, channel: str, message: bytes) -> None:
        """Send ``message`` to the listeners of ``channel`` in the other processes only."""

    def deliver(self, channel: str, message: bytes) -> None:
        """Hand ``message`` to this process's listeners of ``channel``."""
        for listener in list(self._listeners.get(channel, {}).values()):
            try:
                listener(message)
            except Exception:  # noqa: BLE001 - one listener never stops the others
                log.exception("a listener of channel %r failed", channel)

    def stats(self) -> dict[str, int]:
        """Counts of what is held, to tell that nothing is left behind."""
        return {
            "channels": len(self._listeners),
            "listeners": sum(len(v) for v in self._listeners.values()),
        }

    def reconnected(self) -> None:
        for callback in list(self.on_reconnect):
            try:
                callback()
            except Exception:  # noqa: BLE001
                log.exception("a reconnect callback failed")


class RedisBroadcast(Broadcast):
    """Channels shared through Redis pub/sub (redis-py's asyncio client).

    Outgoing messages wait in a bounded queue for one sender task, in order; when Redis is
    away the queue fills and the newest are dropped with a log line. The receiver task
    reconnects with a growing pause (up to 2 s) and, once back, runs ``on_reconnect``.
    """

    shared = True

    def __init__(self, url: str, queue_size: int = 10_000) -> None:
        super().__init__()
        self.url = url
        self.origin = os.urandom(8).hex().encode()
        self.connected = asyncio.Event()
        self._outgoing: asyncio.Queue[tuple[str, bytes]] | None = None
        self._queue_size = queue_size
        self._tasks: list[asyncio.Task[None]] = []
        self._dropped = 0

    async def start(self) -> None:
        import redis.asyncio  # noqa: F401 - fail at start-up, not at the first message

        self._outgoing = asyncio.Queue(self._queue_size)
        self._tasks = [
            asyncio.ensure_future(self._receive()),
            asyncio.ensure_future(self._send()),
        ]
        # Start-up waits briefly for the first connection, so that the first writes are
        # shared; a Redis that is down does not stop the app from serving.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.connected.wait(), 2.0)
        if not self.connected.is_set():
            log.warning("Redis at %s is not reachable yet; retrying in the background", self.url)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    def share(self, channel: str, message: bytes) -> None:
        if self._outgoing is None:
            return
        try:
            self._outgoing.put_nowait((channel, message))
        except asyncio.QueueFull:
            self._dropped += 1
            if self._dropped == 1 or self._dropped % 1000 == 0:
                log.warning("Redis is behind: %d broadcast messages dropped", self._dropped)

    def _client(self) -> Any:
        import redis.asyncio as aioredis

        return aioredis.Redis.from_url(
            self.url, socket_connect_timeout=2, socket_keepalive=True, health_check_interval=10
        )

    async def _send(self) -> None:
        assert self._outgoing is not None
        client = self._client()
        try:
            while True:
                channel, message = await self._outgoing.get()
                while True:
                    try:
                        await client.publish(
                            _PREFIX + channel.encode(), self.origin + b" " + message
                        )
                        break
                    except asyncio.CancelledError:
                        raise
                    except Exception:  # noqa: BLE001 - Redis away: wait, keep order
                        self.connected.clear()
                        await asyncio.sleep(0.2)
                        if self._outgoing.full():
                            break  # drop this one: the queue is full behind it
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()

    async def _receive(self) -> None:
        pause = 0.05
        first = True
        while True:
            client = self._client()
            pubsub = client.pubsub()
            try:
                await pubsub.psubscribe(_PREFIX + b"*")
                # The subscription is confirmed before anything is reported as shared.
                while True:
                    reply = await pubsub.get_message(timeout=5.0)
                    if reply is not None and reply.get("type") == "psubscribe":
                        break
                self.connected.set()
                if not first:
                    log.warning("reconnected to Redis at %s", self.url)
                first = False
                # Whatever was missed while away is read again from the database.
                self.reconnected()
                pause = 0.05
                while True:
                    reply = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30.0)
                    if reply is None or reply.get("type") != "pmessage":
                        continue
                    data: bytes = reply["data"]
                    origin, _, message = data.partition(b" ")
                    if origin == self.origin:
                        continue
                    channel = reply["channel"][len(_PREFIX) :].decode()
                    self.deliver(channel, message)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - reconnect below
                if self.connected.is_set() or first:
                    log.warning("lost Redis at %s (%s); reconnecting", self.url, error)
                self.connected.clear()
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(pause)
            pause = min(pause * 2, 2.0)


__all__ = ["Broadcast", "Listener", "RedisBroadcast"]
