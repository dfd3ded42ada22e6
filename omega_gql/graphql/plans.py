"""GraphQL root fields → neutral requests, planned once per document, and the framing of
their answers. The engine's plans do the work; this module only translates and frames."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    get_named_type,
)

from ..errors import ValidationFailed
from ..query.boolexp import Param
from ..query.caller import ANONYMOUS, Caller
from ..query.engine import QueryEngine, ReadPlan
from ..query.keys import key_equals
from ..query.request import ReadRequest
from ..query.selection import ListArgs, Selection
from ..query.stream import State, StreamPlan
from ..registry import ModelInfo, Registry
from ..service import Delete, Insert, Unit, Update, WritePlan, WriteRequest, WriteService
from ..service.requests import WriteResult
from .builder import RootSpec
from .translate import Argument, Translator, fields_by_role, omega, response_key


@dataclass(frozen=True)
class ReadField:
    """A query root field: one read plan, whose JSON text is the field's value."""

    key: str
    plan: ReadPlan

    def run(self, connection: Any, variables: Mapping[str, Any]) -> str:
        return self.plan.run(connection, variables)


@dataclass(frozen=True)
class StreamField:
    """A stream root field: the engine's stream plan and where its cursor starts (a value or
    a ``Param``)."""

    key: str
    plan: StreamPlan
    initial: Any

    def start(self, variables: Mapping[str, Any]) -> Any:
        if isinstance(self.initial, Param):
            return variables.get(self.initial.name)
        return self.initial

    def read(
        self, connection: Any, variables: Mapping[str, Any], cursor: Any
    ) -> tuple[str | None, Any, State]:
        """The next batch as the field's JSON text (None when empty), the cursor after it,
        and what follows (see ``StreamPlan.read``)."""
        rows, cursor, state = self.plan.read(connection, variables, cursor)
        return (orjson.dumps(rows).decode() if rows else None), cursor, state


@dataclass(frozen=True)
class WriteField:
    """A mutation root field: its write plans (several for ``updateMany``) and how the
    answer is framed."""

    key: str
    kind: str
    plans: tuple[WritePlan, ...]
    #: (response key, ``affected_rows`` | ``returning`` | ``typename:<name>``) of a bulk answer
    response: tuple[tuple[str, str], ...] = ()

    def run(self, unit: Unit, variables: Mapping[str, Any]) -> str:
        path = (self.key,)
        if self.kind == "update_many":
            results = [
                plan.run(unit, variables, (*path, str(i))) for i, plan in enumerate(self.plans)
            ]
            return "[" + ",".join(self._bulk(r) for r in results) + "]"
        result = self.plans[0].run(unit, variables, path)
        if self.kind.endswith("_one") or self.kind.endswith("_by_pk"):
            return result.returning[0] if result.returning else "null"
        return self._bulk(result)

    def _bulk(self, result: WriteResult) -> str:
        """A mutation response object: ``affectedRows``, ``returning``, ``__typename``."""
        parts = []
        for key, what in self.response:
            if what == "affected_rows":
                parts.append(f'"{key}":{result.affected}')
            elif what == "returning":
                parts.append(f'"{key}":[' + ",".join(result.returning) + "]")
            else:
                parts.append(f'"{key}":"{what.partition(":")[2]}"')
        return "{" + ",".join(parts) + "}"


RootPlan = ReadField | WriteField | StreamField


class Planner:
    """Translates one generated root field into a plan of the query engine or the write
    service."""

    def __init__(self, registry: Registry, queries: QueryEngine, writes: WriteService) -> None:
        self.registry = registry
        self.queries = queries
        self.writes = writes

    def plan(
        self,
        spec: RootSpec,
        field_def: GraphQLField,
        node: FieldNode,
        tr: Translator,
        caller: Caller = ANONYMOUS,
    ) -> RootPlan:
        info = self.registry.by_table(spec.table)
        key = response_key(node)
        out_type: GraphQLObjectType = get_named_type(field_def.type)  # type: ignore[assignment]
        if spec.kind == "select":
            request = ReadRequest(
                info.table,
                "list",
                tr.list_args(info, field_def, node),
                tr.selection(info, out_type, node.selection_set),
                caller,
            )
        elif spec.kind == "select_aggregate":
            request = ReadRequest(
                info.table,
                "aggregate",
                tr.list_args(info, field_def, node),
                tr.aggregate(info, out_type, node.selection_set),
                caller,
            )
        elif spec.kind == "select_stream":
            return self._stream(info, key, field_def, node, tr, out_type, caller)
        elif spec.kind == "select_by_pk":
            args = tr.roles(field_def, node)
            request = ReadRequest(
                info.table,
                "one",
                ListArgs(where=self._pk_where(info, args), limit=1),
                tr.selection(info, out_type, node.selection_set),
                caller,
            )
        else:
            return self._write(spec, info, key, field_def, node, tr, out_type, caller)
        return ReadField(key, self.queries.plan(request))

    def _stream(
        self,
        info: ModelInfo,
        key: str,
        field_def: GraphQLField,
        node: FieldNode,
        tr: Translator,
        out_type: GraphQLObjectType,
        caller: Caller,
    ) -> StreamField:
        args = tr.roles(field_def, node)
        cursors = args["cursor"].value
        if isinstance(cursors, Param):
            cursors = tr.variable(cursors.name)
        if not isinstance(cursors, list) or len(cursors) != 1:
            raise ValidationFailed("exactly one cursor is supported", path=(key, "cursor"))
        cursor_type: GraphQLInputObjectType = get_named_type(args["cursor"].type)  # type: ignore[assignment]
        roles = fields_by_role(cursor_type, cursors[0] or {})
        initial = roles["initial_value"]
        value_type: GraphQLInputObjectType = initial.type  # type: ignore[assignment]
        given = [
            (omega(value_type.fields[name])[1], value)
            for name, value in (initial.value or {}).items()
            if value is not None
        ]
        if len(given) != 1:
            raise ValidationFailed(
                "the cursor's initial value names exactly one column",
                path=(key, "cursor", "initialValue"),
            )
        [(column, start)] = given
        ordering = roles["ordering"].value
        where = args["where"]
        request = ReadRequest(
            info.table,
            "list",
            ListArgs(
                where=tr.bool_exp(where.type, where.value) if where.value is not None else None
            ),
            tr.selection(info, out_type, node.selection_set),
            caller,
        )
        plan = StreamPlan.of(
            self.queries, request, column, ordering == "desc", args["batch_size"].value
        )
        return StreamField(key, plan, start)

    def _pk_where(self, info: ModelInfo, args: Mapping[Any, Argument]) -> Any:
        return key_equals(info, {c: args[("pk", c)].value for c in info.primary_key})

    def _update(
        self,
        info: ModelInfo,
        tr: Translator,
        parts: Mapping[Any, Argument],
        returning: Selection,
        caller: Caller,
    ) -> Update:
        """One update, from its arguments (or, in ``updateMany``, one ``updates`` item)."""
        inc = parts.get("inc")
        if "pk_columns" in parts:
            where: Any = key_equals(
                info, tr.columns(parts["pk_columns"].type, parts["pk_columns"].value)
            )
        else:
            where = tr.bool_exp(parts["where"].type, parts["where"].value)
        return Update(
            info.table,
            where,
            tr.columns(parts["set"].type, parts["set"].value),
            tr.columns(inc.type, inc.value) if inc is not None else {},
            returning,
            caller,
        )

    def _write(
        self,
        spec: RootSpec,
        info: ModelInfo,
        key: str,
        field_def: GraphQLField,
        node: FieldNode,
        tr: Translator,
        out_type: GraphQLObjectType,
        caller: Caller,
    ) -> WriteField:
        kind = spec.kind
        response: list[tuple[str, str]] = []
        if kind.endswith("_one") or kind.endswith("_by_pk"):
            returning = tr.selection(info, out_type, node.selection_set)
        else:
            returning = Selection()
            for sub in tr.collect(node.selection_set):
                sub_key = response_key(sub)
                if sub.name.value == "__typename":
                    response.append((sub_key, f"typename:{out_type.name}"))
                    continue
                what = omega(out_type.fields[sub.name.value])[0]
                response.append((sub_key, what))
                if what == "returning":
                    returning = tr.selection(
                        info,
                        get_named_type(out_type.fields[sub.name.value].type),  # type: ignore[arg-type]
                        sub.selection_set,
                    )

        args = tr.roles(field_def, node)
        requests: list[WriteRequest] = []
        if kind in ("insert", "insert_one"):
            rows = args["objects"] if kind == "insert" else args["object"]
            input_type: GraphQLInputObjectType = get_named_type(rows.type)  # type: ignore[assignment]
            values = rows.value if kind == "insert" else [rows.value]
            conflict = args.get("on_conflict")
            requests.append(
                Insert(
                    info.table,
                    tuple(tr.insert_rows(input_type, values)),
                    tr.on_conflict(conflict.type, conflict.value) if conflict else None,
                    returning,
                    caller,
                )
            )
        elif kind in ("update", "update_by_pk"):
            requests.append(self._update(info, tr, args, returning, caller))
        elif kind == "update_many":
            updates = args["updates"]
            updates_type: GraphQLInputObjectType = get_named_type(updates.type)  # type: ignore[assignment]
            requests.extend(
                self._update(info, tr, fields_by_role(updates_type, item), returning, caller)
                for item in updates.value
            )
        elif kind == "delete":
            where = tr.bool_exp(args["where"].type, args["where"].value)
            requests.append(Delete(info.table, where, returning, caller))
        else:
            requests.append(Delete(info.table, self._pk_where(info, args), returning, caller))
        plans = tuple(self.writes.prepare(r) for r in requests)
        return WriteField(key, kind, plans, tuple(response))
