"""Result messages written straight to the server's socket, when the server allows it.

A live result goes to every subscriber of a live read. Through ASGI, each copy passes the
middleware's send wrappers, the server's send and its WebSocket framing before its bytes
reach the socket, which together cost as much CPU as the socket write itself. Under
uvicorn's ``websockets-sansio`` protocol (its default when ``websockets`` is installed), a
server's text frame without extensions is a fixed header before the UTF-8 payload: built
once per message and written to the connection's transport here. Any other server, or a
socket that negotiated an extension, a paused transport or a closing connection, goes
through ASGI as before.
"""

from __future__ import annotations

import asyncio
import struct
from typing import Any

from starlette.types import Scope
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

#: where ``OmegaApp`` keeps the server's own ``send`` for a WebSocket, before any wrapping
SERVER_SEND = "omega.server_send"


class DirectWriter:
    """Writes text frames to one uvicorn WebSocket connection's transport."""

    __slots__ = ("_protocol", "_transport", "_conn", "_writable")

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        self._transport: asyncio.Transport = protocol.transport
        self._conn = protocol.conn
        self._writable: asyncio.Event = protocol.writable

    def ready(self) -> bool:
        """True when a frame written now leaves in order and unaltered."""
        return (
            self._writable.is_set()
            and self._conn.state is State.OPEN
            and not self._protocol.close_sent
            and not self._transport.is_closing()
        )

    def write(self, frame: bytes) -> None:
        """Hand a whole frame (see `text_frame`) to the transport, which never blocks."""
        self._transport.write(frame)


def direct_writer(scope: Scope) -> DirectWriter | None:
    """A `DirectWriter` for this WebSocket when its server is uvicorn's websockets-sansio
    protocol with no extension negotiated, else None."""
    protocol = getattr(scope.get(SERVER_SEND), "__self__", None)
    if type(protocol) is not WebSocketsSansIOProtocol:
        return None
    if protocol.conn.extensions or protocol.transport is None:
        # Per-message deflate rewrites every frame: only the server's own framing will do.
        return None
    return DirectWriter(protocol)


def text_frame(payload: bytes) -> bytes:
    """An unmasked, final text frame (RFC 6455 section 5.2), as a server sends it."""
    length = len(payload)
    if length < 126:
        return bytes((0x81, length)) + payload
    if length < 1 << 16:
        return struct.pack("!BBH", 0x81, 126, length) + payload
    return struct.pack("!BBQ", 0x81, 127, length) + payload
