"""Column kind → GraphQL scalar, with Hasura's scalar names."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLFloat,
    GraphQLInt,
    GraphQLScalarType,
    GraphQLString,
    ValueNode,
    value_from_ast_untyped,
)

from ..registry.info import ColumnKind
from ..registry.naming import Naming

HASURA_NAMES: dict[ColumnKind, str] = {
    "int": "Int",
    "bigint": "bigint",
    "float": "Float",
    "numeric": "numeric",
    "string": "String",
    "bool": "Boolean",
    "datetime": "timestamp",
    "date": "date",
    "time": "time",
    "uuid": "uuid",
    "json": "jsonb",
}
BUILT_IN = {
    "Int": GraphQLInt,
    "Float": GraphQLFloat,
    "String": GraphQLString,
    "Boolean": GraphQLBoolean,
}


def _serialize(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def _parse_as(kind: ColumnKind) -> Any:
    def parse(value: Any) -> Any:
        try:
            return _parse(value)
        except (ValueError, TypeError, ArithmeticError) as error:
            raise GraphQLError(f"Expected a {kind} value, got {value!r}: {error}") from None

    def _parse(value: Any) -> Any:
        if kind == "json":
            return value
        if kind in ("bigint",) and isinstance(value, (int, str)) and not isinstance(value, bool):
            return int(value)
        if (
            kind == "numeric"
            and isinstance(value, (int, float, str))
            and not isinstance(value, bool)
        ):
            return decimal.Decimal(str(value))
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {value!r}")
        if kind == "datetime":
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif kind == "date":
            datetime.date.fromisoformat(value)
        elif kind == "time":
            datetime.time.fromisoformat(value)
        elif kind == "uuid":
            uuid.UUID(value)
        return value

    return parse


def _parse_literal(kind: ColumnKind) -> Any:
    parse = _parse_as(kind)

    def parse_literal(node: ValueNode, variables: Any = None) -> Any:
        return parse(value_from_ast_untyped(node, variables))

    return parse_literal


class Scalars:
    """The scalars of one schema, created once per naming convention."""

    def __init__(self, naming: Naming) -> None:
        self.naming = naming
        self._custom: dict[str, GraphQLScalarType] = {}

    def of(self, kind: ColumnKind) -> GraphQLScalarType:
        hasura = HASURA_NAMES[kind]
        if hasura in BUILT_IN:
            return BUILT_IN[hasura]
        name = self.naming.scalar(hasura)
        if name not in self._custom:
            self._custom[name] = GraphQLScalarType(
                name,
                serialize=_serialize,
                parse_value=_parse_as(kind),
                parse_literal=_parse_literal(kind),
            )
        return self._custom[name]
