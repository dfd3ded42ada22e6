"""Security defaults."""

from __future__ import annotations

from .loopback import LoopbackOnly

__all__ = ["LoopbackOnly"]
