"""Security defaults."""

from __future__ import annotations

from .body import read_body
from .loopback import LoopbackOnly

__all__ = ["LoopbackOnly", "read_body"]
