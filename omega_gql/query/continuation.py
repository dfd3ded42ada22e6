"""The statements that finish a split read: each fills the placeholders one ``Cut`` left,
for every row at once, so the statement count follows the selection, never the rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from .compile import KEYS, Compiler, Cut
from .execute import Prepared
from .selection import ArrayField


@dataclass(frozen=True)
class Continuation:
    """Fills ``cut``'s placeholders in parsed results with its own statement's values;
    ``then`` are the continuations of that statement's own cuts."""

    cut: Cut
    prepared: Prepared
    then: tuple[Continuation, ...]

    def fill(self, results: list[Any], connection: Any, variables: Mapping[str, Any]) -> None:
        """Replace the placeholders under each of ``results`` (parsed JSON objects)."""
        *ahead, last = self.cut.path
        holders: list[dict[str, Any]] = []
        _holders(results, tuple(ahead), holders)
        if not holders:
            return
        keys = list({tuple(h[last]): h[last] for h in holders}.values())
        bound = {**variables, KEYS: orjson.dumps(keys).decode()}
        rows = self.prepared.rows(connection, bound)
        objects = [orjson.loads(j) for _, j in rows]
        for continuation in self.then:
            continuation.fill(objects, connection, variables)
        found = {
            tuple(orjson.loads(k)): obj[last] for (k, _), obj in zip(rows, objects, strict=True)
        }
        empty: Any = [] if isinstance(self.cut.field, ArrayField) else None
        for holder in holders:
            holder[last] = found.get(tuple(holder[last]), empty)


def continuations(compiler: Compiler, dialect: Any) -> tuple[Continuation, ...]:
    """The continuations of the cuts ``compiler`` made, each compiled (and split) in turn."""
    made = []
    for cut in compiler.cuts:
        own = Compiler(compiler.registry, dialect.name, compiler.max_rows)
        stmt = own.continuation(cut)
        made.append(
            Continuation(cut, Prepared(stmt, dialect, own.params), continuations(own, dialect))
        )
    return tuple(made)


def _holders(value: Any, path: tuple[str, ...], found: list[dict[str, Any]]) -> None:
    """The objects reached from ``value`` by ``path``, through lists and past nulls."""
    if isinstance(value, list):
        for item in value:
            _holders(item, path, found)
    elif isinstance(value, dict):
        if path:
            _holders(value.get(path[0]), path[1:], found)
        else:
            found.append(value)
