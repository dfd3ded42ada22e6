"""Request bodies read up to a size limit: refused as soon as they are known to be larger."""

from __future__ import annotations

from starlette.types import Receive, Scope

from ..errors import LimitExceeded


async def read_body(scope: Scope, receive: Receive, maximum: int) -> bytes:
    """The whole body of an HTTP request, or ``LimitExceeded`` (``max_body_size``) before
    more than ``maximum`` bytes are read."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > maximum:
            raise _too_large(maximum)
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > maximum:
            raise _too_large(maximum)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_large(maximum: int) -> LimitExceeded:
    return LimitExceeded("the request body is too large", "max_body_size", maximum)


__all__ = ["read_body"]
