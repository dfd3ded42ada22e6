"""Variable coercion with a fast path for documents whose variables are plain scalars.

graphql-core's coercion walks type ASTs on every request; for ``$id: Int!`` and the like a
direct check gives the same result. Anything else, and every failure (so that error
messages stay graphql-core's), takes graphql-core's path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLError,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLScalarType,
    GraphQLSchema,
    NamedTypeNode,
    NonNullTypeNode,
    VariableDefinitionNode,
)
from graphql.execution.values import get_variable_values

ScalarSpec = tuple[str, GraphQLScalarType, bool]  # name, scalar, non-null
_INT_RANGE = range(-(2**31), 2**31)


def scalar_specs(
    schema: GraphQLSchema, definitions: tuple[VariableDefinitionNode, ...]
) -> tuple[ScalarSpec, ...] | None:
    """The fast-path description of these variables, or None if one is not a plain scalar."""
    specs = []
    for definition in definitions:
        if definition.default_value is not None or definition.directives:
            return None
        node = definition.type
        non_null = isinstance(node, NonNullTypeNode)
        named = node.type if isinstance(node, NonNullTypeNode) else node
        if not isinstance(named, NamedTypeNode):
            return None
        scalar = schema.get_type(named.name.value)
        if not isinstance(scalar, GraphQLScalarType):
            return None
        specs.append((definition.variable.name.value, scalar, non_null))
    return tuple(specs)


def _fast(specs: tuple[ScalarSpec, ...], inputs: Mapping[str, Any]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    for name, scalar, non_null in specs:
        if name not in inputs:
            if non_null:
                return None
            continue
        value = inputs[name]
        if value is None:
            if non_null:
                return None
        elif scalar is GraphQLInt:
            if type(value) is not int or value not in _INT_RANGE:
                return None
        elif scalar is GraphQLBoolean:
            if type(value) is not bool:
                return None
        elif scalar is GraphQLFloat:
            if type(value) not in (int, float):
                return None
            value = float(value)
        elif scalar is GraphQLID:
            if type(value) not in (str, int):
                return None
            value = str(value)
        elif scalar.name == "String":
            if type(value) is not str:
                return None
        else:
            try:
                value = scalar.parse_value(value)
            except (GraphQLError, ValueError, TypeError):
                return None
        out[name] = value
    return out


def coerce_variables(
    schema: GraphQLSchema,
    definitions: tuple[VariableDefinitionNode, ...],
    specs: tuple[ScalarSpec, ...] | None,
    inputs: Mapping[str, Any],
) -> dict[str, Any] | list[GraphQLError]:
    """Coerced variable values, or graphql-core's errors."""
    if specs is not None:
        fast = _fast(specs, inputs)
        if fast is not None:
            return fast
    raw = get_variable_values(schema, definitions, dict(inputs))
    if isinstance(raw, list):
        return raw
    return plain_variables(raw)


def plain_variables(variables: Any) -> dict[str, Any]:
    """Coerced variables as a dict (graphql-core 3.3 wraps them in ``VariableValues``)."""
    return dict(getattr(variables, "coerced", variables) or {})
