"""``ChangeEvent``: what a committed write tells the rest of the system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import orjson

Op = Literal["insert", "update", "delete"]


@dataclass(frozen=True)
class ChangeEvent:
    """Rows of ``table`` changed by ``op``; ``pks`` are their primary keys."""

    table: str
    op: Op
    pks: tuple[tuple[Any, ...], ...]

    def encode(self) -> bytes:
        return orjson.dumps({"table": self.table, "op": self.op, "pks": self.pks}, default=str)

    @classmethod
    def decode(cls, data: bytes | str) -> ChangeEvent:
        raw = orjson.loads(data)
        return cls(raw["table"], raw["op"], tuple(tuple(pk) for pk in raw["pks"]))
