"""GraphQL object, aggregate and mutation-response types generated for each model.

Every generated field carries ``extensions["omega"]``: what it means to the engine (a
column, a relationship, an aggregate), so translation never parses names.
"""

from __future__ import annotations

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLField,
    GraphQLFloat,
    GraphQLInt,
    GraphQLObjectType,
    GraphQLOutputType,
)

from ..registry import ColumnInfo, ModelInfo
from .inputs import InputTypes, list_of, nn

__all__ = ["TypeBuilder", "list_of", "nn"]


class TypeBuilder(InputTypes):
    """Builds and caches the generated types of every model in ``registry``."""

    # ---- per model: output types ----------------------------------------------------

    def object(self, info: ModelInfo) -> GraphQLObjectType:
        def make() -> GraphQLObjectType:
            def fields() -> dict[str, GraphQLField]:
                out: dict[str, GraphQLField] = {}
                for c in info.columns:
                    t: GraphQLOutputType = self.scalar(c)
                    out[self.n.field(c.name)] = GraphQLField(
                        t if c.nullable else nn(t), extensions={"omega": ("column", c.name)}
                    )
                for rel in info.relations:
                    target = self.registry.target(info, rel.name)
                    if rel.is_array:
                        out[self.n.field(rel.name)] = GraphQLField(
                            nn(list_of(self.object(target))),
                            self.list_args(target),
                            extensions={"omega": ("array", rel.name)},
                        )
                        out[self.n.field(f"{rel.name}_aggregate")] = GraphQLField(
                            nn(self.aggregate(target)),
                            self.list_args(target),
                            extensions={"omega": ("aggregate", rel.name)},
                        )
                    else:
                        required = all(not info.column(local).nullable for local, _ in rel.pairs)
                        obj = self.object(target)
                        out[self.n.field(rel.name)] = GraphQLField(
                            nn(obj) if required else obj, extensions={"omega": ("object", rel.name)}
                        )
                return out

            return GraphQLObjectType(
                self.n.type(info.table),
                fields,
                description=f'columns and relationships of "{info.table}"',
            )

        return self._once(info, "object", make)  # type: ignore[no-any-return]

    def list_args(self, info: ModelInfo) -> dict[str, GraphQLArgument]:
        return {
            self.n.field("distinct_on"): GraphQLArgument(
                list_of(self.select_column(info)),
                description="distinct select on columns",
                extensions={"omega": "distinct_on"},
            ),
            "limit": GraphQLArgument(
                GraphQLInt,
                description="limit the number of rows returned",
                extensions={"omega": "limit"},
            ),
            "offset": GraphQLArgument(
                GraphQLInt, description="skip the first n rows", extensions={"omega": "offset"}
            ),
            self.n.field("order_by"): GraphQLArgument(
                list_of(self.order_input(info)),
                description="sort the rows by one or more columns",
                extensions={"omega": "order_by"},
            ),
            "where": GraphQLArgument(
                self.bool_exp(info),
                description="filter the rows returned",
                extensions={"omega": "where"},
            ),
        }

    def aggregate(self, info: ModelInfo) -> GraphQLObjectType:
        def make() -> GraphQLObjectType:
            return GraphQLObjectType(
                self.n.type(info.table, "aggregate"),
                lambda: {
                    "aggregate": GraphQLField(
                        self.aggregate_fields(info), extensions={"omega": ("aggregate_fields",)}
                    ),
                    "nodes": GraphQLField(
                        nn(list_of(self.object(info))), extensions={"omega": ("nodes",)}
                    ),
                },
                description=f'aggregated selection of "{info.table}"',
            )

        return self._once(info, "aggregate", make)  # type: ignore[no-any-return]

    def aggregate_fields(self, info: ModelInfo) -> GraphQLObjectType:
        def make() -> GraphQLObjectType:
            fields: dict[str, GraphQLField] = {
                "count": GraphQLField(
                    nn(GraphQLInt),
                    {
                        "columns": GraphQLArgument(list_of(self.select_column(info))),
                        "distinct": GraphQLArgument(GraphQLBoolean),
                    },
                    extensions={"omega": ("count",)},
                )
            }
            for function, columns in self.aggregated_columns(info).items():
                if columns:
                    fields[function] = GraphQLField(
                        self.function_fields(info, function, columns),
                        extensions={"omega": ("function", function)},
                    )
            return GraphQLObjectType(
                self.n.type(info.table, "aggregate_fields"),
                fields,
                description=f'aggregate fields of "{info.table}"',
            )

        return self._once(info, "aggregate_fields", make)  # type: ignore[no-any-return]

    def function_fields(
        self, info: ModelInfo, function: str, columns: list[ColumnInfo]
    ) -> GraphQLObjectType:
        def field_type(c: ColumnInfo) -> GraphQLOutputType:
            return GraphQLFloat if function == "avg" else self.scalar(c)

        return GraphQLObjectType(
            self.n.type(info.table, function, "fields"),
            {
                self.n.field(c.name): GraphQLField(
                    field_type(c), extensions={"omega": ("column", c.name)}
                )
                for c in columns
            },
            description=f'aggregate {function} on columns of "{info.table}"',
        )

    def mutation_response(self, info: ModelInfo) -> GraphQLObjectType:
        def make() -> GraphQLObjectType:
            return GraphQLObjectType(
                self.n.type(info.table, "mutation_response"),
                {
                    self.n.field("affected_rows"): GraphQLField(
                        nn(GraphQLInt),
                        description="number of rows affected by the mutation",
                        extensions={"omega": ("affected_rows",)},
                    ),
                    "returning": GraphQLField(
                        nn(list_of(self.object(info))),
                        description="data from the rows affected by the mutation",
                        extensions={"omega": ("returning",)},
                    ),
                },
                description=f'response of any mutation on the table "{info.table}"',
            )

        return self._once(info, "mutation_response", make)  # type: ignore[no-any-return]
