"""Streams: the rows after a cursor, in cursor order, a batch at a time.

A batch reads only settled rows (``Settled``): on PostgreSQL a row whose key was allocated
earlier but committed later than another's is not skipped; the later rows wait until the
transactions still running have ended. ``pending`` says whether rows are being held back
that way, so the follower looks again soon rather than waiting for the next write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import orjson

from .boolexp import Compare, Param, Settled, conjoin
from .engine import QueryEngine, ReadPlan
from .ordering import OrderTerm
from .request import ReadRequest
from .selection import ColumnField, ListArgs, Selection

#: The response key under which each row carries its cursor value (removed before sending).
CURSOR_KEY = "__omega_cursor"
CURSOR_PARAM = "__omega_cursor"

State = Literal["more", "held", "idle"]


@dataclass(frozen=True)
class StreamPlan:
    """The plans of one stream: a batch after the cursor, and the check for held rows."""

    batch: ReadPlan
    pending: ReadPlan | None
    batch_size: Any  # an int or a Param

    @classmethod
    def of(
        cls,
        queries: QueryEngine,
        request: ReadRequest,
        column: str,
        descending: bool,
        batch_size: Any,
    ) -> StreamPlan:
        """``request``'s rows after the cursor on ``column``, ``batch_size`` at a time."""
        after = Compare(column, "lt" if descending else "gt", Param(CURSOR_PARAM))
        assert isinstance(request.selection, Selection)
        selection = Selection((*request.selection.fields, ColumnField(CURSOR_KEY, column)))
        where = request.args.where
        batch = replace(
            request,
            args=ListArgs(
                where=conjoin(where, after, Settled(column, Param(CURSOR_PARAM), descending)),
                order_by=(OrderTerm((column,), "desc" if descending else "asc"),),
                limit=batch_size,
            ),
            selection=selection,
        )
        pending = None
        if queries.dialect.name != "sqlite":
            pending = queries.plan(
                replace(
                    request,
                    args=ListArgs(where=conjoin(where, after), limit=1),
                    selection=Selection((ColumnField(CURSOR_KEY, column),)),
                )
            )
        return cls(queries.plan(batch), pending, batch_size)

    @property
    def tables(self) -> frozenset[str]:
        return self.batch.tables

    def read(
        self, connection: Any, variables: Mapping[str, Any], cursor: Any
    ) -> tuple[list[Any], Any, State]:
        """The next batch after ``cursor``: its rows, the cursor after them, and whether
        more rows wait (a full batch), are held back, or none are there yet."""
        bound = {**variables, CURSOR_PARAM: cursor}
        rows = [orjson.loads(text) for text in self.batch.texts(connection, bound)]
        if rows:
            cursor = rows[-1].pop(CURSOR_KEY)
            for row in rows[:-1]:
                del row[CURSOR_KEY]
        size = self.batch_size
        if isinstance(size, Param):
            size = variables.get(size.name)
        if size is not None and len(rows) >= size:
            return rows, cursor, "more"
        if self.pending is not None and self.pending.texts(
            connection, {**variables, CURSOR_PARAM: cursor}
        ):
            return rows, cursor, "held"
        return rows, cursor, "idle"


__all__ = ["CURSOR_KEY", "StreamPlan"]
