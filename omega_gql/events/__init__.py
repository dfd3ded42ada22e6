"""Change events published after a write commits."""

from __future__ import annotations

from .change import ChangeEvent, merge
from .publisher import Publisher, Subscriber

__all__ = ["ChangeEvent", "Publisher", "Subscriber", "merge"]
