"""GraphQL input and enum types generated for each model: bool-exps, orderings, insert,
update and conflict inputs.

Every generated input field carries ``extensions["omega"]``: what it means to the engine
(a column, a relationship, an operator), so translation never parses names.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from ..query.boolexp import LIST_OPERATORS, operators_for
from ..query.ordering import DIRECTIONS
from ..registry import ColumnInfo, ModelInfo, Naming, Registry
from .scalars import Scalars


def nn(t: Any) -> Any:
    return GraphQLNonNull(t)


def list_of(t: Any) -> Any:
    return GraphQLList(GraphQLNonNull(t))


class InputTypes:
    """Builds and caches the generated input and enum types of every model."""

    def __init__(self, registry: Registry, naming: Naming) -> None:
        self.registry = registry
        self.n = naming
        self.scalars = Scalars(naming)
        self._cache: dict[tuple[str, str], Any] = {}
        self._comparison: dict[str, GraphQLInputObjectType] = {}

    def _once(self, info: ModelInfo, kind: str, make: Any) -> Any:
        key = (info.table, kind)
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def scalar(self, column: ColumnInfo) -> GraphQLScalarType:
        return self.scalars.of(column.kind)

    # ---- shared enums and inputs ----------------------------------------------------

    @cached_property
    def order_by(self) -> GraphQLEnumType:
        return GraphQLEnumType(
            self.n.type("order_by"),
            {self.n.enum_value(d): GraphQLEnumValue(d) for d in DIRECTIONS},
            description="column ordering options",
        )

    @cached_property
    def cursor_ordering(self) -> GraphQLEnumType:
        return GraphQLEnumType(
            self.n.type("cursor_ordering"),
            {
                self.n.enum_value("asc"): GraphQLEnumValue(
                    "asc", description="ascending ordering of the cursor"
                ),
                self.n.enum_value("desc"): GraphQLEnumValue(
                    "desc", description="descending ordering of the cursor"
                ),
            },
            description="ordering argument of a cursor",
        )

    def stream_cursor_input(self, info: ModelInfo) -> GraphQLInputObjectType:
        def make() -> GraphQLInputObjectType:
            value = GraphQLInputObjectType(
                self.n.type(info.table, "stream_cursor_value_input"),
                {
                    self.n.field(c.name): GraphQLInputField(
                        self.scalar(c), extensions={"omega": ("column", c.name)}
                    )
                    for c in info.columns
                    if c.is_comparable
                },
                description="Initial value of the column from where the streaming should start",
            )
            return GraphQLInputObjectType(
                self.n.type(info.table, "stream_cursor_input"),
                {
                    self.n.field("initial_value"): GraphQLInputField(
                        nn(value),
                        description="Stream column input with initial value",
                        extensions={"omega": "initial_value"},
                    ),
                    "ordering": GraphQLInputField(
                        self.cursor_ordering,
                        description="cursor ordering",
                        extensions={"omega": "ordering"},
                    ),
                },
                description=f'Streaming cursor of the table "{info.table}"',
            )

        return self._once(info, "stream_cursor_input", make)  # type: ignore[no-any-return]

    def comparison(self, column: ColumnInfo) -> GraphQLInputObjectType:
        scalar = self.scalar(column)
        if scalar.name not in self._comparison:
            ops = operators_for(column.kind)

            def fields() -> dict[str, GraphQLInputField]:
                out = {}
                for op in ops:
                    if op in LIST_OPERATORS:
                        t: GraphQLInputType = list_of(scalar)
                    elif op == "is_null":
                        t = GraphQLBoolean
                    else:
                        t = scalar
                    out[self.n.operator(f"_{op}")] = GraphQLInputField(t, extensions={"omega": op})
                return out

            self._comparison[scalar.name] = GraphQLInputObjectType(
                self.n.type(scalar.name, "comparison_exp"),
                fields,
                description=f"Boolean expression to compare columns of type {scalar.name}.",
            )
        return self._comparison[scalar.name]

    # ---- per model: inputs and enums -----------------------------------------------

    def select_column(self, info: ModelInfo) -> GraphQLEnumType:
        return self._once(  # type: ignore[no-any-return]
            info,
            "select_column",
            lambda: GraphQLEnumType(
                self.n.type(info.table, "select_column"),
                {self.n.field(c.name): GraphQLEnumValue(c.name) for c in info.columns},
                description=f'select columns of table "{info.table}"',
            ),
        )

    def update_column(self, info: ModelInfo) -> GraphQLEnumType:
        return self._once(  # type: ignore[no-any-return]
            info,
            "update_column",
            lambda: GraphQLEnumType(
                self.n.type(info.table, "update_column"),
                {self.n.field(c.name): GraphQLEnumValue(c.name) for c in info.columns},
                description=f'update columns of table "{info.table}"',
            ),
        )

    def constraint(self, info: ModelInfo) -> GraphQLEnumType:
        return self._once(  # type: ignore[no-any-return]
            info,
            "constraint",
            lambda: GraphQLEnumType(
                self.n.type(info.table, "constraint"),
                {u.name: GraphQLEnumValue(u.name) for u in info.uniques},
                description=f'unique or primary key constraints on table "{info.table}"',
            ),
        )

    def bool_exp(self, info: ModelInfo) -> GraphQLInputObjectType:
        def make() -> GraphQLInputObjectType:
            def fields() -> dict[str, GraphQLInputField]:
                me = self.bool_exp(info)
                out: dict[str, GraphQLInputField] = {
                    "_and": GraphQLInputField(list_of(me), extensions={"omega": ("and",)}),
                    "_not": GraphQLInputField(me, extensions={"omega": ("not",)}),
                    "_or": GraphQLInputField(list_of(me), extensions={"omega": ("or",)}),
                }
                for c in info.columns:
                    out[self.n.field(c.name)] = GraphQLInputField(
                        self.comparison(c), extensions={"omega": ("column", c.name)}
                    )
                for rel in info.relations:
                    target = self.registry.target(info, rel.name)
                    out[self.n.field(rel.name)] = GraphQLInputField(
                        self.bool_exp(target), extensions={"omega": ("relation", rel.name)}
                    )
                return out

            return GraphQLInputObjectType(
                self.n.type(info.table, "bool_exp"),
                fields,
                description=f'Boolean expression to filter rows from the table "{info.table}". '
                "All fields are combined with a logical 'AND'.",
            )

        return self._once(info, "bool_exp", make)  # type: ignore[no-any-return]

    def order_input(self, info: ModelInfo) -> GraphQLInputObjectType:
        def make() -> GraphQLInputObjectType:
            def fields() -> dict[str, GraphQLInputField]:
                out = {
                    self.n.field(c.name): GraphQLInputField(
                        self.order_by, extensions={"omega": ("column", c.name)}
                    )
                    for c in info.columns
                }
                for rel in info.relations:
                    target = self.registry.target(info, rel.name)
                    if rel.is_array:
                        out[self.n.field(f"{rel.name}_aggregate")] = GraphQLInputField(
                            self.aggregate_order_input(target),
                            extensions={"omega": ("aggregate", rel.name)},
                        )
                    else:
                        out[self.n.field(rel.name)] = GraphQLInputField(
                            self.order_input(target), extensions={"omega": ("relation", rel.name)}
                        )
                return out

            return GraphQLInputObjectType(
                self.n.type(info.table, "order_by"),
                fields,
                description=f'Ordering options when selecting data from "{info.table}".',
            )

        return self._once(info, "order_by", make)  # type: ignore[no-any-return]

    def aggregate_order_input(self, info: ModelInfo) -> GraphQLInputObjectType:
        """``{count: DESC}`` or ``{max: {postedAt: DESC}}`` over an array relationship."""

        def make() -> GraphQLInputObjectType:
            fields = {"count": GraphQLInputField(self.order_by, extensions={"omega": ("count",)})}
            for function, columns in self.aggregated_columns(info).items():
                if not columns:
                    continue
                per_column = GraphQLInputObjectType(
                    self.n.type(info.table, function, "order_by"),
                    {
                        self.n.field(c.name): GraphQLInputField(
                            self.order_by, extensions={"omega": ("column", c.name)}
                        )
                        for c in columns
                    },
                    description=f'order by {function}() on columns of table "{info.table}"',
                )
                fields[function] = GraphQLInputField(
                    per_column, extensions={"omega": ("function", function)}
                )
            return GraphQLInputObjectType(
                self.n.type(info.table, "aggregate_order_by"),
                fields,
                description=f'order by aggregate values of table "{info.table}"',
            )

        return self._once(info, "aggregate_order_by", make)  # type: ignore[no-any-return]

    def aggregated_columns(self, info: ModelInfo) -> dict[str, list[ColumnInfo]]:
        """The columns each aggregate function applies to."""
        numeric = [c for c in info.columns if c.is_numeric]
        comparable = [c for c in info.columns if c.is_comparable]
        return {"avg": numeric, "max": comparable, "min": comparable, "sum": numeric}

    def insert_input(self, info: ModelInfo) -> GraphQLInputObjectType:
        def make() -> GraphQLInputObjectType:
            def fields() -> dict[str, GraphQLInputField]:
                out = {
                    self.n.field(c.name): GraphQLInputField(
                        self.scalar(c), extensions={"omega": ("column", c.name)}
                    )
                    for c in info.columns
                }
                for rel in info.relations:
                    target = self.registry.target(info, rel.name)
                    out[self.n.field(rel.name)] = GraphQLInputField(
                        self.rel_insert_input(target, rel.is_array),
                        extensions={"omega": ("relation", rel.name)},
                    )
                return out

            return GraphQLInputObjectType(
                self.n.type(info.table, "insert_input"),
                fields,
                description=f'input type for inserting data into table "{info.table}"',
            )

        return self._once(info, "insert_input", make)  # type: ignore[no-any-return]

    def rel_insert_input(self, info: ModelInfo, is_array: bool) -> GraphQLInputObjectType:
        kind = "arr_rel_insert_input" if is_array else "obj_rel_insert_input"

        def make() -> GraphQLInputObjectType:
            data = nn(list_of(self.insert_input(info))) if is_array else nn(self.insert_input(info))

            def fields() -> dict[str, GraphQLInputField]:
                out = {"data": GraphQLInputField(data, extensions={"omega": "data"})}
                if info.uniques:
                    out[self.n.field("on_conflict")] = GraphQLInputField(
                        self.on_conflict(info),
                        description="upsert condition",
                        extensions={"omega": "on_conflict"},
                    )
                return out

            return GraphQLInputObjectType(
                self.n.type(info.table, kind),
                fields,
                description=f"input type for inserting {'array' if is_array else 'object'} "
                f'relation for remote table "{info.table}"',
            )

        return self._once(info, kind, make)  # type: ignore[no-any-return]

    def on_conflict(self, info: ModelInfo) -> GraphQLInputObjectType:
        return self._once(  # type: ignore[no-any-return]
            info,
            "on_conflict",
            lambda: GraphQLInputObjectType(
                self.n.type(info.table, "on_conflict"),
                lambda: {
                    "constraint": GraphQLInputField(
                        nn(self.constraint(info)), extensions={"omega": "constraint"}
                    ),
                    self.n.field("update_columns"): GraphQLInputField(
                        nn(list_of(self.update_column(info))),
                        default_value=[],
                        extensions={"omega": "update_columns"},
                    ),
                    "where": GraphQLInputField(self.bool_exp(info), extensions={"omega": "where"}),
                },
                description=f'on_conflict condition type for table "{info.table}"',
            ),
        )

    def set_input(self, info: ModelInfo) -> GraphQLInputObjectType:
        return self._once(  # type: ignore[no-any-return]
            info,
            "set_input",
            lambda: GraphQLInputObjectType(
                self.n.type(info.table, "set_input"),
                {
                    self.n.field(c.name): GraphQLInputField(
                        self.scalar(c), extensions={"omega": ("column", c.name)}
                    )
                    for c in info.columns
                },
                description=f'input type for updating data in table "{info.table}"',
            ),
        )

    def inc_input(self, info: ModelInfo) -> GraphQLInputObjectType | None:
        numeric = [c for c in info.columns if c.is_numeric]
        if not numeric:
            return None
        return self._once(  # type: ignore[no-any-return]
            info,
            "inc_input",
            lambda: GraphQLInputObjectType(
                self.n.type(info.table, "inc_input"),
                {
                    self.n.field(c.name): GraphQLInputField(
                        self.scalar(c), extensions={"omega": ("column", c.name)}
                    )
                    for c in numeric
                },
                description=f'input type for incrementing numeric columns in table "{info.table}"',
            ),
        )

    def updates_input(self, info: ModelInfo) -> GraphQLInputObjectType:
        """One update of ``update<Table>Many``: its ``where`` with ``_set`` and ``_inc``."""

        def make() -> GraphQLInputObjectType:
            fields = {}
            inc = self.inc_input(info)
            if inc is not None:
                fields["_inc"] = GraphQLInputField(inc, extensions={"omega": "inc"})
            fields["_set"] = GraphQLInputField(self.set_input(info), extensions={"omega": "set"})
            fields["where"] = GraphQLInputField(
                nn(self.bool_exp(info)), extensions={"omega": "where"}
            )
            return GraphQLInputObjectType(self.n.type(info.table, "updates"), fields)

        return self._once(info, "updates", make)  # type: ignore[no-any-return]

    def pk_columns_input(self, info: ModelInfo) -> GraphQLInputObjectType:
        return self._once(  # type: ignore[no-any-return]
            info,
            "pk_columns_input",
            lambda: GraphQLInputObjectType(
                self.n.type(info.table, "pk_columns_input"),
                {
                    self.n.field(c.name): GraphQLInputField(
                        nn(self.scalar(c)), extensions={"omega": ("column", c.name)}
                    )
                    for c in info.pk_columns
                },
                description=f'primary key columns input for table: "{info.table}"',
            ),
        )

    def pk_args(self, info: ModelInfo) -> dict[str, GraphQLArgument]:
        return {
            self.n.field(c.name): GraphQLArgument(
                nn(self.scalar(c)), extensions={"omega": ("pk", c.name)}
            )
            for c in info.pk_columns
        }
