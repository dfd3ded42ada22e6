"""Change events published after a write commits."""

from __future__ import annotations

from .change import ChangeEvent

__all__ = ["ChangeEvent"]
