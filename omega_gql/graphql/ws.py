"""``/graphql`` over WebSocket: the ``graphql-transport-ws`` protocol (the graphql-ws
library's PROTOCOL.md) and the legacy ``graphql-ws`` one (subscriptions-transport-ws).

Subscriptions to generated fields are live reads served by the realtime hub: the current
result at once, then each changed one. Queries and mutations run once. Each socket has an
outbox holding, per subscription, only the newest undelivered result: a slow client never
delays the others and never piles up results; one that stays stuck is closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

import orjson
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from ..errors import LimitExceeded
from ..realtime import LiveHub
from ..realtime.stream import follow
from ..security import cross_site
from .direct import direct_writer, text_frame
from .engine import EventStream, GraphQLEngine, StreamRead
from .errors import error_dict
from .views import Context

log = logging.getLogger("omega_gql.realtime")

PROTOCOL = "graphql-transport-ws"
LEGACY = "graphql-ws"


class GraphQLWebSocket:
    """The ASGI app serving ``engine``'s subscriptions, queries and mutations on sockets.

    ``init_timeout``: seconds a client has to send ``connection_init`` (4408 after);
    ``max_message_size``: bytes of one client message (4400 past it);
    ``max_subscriptions``: operations one socket may have running at once;
    ``send_timeout``: seconds a message may take to leave before the socket is closed;
    ``max_outbox``: messages of app-written subscriptions a socket may have waiting to
    leave before it is closed as too slow (live results need no such bound: only the
    newest of each waits); ``keep_alive``: seconds between the legacy protocol's ``ka``.
    """

    def __init__(
        self,
        engine: GraphQLEngine,
        hub: LiveHub,
        *,
        init_timeout: float = 3.0,
        max_message_size: int = 10 * 1024 * 1024,
        max_subscriptions: int = 100,
        send_timeout: float = 10.0,
        max_outbox: int = 1000,
        keep_alive: float = 15.0,
    ) -> None:
        self.engine = engine
        self.hub = hub
        self.init_timeout = init_timeout
        self.max_message_size = max_message_size
        self.max_subscriptions = max_subscriptions
        self.send_timeout = send_timeout
        self.max_outbox = max_outbox
        self.keep_alive = keep_alive
        self.open: set[_Connection] = set()
        self._watchdog: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        """Close the sockets whose current message has not left for ``send_timeout``: one
        timer for all of them, rather than one per message sent."""
        loop = asyncio.get_running_loop()
        try:
            while self.open:
                await asyncio.sleep(min(1.0, self.send_timeout / 4))
                now = loop.time()
                for connection in list(self.open):
                    since = connection.sending_since
                    if since is not None and now - since > self.send_timeout:
                        connection.stuck()
        finally:
            self._watchdog = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        offered = scope.get("subprotocols", ())
        protocol = PROTOCOL if PROTOCOL in offered else LEGACY if LEGACY in offered else None
        if protocol is None:
            # Refused in the handshake: the client asked for no protocol spoken here.
            await websocket.close(code=4406, reason="Subprotocol not acceptable")
            return
        if cross_site(scope):
            # Another site's page may open a socket here from this machine's browser.
            await websocket.close(code=4403, reason="cross-site WebSocket refused")
            return
        await websocket.accept(subprotocol=protocol)
        connection = _Connection(self, websocket, send, legacy=protocol == LEGACY)
        self.open.add(connection)
        if self._watchdog is None:
            self._watchdog = asyncio.ensure_future(self._watch())
        try:
            await connection.serve()
        finally:
            self.open.discard(connection)


class _Close(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class _Connection:
    """One socket: its protocol state, its operations and its outbox."""

    def __init__(
        self, server: GraphQLWebSocket, websocket: WebSocket, send: Send, legacy: bool
    ) -> None:
        self.server = server
        self.websocket = websocket
        self._send = send
        #: when the message being sent started to leave (None: nothing is being sent)
        self.sending_since: float | None = None
        self.legacy = legacy
        #: the type of a result message: ``next``, or ``data`` in the legacy protocol
        self.result_type = "data" if legacy else "next"
        self.context = Context(websocket.scope.get("app"), None)
        self.acknowledged = False
        self.initialised = False
        #: running operations by id: how each is stopped
        self.operations: dict[str, Callable[[], None]] = {}
        self._control: deque[str] = deque()
        self._latest: dict[str, str] = {}
        self._ready = asyncio.Event()
        self._direct = direct_writer(websocket.scope)
        self._closing: _Close | None = None
        self._reader: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def serve(self) -> None:
        writer = asyncio.ensure_future(self._write())
        self._writer = writer
        timer = asyncio.ensure_future(self._expect_init())
        self._keep_alive: asyncio.Task[None] | None = None
        reader = asyncio.ensure_future(self._read())
        self._reader = reader
        try:
            try:
                await reader
            except asyncio.CancelledError:
                # Cancelled by the writer, which gave up on a stuck client: go on closing.
                if not reader.cancelled() or self._closing is None:
                    reader.cancel()
                    raise
        except _Close as close:
            await self._drain()
            await self._close(close)
        except WebSocketDisconnect:
            pass
        finally:
            for stop in list(self.operations.values()):
                stop()
            self.operations.clear()
            timer.cancel()
            if self._keep_alive is not None:
                self._keep_alive.cancel()
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer
            if self._closing is not None:
                await self._close(self._closing)

    # ---- reading ----------------------------------------------------------------------

    async def _read(self) -> None:
        while self._closing is None:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            raw = message.get("text")
            if raw is None:
                raw = (message.get("bytes") or b"").decode("utf-8", "replace")
            if len(raw) > self.server.max_message_size:
                raise _Close(
                    4400,
                    f"Message exceeds {self.server.max_message_size:,} bytes (max_body_size)",
                )
            try:
                parsed = orjson.loads(raw)
            except orjson.JSONDecodeError:
                if self.legacy:
                    self._say(_connection_error("Invalid message received: not JSON"))
                    continue
                raise _Close(4400, "Invalid message received: not JSON") from None
            if not isinstance(parsed, dict) or not isinstance(parsed.get("type"), str):
                if self.legacy:
                    self._say(_connection_error("Invalid message received: no type"))
                    continue
                raise _Close(4400, "Invalid message received: no type")
            if self.legacy:
                await self._handle_legacy(parsed)
            else:
                await self._handle(parsed)

    async def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "connection_init":
            self._initialise()
        elif kind == "ping":
            pong: dict[str, Any] = {"type": "pong"}
            if isinstance(message.get("payload"), dict):
                pong["payload"] = message["payload"]
            self._say(pong)
        elif kind == "pong":
            pass
        elif kind == "subscribe":
            await self._subscribe(message)
        elif kind == "complete":
            op_id = message.get("id")
            if isinstance(op_id, str):
                self._stop(op_id)
        else:
            raise _Close(4400, f"Invalid message received: unknown type {kind!r}")

    def _initialise(self) -> None:
        if self.initialised:
            raise _Close(4429, "Too many initialisation requests")
        self.initialised = True
        self.acknowledged = True
        self._say({"type": "connection_ack"})

    async def _handle_legacy(self, message: dict[str, Any]) -> None:
        """subscriptions-transport-ws: errors about one message are answered, not closed
        on, as its servers do; but nothing runs before ``connection_init``."""
        kind = message["type"]
        op_id = message.get("id")
        if kind == "connection_init":
            self._initialise()
            self._keep_alive = asyncio.ensure_future(self._send_keep_alive())
        elif kind == "start":
            if not self.acknowledged:
                self._say(
                    {
                        "type": "error",
                        "id": op_id,
                        "payload": {"message": "Unauthorized: connection_init must come first"},
                    }
                )
                raise _Close(4401, "Unauthorized")
            if isinstance(op_id, str):
                # As its reference server does: a start with a running id replaces it.
                self._stop(op_id)
            await self._subscribe(message)
        elif kind == "stop":
            # As its reference server does, a stopped operation is answered complete.
            if isinstance(op_id, str) and self._stop(op_id):
                self._say({"id": op_id, "type": "complete"})
        elif kind == "connection_terminate":
            raise _Close(1000, "Terminated")
        else:
            self._say(
                {
                    "type": "error",
                    "id": op_id,
                    "payload": {"message": f"Invalid message received: unknown type {kind!r}"},
                }
            )

    def _stop(self, op_id: str) -> bool:
        """Stop the operation ``op_id``; whether one was running."""
        stop = self.operations.pop(op_id, None)
        if stop is None:
            return False
        stop()
        self._latest.pop(op_id, None)
        return True

    async def _send_keep_alive(self) -> None:
        while True:
            self._say({"type": "ka"})
            await asyncio.sleep(self.server.keep_alive)

    def _error(self, op_id: str, errors: list[dict[str, Any]]) -> None:
        """Refuse an operation: the errors in this protocol's shape (legacy: one error)."""
        payload: Any = errors[0] if self.legacy and errors else errors
        self._say({"id": op_id, "type": "error", "payload": payload})

    async def _subscribe(self, message: dict[str, Any]) -> None:
        if not self.acknowledged:
            raise _Close(4401, "Unauthorized")
        op_id, payload = message.get("id"), message.get("payload")
        if not isinstance(op_id, str) or not op_id or not isinstance(payload, dict):
            raise _Close(4400, "Invalid message received: subscribe needs an id and a payload")
        query, variables = payload.get("query"), payload.get("variables")
        name = payload.get("operationName")
        if (
            not isinstance(query, str)
            or not (variables is None or isinstance(variables, dict))
            or not (name is None or isinstance(name, str))
        ):
            raise _Close(4400, "Invalid message received: malformed subscribe payload")
        if op_id in self.operations:
            raise _Close(4409, f"Subscriber for {op_id} already exists")
        if len(self.operations) >= self.server.max_subscriptions:
            limit = LimitExceeded(
                f"this connection already runs {len(self.operations)} operations",
                "max_subscriptions",
                self.server.max_subscriptions,
            )
            self._error(op_id, [error_dict(limit)])
            return
        live = await self.server.engine.live(query, variables, name, self.context)
        if live is not None:
            if isinstance(live, list):
                self._error(op_id, live)
                return
            if op_id in self.operations:  # sent again while this one was being planned
                if isinstance(live, EventStream):
                    await live.results.aclose()  # type: ignore[attr-defined]
                raise _Close(4409, f"Subscriber for {op_id} already exists")
            if isinstance(live, StreamRead):
                live = EventStream(follow(self.server.hub, live.start, live.batch, live.tables))
            if isinstance(live, EventStream):
                self._start(op_id, self._stream(op_id, live))
                return
            # Registered before joining: a shared live read delivers its last result at once.
            self.operations[op_id] = _nothing
            self.operations[op_id] = self.server.hub.join(
                live.key, live.run, live.tables, functools.partial(self._next, op_id)
            )
            return
        self._start(op_id, self._once(op_id, query, variables, name))

    def _start(self, op_id: str, work: Any) -> None:
        task = asyncio.ensure_future(work)

        def stop() -> None:
            task.cancel()

        self.operations[op_id] = stop

    async def _stream(self, op_id: str, stream: EventStream) -> None:
        """An app-written subscription or a stream: every result in order (its messages are
        events, not states: none may be dropped), then complete when its source ends."""
        try:
            async for body in stream.results:
                if op_id not in self.operations:
                    return
                if len(self._control) >= self.server.max_outbox:
                    log.warning(
                        "closing a WebSocket whose client fell %d messages behind",
                        len(self._control),
                    )
                    self._closing = _Close(4408, "Client too slow")
                    # The reader may wait for a client that sends nothing: stop it too.
                    self._reader.cancel()
                    return
                self._control.append(_frame(op_id, body, self.result_type)[0])
                self._ready.set()
        finally:
            await stream.results.aclose()  # type: ignore[attr-defined]
        if self.operations.pop(op_id, None) is not None:
            self._say({"id": op_id, "type": "complete"})

    async def _once(
        self, op_id: str, query: str, variables: dict[str, Any] | None, name: str | None
    ) -> None:
        """A query or mutation: one result, then complete."""
        body = await self.server.engine.execute(query, variables, name, self.context)
        if self.operations.pop(op_id, None) is None:
            return  # completed by the client meanwhile
        parsed = orjson.loads(body)
        if parsed.get("data") is None and parsed.get("errors") and "data" not in parsed:
            self._error(op_id, parsed["errors"])
            return
        # In order, through the control queue: the result must precede its complete.
        self._control.append(_frame(op_id, body, self.result_type)[0])
        self._say({"id": op_id, "type": "complete"})

    async def _expect_init(self) -> None:
        await asyncio.sleep(self.server.init_timeout)
        if not self.initialised:
            self._closing = _Close(4408, "Connection initialisation timeout")
            # The reader is waiting for a message: closing ends it.
            await self._close(self._closing)

    # ---- writing ----------------------------------------------------------------------

    def _say(self, message: dict[str, Any]) -> None:
        self._control.append(orjson.dumps(message).decode())
        self._ready.set()

    def _next(self, op_id: str, body: bytes) -> None:
        """Send a result, straight to the socket when it is free; otherwise queue it,
        replacing one not yet sent: only the newest matters."""
        if op_id not in self.operations and op_id not in self._latest:
            return
        text, wire = _frame(op_id, body, self.result_type)
        direct = self._direct
        if (
            direct is not None
            and self.sending_since is None
            and not self._control
            and not self._latest
            and direct.ready()
        ):
            # Nothing waits before it and the transport takes it without blocking.
            direct.write(wire)
            return
        self._latest[op_id] = text
        self._ready.set()

    async def _write(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._ready.wait()
            self._ready.clear()
            while self._control or self._latest:
                if self._control:
                    frame = self._control.popleft()
                else:
                    op_id = next(iter(self._latest))
                    frame = self._latest.pop(op_id)
                # The raw ASGI send: this runs once per message per subscriber.
                self.sending_since = loop.time()
                try:
                    await self._send({"type": "websocket.send", "text": frame})
                except Exception:  # noqa: BLE001 - the socket is gone; the reader ends too
                    return
                finally:
                    self.sending_since = None

    def stuck(self) -> None:
        """The client has read nothing for the send timeout: stop serving it."""
        log.warning(
            "closing a WebSocket whose client read nothing for %.0f s", self.server.send_timeout
        )
        self._closing = _Close(4408, "Client too slow")
        self._writer.cancel()
        # The reader may wait for a client that sends nothing: stop it too.
        self._reader.cancel()

    async def _drain(self, timeout: float = 1.0) -> None:
        """Let what is already said leave (the error explaining a close), briefly."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._control and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)

    async def _close(self, close: _Close) -> None:
        if self.websocket.application_state == WebSocketState.CONNECTED:
            # Bounded: the close frame of a stuck client's socket may never leave.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(
                    self.websocket.close(code=close.code, reason=close.reason), 1.0
                )


def _nothing() -> None:
    pass


def _frame(op_id: str, body: bytes, kind: str) -> tuple[str, bytes]:
    """A result message (``next`` or ``data``) around a result body: as text for ASGI, and
    as a whole WebSocket frame for a direct write. Subscribers of one live read get the same
    body in turn, and most use the same few operation ids: the message is built once per
    body and id, not once per socket."""
    global _framed_body
    if body is not _framed_body:
        _framed_body = body
        _frames.clear()
    frame = _frames.get((op_id, kind))
    if frame is None:
        if len(_frames) >= 1024:
            _frames.clear()
        message = b"".join(
            (b'{"id":', orjson.dumps(op_id), b',"type":"', kind.encode(), b'","payload":', body)
        )
        frame = (message + b"}").decode(), text_frame(message + b"}")
        _frames[(op_id, kind)] = frame
    return frame


def _connection_error(message: str) -> dict[str, Any]:
    return {"type": "connection_error", "payload": {"message": message}}


# The body whose messages ``_frames`` holds, by (operation id, message type).
_framed_body: bytes = b""
_frames: dict[tuple[str, str], tuple[str, bytes]] = {}
