"""``build_schema``: the generated root fields of every model, merged with the app's own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    assert_valid_schema,
)

from ..errors import ConfigurationError
from ..registry import ModelInfo, Naming, Registry
from .types import TypeBuilder, list_of, nn

RootKind = Literal[
    "select",
    "select_by_pk",
    "select_aggregate",
    "select_stream",
    "insert",
    "insert_one",
    "update",
    "update_by_pk",
    "update_many",
    "delete",
    "delete_by_pk",
]
MUTATIONS: tuple[str, ...] = tuple(k for k in get_args(RootKind) if not k.startswith("select"))


@dataclass(frozen=True)
class RootSpec:
    """What a generated root field does, for which model."""

    kind: RootKind
    table: str

    @property
    def is_mutation(self) -> bool:
        return self.kind in MUTATIONS


Resolver = Callable[[RootSpec], Callable[..., Any]]


def root_fields(
    types: TypeBuilder, info: ModelInfo, resolver: Resolver
) -> tuple[dict[str, GraphQLField], dict[str, GraphQLField], dict[str, GraphQLField]]:
    """The model's query, mutation and subscription-only (stream) root fields."""
    n, t = types.n, info.table

    def field(
        kind: RootKind, type_: Any, args: dict[str, GraphQLArgument], description: str
    ) -> GraphQLField:
        spec = RootSpec(kind, t)
        return GraphQLField(
            type_, args, resolve=resolver(spec), description=description, extensions={"omega": spec}
        )

    obj = types.object(info)
    query = {
        n.root(t): field(
            "select", nn(list_of(obj)), types.list_args(info), f'fetch data from the table: "{t}"'
        ),
        n.root(t, "aggregate"): field(
            "select_aggregate",
            nn(types.aggregate(info)),
            types.list_args(info),
            f'fetch aggregated fields from the table: "{t}"',
        ),
        n.root(t, "by_pk"): field(
            "select_by_pk",
            obj,
            types.pk_args(info),
            f'fetch data from the table: "{t}" using primary key columns',
        ),
    }
    # Without a unique constraint there is nothing to upsert on: no onConflict, as in Hasura.
    conflict = (
        {
            n.field("on_conflict"): GraphQLArgument(
                types.on_conflict(info),
                description="upsert condition",
                extensions={"omega": "on_conflict"},
            )
        }
        if info.uniques
        else {}
    )
    update_args = {
        "_set": GraphQLArgument(
            types.set_input(info),
            description="sets the columns of the filtered rows to the given values",
            extensions={"omega": "set"},
        )
    }
    inc = types.inc_input(info)
    if inc is not None:
        update_args = {
            "_inc": GraphQLArgument(
                inc,
                description="increments the numeric columns of the filtered rows",
                extensions={"omega": "inc"},
            ),
            **update_args,
        }
    where = {
        "where": GraphQLArgument(
            nn(types.bool_exp(info)),
            description="filter the rows which have to be affected",
            extensions={"omega": "where"},
        )
    }
    response = types.mutation_response(info)
    mutation = {
        n.root("delete", t): field("delete", response, where, f'delete data from the table: "{t}"'),
        n.root("delete", t, "by_pk"): field(
            "delete_by_pk", obj, types.pk_args(info), f'delete single row from the table: "{t}"'
        ),
        n.root("insert", t): field(
            "insert",
            response,
            {
                "objects": GraphQLArgument(
                    nn(list_of(types.insert_input(info))),
                    description="the rows to be inserted",
                    extensions={"omega": "objects"},
                ),
                **conflict,
            },
            f'insert data into the table: "{t}"',
        ),
        n.root("insert", t, "one"): field(
            "insert_one",
            obj,
            {
                "object": GraphQLArgument(
                    nn(types.insert_input(info)),
                    description="the row to be inserted",
                    extensions={"omega": "object"},
                ),
                **conflict,
            },
            f'insert a single row into the table: "{t}"',
        ),
        n.root("update", t): field(
            "update", response, {**update_args, **where}, f'update data of the table: "{t}"'
        ),
        n.root("update", t, "by_pk"): field(
            "update_by_pk",
            obj,
            {
                **update_args,
                n.field("pk_columns"): GraphQLArgument(
                    nn(types.pk_columns_input(info)), extensions={"omega": "pk_columns"}
                ),
            },
            f'update single row of the table: "{t}"',
        ),
        n.root("update", t, "many"): field(
            "update_many",
            GraphQLList(response),
            {
                "updates": GraphQLArgument(
                    nn(list_of(types.updates_input(info))),
                    description="updates to execute, in order",
                    extensions={"omega": "updates"},
                )
            },
            f'update multiples rows of table: "{t}"',
        ),
    }
    stream = {
        n.root(t, "stream"): field(
            "select_stream",
            nn(list_of(obj)),
            {
                n.field("batch_size"): GraphQLArgument(
                    nn(GraphQLInt),
                    description="maximum number of rows returned in a single batch",
                    extensions={"omega": "batch_size"},
                ),
                "cursor": GraphQLArgument(
                    nn(GraphQLList(types.stream_cursor_input(info))),
                    description="cursor to stream the results returned by the query",
                    extensions={"omega": "cursor"},
                ),
                "where": GraphQLArgument(
                    types.bool_exp(info),
                    description="filter the rows returned",
                    extensions={"omega": "where"},
                ),
            },
            f'fetch data from the table in a streaming manner: "{t}"',
        )
    }
    return query, mutation, stream


def build_schema(
    registry: Registry,
    naming: Naming,
    resolver: Resolver,
    custom: GraphQLSchema | None = None,
) -> GraphQLSchema:
    """The schema of ``registry``'s models, merged with the root fields of ``custom``."""
    types = TypeBuilder(registry, naming)
    query: dict[str, GraphQLField] = {}
    mutation: dict[str, GraphQLField] = {}
    streams: dict[str, GraphQLField] = {}
    for info in registry:
        q, m, s = root_fields(types, info, resolver)
        query.update(q)
        mutation.update(m)
        streams.update(s)
    # Every generated query root field is also a live subscription, as in Hasura.
    subscription = {**query, **streams}
    extra: Sequence[GraphQLNamedType] = ()
    if custom is not None:
        _merge(subscription, custom.subscription_type, "subscription")
        _merge(query, custom.query_type, "query")
        _merge(mutation, custom.mutation_type, "mutation")
        extra = [t for name, t in custom.type_map.items() if not name.startswith("__")]
    schema = GraphQLSchema(
        query=GraphQLObjectType("query_root", query),
        mutation=GraphQLObjectType("mutation_root", mutation) if mutation else None,
        subscription=GraphQLObjectType("subscription_root", subscription),
        types=[t for t in extra if t.name not in ("Query", "Mutation", "Subscription")],
    )
    _check_names(schema, custom)
    assert_valid_schema(schema)
    return schema


def _merge(fields: dict[str, GraphQLField], custom: GraphQLObjectType | None, kind: str) -> None:
    if custom is None:
        return
    for name, field in custom.fields.items():
        if name in fields:
            raise ConfigurationError(
                f"custom {kind} field {name!r} clashes with a generated field. "
                "Possible fix: rename the custom field."
            )
        fields[name] = field


def _check_names(schema: GraphQLSchema, custom: GraphQLSchema | None) -> None:
    if custom is None:
        return
    for name, named in custom.type_map.items():
        if name.startswith("__") or name in ("Query", "Mutation", "Subscription"):
            continue
        if schema.type_map.get(name) is not named and name not in (
            "String",
            "Int",
            "Float",
            "Boolean",
            "ID",
        ):
            raise ConfigurationError(
                f"custom type {name!r} clashes with a generated type. Possible fix: rename it."
            )
