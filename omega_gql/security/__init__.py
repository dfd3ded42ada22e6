"""Security defaults."""

from __future__ import annotations

from .body import read_body
from .loopback import LoopbackOnly
from .origin import cross_site

__all__ = ["LoopbackOnly", "cross_site", "read_body"]
