"""A least-recently-used cache bounded by entry count and by weight, a measure of memory:
a few documents carrying huge literals must not pin hundreds of megabytes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any


class LRU(OrderedDict[Any, Any]):
    """At most ``size`` entries of at most ``budget`` total weight; the least recently used
    go first, and an entry heavier than the whole budget is not kept."""

    def __init__(self, size: int, budget: int | None = None) -> None:
        super().__init__()
        self.size = size
        self.budget = budget
        self.weight = 0
        self._weights: dict[Any, int] = {}
        # Huge documents are planned on worker threads, which fill the caches too.
        self._lock = threading.Lock()

    def use(self, key: Any) -> Any:
        """The entry of ``key`` (None when absent), now the most recently used."""
        found = self.get(key)
        if found is not None:
            try:  # no lock on the hot path: a thread's put may have just evicted it
                self.move_to_end(key)
            except KeyError:
                pass
        return found

    def put(self, key: Any, value: Any, weight: int = 0) -> None:
        if self.budget is not None and weight > self.budget:
            return
        with self._lock:
            if key in self:
                del self[key]
                self.weight -= self._weights.pop(key, 0)
            self[key] = value
            self._weights[key] = weight
            self.weight += weight
            while len(self) > self.size or (self.budget is not None and self.weight > self.budget):
                oldest, _ = self.popitem(last=False)
                self.weight -= self._weights.pop(oldest, 0)

    def clear(self) -> None:
        with self._lock:
            super().clear()
            self._weights.clear()
            self.weight = 0
