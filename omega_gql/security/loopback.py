"""Until authentication is configured, only this machine may use the app."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

MESSAGE = (
    "this server answers only requests from this machine: no authentication is configured. "
    "Set OMEGA_ALLOW_REMOTE=true (or create_app(allow_remote=True)) to serve other hosts."
)


@lru_cache(maxsize=4096)
def is_local(host: str | None) -> bool:
    """True for loopback addresses, and for clients that are not IP peers (Unix sockets)."""
    if host is None:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


class LoopbackOnly:
    """ASGI middleware refusing HTTP and WebSocket clients from other hosts with 403."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            if not is_local(client[0] if client else None):
                await self._refuse(scope, send)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        if scope["type"] == "websocket":
            await send(
                {"type": "websocket.close", "code": 1008, "reason": "remote clients refused"}
            )
            return
        body = orjson.dumps(
            {"errors": [{"message": MESSAGE, "extensions": {"code": "permission-denied"}}]}
        )
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", b"%d" % len(body)),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
