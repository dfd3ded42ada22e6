"""``WritePlan``: a write request prepared once (its read-back compiled through the query
engine), then run per request inside a unit of work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from ..query.boolexp import Param
from ..query.engine import QueryEngine, ReadPlan
from ..query.keys import keys_in
from ..query.params import has_params, substitute
from ..query.request import ReadRequest
from ..query.selection import ColumnField, ConstField, ListArgs, Selection
from ..registry import Registry
from .delete import delete
from .insert import insert
from .requests import PK, Delete, Insert, Update, WriteRequest, WriteResult
from .unit import Unit
from .update import matching, update

_INPUTS: dict[type, tuple[str, ...]] = {
    Insert: ("rows", "on_conflict"),
    Update: ("where", "set", "inc"),
    Delete: ("where",),
}
PKS = "0pks"  # not a GraphQL or column name, so it never clashes with a variable
_PLAIN_KINDS = ("int", "bigint", "string")
_NO_VARIABLES: Mapping[str, Any] = {}


class WritePlan:
    """One write request, ready to run: ``run(unit, variables)`` returns a ``WriteResult``."""

    def __init__(self, request: WriteRequest, registry: Registry, queries: QueryEngine) -> None:
        self.request = request
        self.info = registry.by_table(request.table)
        self.queries = queries
        # The inputs that hold parameters, filled per run; the others are used as they are.
        self._params = tuple(n for n in _INPUTS[type(request)] if has_params(getattr(request, n)))
        selection = request.returning
        kinds = _PLAIN_KINDS + (("datetime",) if queries.dialect.name == "sqlite" else ())
        self._plain = all(
            isinstance(f, ConstField)
            or isinstance(f, ColumnField)
            and self.info.column(f.column).kind in kinds
            for f in selection.fields
        )
        #: SQLite's stored text of the datetime columns the answer holds, as the engine
        #: spells them (see ``JsonSQL.value``)
        self._datetimes = frozenset(
            f.column
            for f in selection.fields
            if isinstance(f, ColumnField) and self.info.column(f.column).kind == "datetime"
        )
        self._returning: ReadPlan | None = None
        if selection.fields and len(self.info.primary_key) == 1:
            self._returning = queries.plan(self._read_back(Param(PKS)))

    def run(
        self,
        unit: Unit,
        variables: Mapping[str, Any] = _NO_VARIABLES,
        path: tuple[str, ...] = (),
    ) -> WriteResult:
        request = self.request
        # Only the inputs hold values; the returning selection binds its own at read-back.
        inputs = {name: substitute(getattr(request, name), variables) for name in self._params}
        info = self.info
        if isinstance(request, Insert):
            rows = inputs.get("rows", request.rows)
            on_conflict = inputs.get("on_conflict", request.on_conflict)
            first_event = len(unit.events)
            pks = insert(unit, info, list(rows), on_conflict, path)
            affected = sum(len(e.pks) for e in unit.events[first_event:])
            return WriteResult(pks, affected, self._read(unit, pks, variables, inserted=True))
        where = inputs.get("where", request.where)
        if isinstance(request, Update):
            set_ = inputs.get("set", request.set)
            inc = inputs.get("inc", request.inc)
            pks = update(unit, info, where, set_, inc, path)
            return WriteResult(pks, len(pks), self._read(unit, pks, variables))
        assert isinstance(request, Delete)
        pks = matching(unit, info, where)
        returned = self._read(unit, pks, variables)
        delete(unit, info, pks)
        return WriteResult(pks, len(pks), returned)

    def _read_back(self, keys: Any) -> ReadRequest:
        where = keys_in(self.info, keys)
        return ReadRequest(
            self.info.table,
            "list",
            ListArgs(where=where),
            self.request.returning,
            self.request.caller,
        )

    def _read(
        self,
        unit: Unit,
        pks: list[PK],
        variables: Mapping[str, Any],
        inserted: bool = False,
    ) -> list[str]:
        selection = self.request.returning
        if not pks or not selection.fields:
            return []
        if inserted and self._plain:
            rows = [unit.written.get((self.info.table, pk)) for pk in pks]
            if all(row is not None for row in rows):
                # The insert's RETURNING already holds every value asked for.
                if self._datetimes:
                    rows = [_iso_datetimes(row, self._datetimes) for row in rows]  # type: ignore[arg-type]
                if all(row is not None for row in rows):
                    return [_plain_json(selection, row) for row in rows]  # type: ignore[arg-type]
        if self._returning is None:  # a composite key: compiled for these keys
            plan = self.queries.plan(self._read_back(pks), cache=False)
            return _texts(plan, unit, variables)
        return _texts(self._returning, unit, {**variables, PKS: [pk[0] for pk in pks]})


def _texts(plan: ReadPlan, unit: Unit, variables: Mapping[str, Any]) -> list[str]:
    return plan.texts(unit.dbapi, variables)


def _iso_datetimes(row: Mapping[str, Any], columns: frozenset[str]) -> dict[str, Any] | None:
    """``row`` with SQLite's datetime text as ISO 8601 without trailing zeros in the
    fraction, as the engine answers it; None when a value is not that text."""
    out = dict(row)
    for column in columns:
        value = out.get(column)
        if value is None:
            continue
        if not isinstance(value, str):
            return None
        iso = value.replace(" ", "T")
        out[column] = iso.rstrip("0").rstrip(".") if "." in iso else iso
    return out


def _plain_json(selection: Selection, row: Mapping[str, Any]) -> str:
    return orjson.dumps(
        {
            f.key: row[f.column] if isinstance(f, ColumnField) else f.value  # type: ignore[union-attr]
            for f in selection.fields
        }
    ).decode()


__all__ = ["PKS", "WritePlan"]
