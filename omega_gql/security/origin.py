"""Requests that a page of another site made a browser send.

A server that answers only this machine is still reachable by this machine's browser, and
any site can make it POST a form, or open a WebSocket, to ``127.0.0.1``. Browsers say where
such a request comes from (``Origin``, ``Sec-Fetch-Site``); tools such as curl send neither.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import Scope


def cross_site(scope: Scope) -> bool:
    """True when the browser says the request comes from another site's page."""
    origin = host = None
    for name, value in scope["headers"]:
        if name == b"origin":
            origin = value.decode("latin-1")
        elif name == b"host":
            host = value.decode("latin-1")
        elif name == b"sec-fetch-site" and value == b"cross-site":
            return True
    if origin is None or origin == "null":
        return False
    return bool(urlsplit(origin).netloc != host)


__all__ = ["cross_site"]
