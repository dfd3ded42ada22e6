"""Root-field plans: translated once per document (and structural variable values), then
run per request with nothing left to compile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import cached_property
from typing import Any

import orjson
from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    get_named_type,
)

from ..query.boolexp import And, Compare, Or, Param
from ..query.compile import Compiler
from ..query.execute import Prepared
from ..query.selection import ColumnField, ConstField, ListArgs, Selection
from ..registry import ModelInfo, Registry
from ..service import Unit, delete, insert, matching, update
from .builder import RootSpec
from .translate import Argument, Translator, fields_by_role, omega, response_key

PKS = "0pks"  # not a GraphQL name, so it never clashes with a variable
_PLAIN_KINDS = ("int", "bigint", "string")


@dataclass
class ReadPlan:
    """A query root field: one prepared statement."""

    key: str
    prepared: Prepared
    shape: str  # "list" (rows joined into an array), "one" (first row or null), "value"

    def run(self, connection: Any, variables: Mapping[str, Any]) -> str:
        rows = self.prepared.rows(connection, variables)
        if self.shape == "list":
            return "[" + ",".join(r[0] for r in rows) + "]"
        if not rows or rows[0][0] is None:
            return "null"
        return str(rows[0][0])


@dataclass
class WritePlan:
    """A mutation root field: neutral inputs (with ``Param``s) and the returning read."""

    key: str
    spec: RootSpec
    info: ModelInfo
    inputs: dict[str, Any]
    selection: Selection
    returning: Prepared | None
    response: tuple[tuple[str, str], ...] = ()  # (key, affected_rows|returning|typename:<name>)

    @cached_property
    def has_params(self) -> bool:
        return bool(substitute(self.inputs, _Probe()) != self.inputs)

    def run(self, unit: Unit, variables: Mapping[str, Any]) -> str:
        inputs = substitute(self.inputs, variables) if self.has_params else self.inputs
        kind, info = self.spec.kind, self.info
        path = (self.key,)
        returned: list[str] | None = None
        affected: int | None = None
        if kind in ("insert", "insert_one"):
            first_event = len(unit.events)
            pks = insert(unit, info, inputs["rows"], inputs["on_conflict"], path)
            # As Hasura counts them: every row written, nested ones included.
            affected = sum(len(e.pks) for e in unit.events[first_event:])
        elif kind in ("update", "update_by_pk"):
            pks = update(unit, info, inputs["where"], inputs["set"], inputs["inc"], path)
        elif kind == "update_many":
            responses = []
            for index, one in enumerate(inputs["updates"]):
                pks = update(unit, info, one["where"], one["set"], one["inc"], (*path, str(index)))
                responses.append(self._bulk(pks, self.read(unit, pks, variables), len(pks)))
            return "[" + ",".join(responses) + "]"
        else:
            pks = matching(unit, info, inputs["where"])
            returned = self.read(unit, pks, variables)
            delete(unit, info, pks)
        if returned is None:
            returned = self.read(unit, pks, variables)
        if kind.endswith("_one") or kind.endswith("_by_pk"):
            return returned[0] if returned else "null"
        return self._bulk(pks, returned, len(pks) if affected is None else affected)

    def _bulk(self, pks: list[tuple[Any, ...]], returned: list[str], affected: int) -> str:
        """A mutation response object: ``affectedRows``, ``returning``, ``__typename``."""
        parts = []
        for key, what in self.response:
            if what == "affected_rows":
                parts.append(f'"{key}":{affected}')
            elif what == "returning":
                parts.append(f'"{key}":[' + ",".join(returned) + "]")
            else:
                parts.append(f'"{key}":"{what.partition(":")[2]}"')
        return "{" + ",".join(parts) + "}"

    @cached_property
    def plain_columns(self) -> bool:
        """True when the selection is only columns whose JSON form the driver value has."""
        return all(
            isinstance(f, ColumnField)
            and self.info.column(f.column).kind in _PLAIN_KINDS
            or isinstance(f, ConstField)
            for f in self.selection.fields
        )

    def _plain_json(self, row: Mapping[str, Any]) -> str:
        return orjson.dumps(
            {
                f.key: row[f.column] if isinstance(f, ColumnField) else f.value  # type: ignore[union-attr]
                for f in self.selection.fields
            }
        ).decode()

    def read(
        self, unit: Unit, pks: list[tuple[Any, ...]], variables: Mapping[str, Any]
    ) -> list[str]:
        if not pks or not self.selection.fields:
            return []
        if self.plain_columns and self.spec.kind.startswith("insert"):
            rows = [unit.written.get((self.info.table, pk)) for pk in pks]
            if all(row is not None for row in rows):
                # The insert's RETURNING already holds every value asked for.
                return [self._plain_json(row) for row in rows]  # type: ignore[arg-type]
        prepared = self.returning
        values = dict(variables)
        if prepared is None:  # composite primary key: a statement per request
            compiler = Compiler(unit.registry, unit.connection.dialect.name)
            where = Or(
                tuple(
                    And(
                        tuple(
                            Compare(c, "eq", v)
                            for c, v in zip(self.info.primary_key, pk, strict=True)
                        )
                    )
                    for pk in pks
                )
            )
            stmt = compiler.list_rows(self.info, ListArgs(where=where), self.selection)
            prepared = Prepared(stmt, unit.connection.dialect, compiler.params)
        else:
            values[PKS] = [pk[0] for pk in pks]
        return [r[0] for r in prepared.rows(unit.dbapi, values)]


_LEAVES = (str, int, float, bool, type(None))


class _Probe(dict[str, Any]):
    """Variables under which every ``Param`` reads as a value no input can hold."""

    def get(self, key: str, default: Any = None) -> Any:
        return _PROBED


_PROBED = object()


def substitute(value: Any, variables: Mapping[str, Any]) -> Any:
    """``value`` with every ``Param`` replaced by its variable's value."""
    kind = type(value)
    if kind is Param:
        return variables.get(value.name)
    if kind in _LEAVES:
        return value
    if kind is dict:
        return {k: substitute(v, variables) for k, v in value.items()}
    if kind is list or kind is tuple:
        items = [substitute(v, variables) for v in value]
        return items if kind is list else tuple(items)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(
            value, **{f.name: substitute(getattr(value, f.name), variables) for f in fields(value)}
        )
    return value


class Planner:
    """Builds the plan of one root field with a ``Translator``."""

    def __init__(self, registry: Registry, dialect: Any) -> None:
        self.registry = registry
        self.dialect = dialect

    def plan(
        self, spec: RootSpec, field_def: GraphQLField, node: FieldNode, tr: Translator
    ) -> ReadPlan | WritePlan:
        info = self.registry.by_table(spec.table)
        key = response_key(node)
        compiler = Compiler(self.registry, self.dialect.name)
        out_type: GraphQLObjectType = get_named_type(field_def.type)  # type: ignore[assignment]
        if spec.kind == "select":
            stmt = compiler.list_rows(
                info,
                tr.list_args(info, field_def, node),
                tr.selection(info, out_type, node.selection_set),
            )
            return ReadPlan(key, Prepared(stmt, self.dialect, compiler.params), "list")
        if spec.kind == "select_aggregate":
            stmt = compiler.aggregate(
                info,
                tr.list_args(info, field_def, node),
                tr.aggregate(info, out_type, node.selection_set),
            )
            return ReadPlan(key, Prepared(stmt, self.dialect, compiler.params), "value")
        args = tr.roles(field_def, node)
        if spec.kind == "select_by_pk":
            where = self._pk_where(info, args)
            stmt = compiler.list_rows(
                info,
                ListArgs(where=where, limit=1),
                tr.selection(info, out_type, node.selection_set),
            )
            return ReadPlan(key, Prepared(stmt, self.dialect, compiler.params), "one")
        return self._write(spec, info, key, field_def, node, tr, args, out_type)

    def _pk_where(self, info: ModelInfo, args: Mapping[Any, Argument]) -> Any:
        return And(tuple(Compare(c, "eq", args[("pk", c)].value) for c in info.primary_key))

    def _update(
        self, info: ModelInfo, tr: Translator, parts: Mapping[Any, Argument]
    ) -> dict[str, Any]:
        """``where``, ``set`` and ``inc`` of one update, from its arguments (or, in
        ``updateMany``, the fields of one ``updates`` item)."""
        inc = parts.get("inc")
        if "pk_columns" in parts:
            keys = tr.columns(parts["pk_columns"].type, parts["pk_columns"].value)
            where: Any = And(tuple(Compare(c, "eq", keys[c]) for c in info.primary_key))
        else:
            where = tr.bool_exp(parts["where"].type, parts["where"].value)
        return {
            "where": where,
            "set": tr.columns(parts["set"].type, parts["set"].value),
            "inc": tr.columns(inc.type, inc.value) if inc is not None else {},
        }

    def _write(
        self,
        spec: RootSpec,
        info: ModelInfo,
        key: str,
        field_def: GraphQLField,
        node: FieldNode,
        tr: Translator,
        args: dict[Any, Argument],
        out_type: GraphQLObjectType,
    ) -> WritePlan:
        inputs: dict[str, Any] = {}
        kind = spec.kind
        if kind in ("insert", "insert_one"):
            rows = args["objects"] if kind == "insert" else args["object"]
            input_type: GraphQLInputObjectType = get_named_type(rows.type)  # type: ignore[assignment]
            values = rows.value if kind == "insert" else [rows.value]
            inputs["rows"] = tr.insert_rows(input_type, values)
            conflict = args["on_conflict"]
            inputs["on_conflict"] = tr.on_conflict(conflict.type, conflict.value)
        elif kind in ("update", "update_by_pk"):
            inputs.update(self._update(info, tr, args))
        elif kind == "update_many":
            updates = args["updates"]
            updates_type: GraphQLInputObjectType = get_named_type(updates.type)  # type: ignore[assignment]
            inputs["updates"] = [
                self._update(info, tr, fields_by_role(updates_type, item)) for item in updates.value
            ]
        elif kind == "delete":
            inputs["where"] = tr.bool_exp(args["where"].type, args["where"].value)
        else:
            inputs["where"] = self._pk_where(info, args)

        response: list[tuple[str, str]] = []
        if kind.endswith("_one") or kind.endswith("_by_pk"):
            selection = tr.selection(info, out_type, node.selection_set)
        else:
            selection = Selection()
            for sub in tr.collect(node.selection_set):
                sub_key = response_key(sub)
                if sub.name.value == "__typename":
                    response.append((sub_key, f"typename:{out_type.name}"))
                    continue
                what = omega(out_type.fields[sub.name.value])[0]
                response.append((sub_key, what))
                if what == "returning":
                    selection = tr.selection(
                        info,
                        get_named_type(out_type.fields[sub.name.value].type),
                        sub.selection_set,
                    )  # type: ignore[arg-type]
        returning = None
        if len(info.primary_key) == 1 and selection.fields:
            compiler = Compiler(self.registry, self.dialect.name)
            where = Compare(info.primary_key[0], "in", Param(PKS))
            stmt = compiler.list_rows(info, ListArgs(where=where), selection)
            returning = Prepared(stmt, self.dialect, compiler.params)
        return WritePlan(key, spec, info, inputs, selection, returning, tuple(response))
