"""``ChangeEvent``: what a committed write tells the rest of the system."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import orjson

Op = Literal["insert", "update", "delete"]

# Key values that JSON cannot carry as themselves travel as [tag, text].
_ENCODERS: tuple[tuple[type, str], ...] = (
    (datetime.datetime, "datetime"),
    (datetime.date, "date"),
    (datetime.time, "time"),
    (uuid.UUID, "uuid"),
    (decimal.Decimal, "decimal"),
)
_DECODERS: dict[str, Any] = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "uuid": uuid.UUID,
    "decimal": decimal.Decimal,
}


@dataclass(frozen=True)
class ChangeEvent:
    """Rows of ``table`` changed by ``op``; ``pks`` are their primary keys, as the database
    returned them. ``seq`` orders the events of one process in commit order."""

    table: str
    op: Op
    pks: tuple[tuple[Any, ...], ...]
    seq: int = 0

    def encode(self) -> bytes:
        """JSON bytes; ``decode`` gives back an equal event, key types included."""
        pks = [[_encode_value(v) for v in pk] for pk in self.pks]
        return orjson.dumps({"table": self.table, "op": self.op, "pks": pks, "seq": self.seq})

    @classmethod
    def decode(cls, data: bytes | str) -> ChangeEvent:
        raw = orjson.loads(data)
        pks = tuple(tuple(_decode_value(v) for v in pk) for pk in raw["pks"])
        return cls(raw["table"], raw["op"], pks, raw.get("seq", 0))


def merge(events: Iterable[ChangeEvent]) -> list[ChangeEvent]:
    """One event per table and operation, in the order each first occurred; keys in the
    order written, each once."""
    if isinstance(events, list) and len(events) == 1 and len(events[0].pks) == 1:
        return list(events)  # the usual unit: one row written
    merged: dict[tuple[str, str], dict[tuple[Any, ...], None]] = {}
    for event in events:
        merged.setdefault((event.table, event.op), {}).update(dict.fromkeys(event.pks))
    return [ChangeEvent(table, op, tuple(pks)) for (table, op), pks in merged.items()]  # type: ignore[arg-type]


def numbered(events: Iterable[ChangeEvent], first: int) -> list[ChangeEvent]:
    """``events`` with sequence numbers ``first``, ``first + 1``, ..."""
    return [ChangeEvent(e.table, e.op, e.pks, first + i) for i, e in enumerate(events)]


def _encode_value(value: Any) -> Any:
    for kind, tag in _ENCODERS:
        if isinstance(value, kind):
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)
            return [tag, text]
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 2:
        tag, text = value
        if tag == "bytes":
            return bytes.fromhex(text)
        return _DECODERS[tag](text)
    return value
