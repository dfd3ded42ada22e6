"""The bool-exp from its JSON form: Hasura's grammar with model attribute names.

``{"content": {"_ilike": "%hi%"}, "user": {"user_name": {"_eq": "ann"}}}``, with ``_and``,
``_or`` and ``_not``, as REST's ``?where=`` and app code give it. (GraphQL's ``where`` is
read from its own typed input instead, under the schema's names.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ValidationFailed
from ..registry import ModelInfo, Registry
from .boolexp import LIST_OPERATORS, And, BoolExp, Compare, Not, Or, Related, conjoin, operators_for
from .values import coerce


def parse_where(
    registry: Registry, info: ModelInfo, value: Any, path: tuple[str, ...] = ("where",)
) -> BoolExp:
    """The bool-exp ``value`` means for rows of ``info``; errors name the offending key."""
    if not isinstance(value, Mapping):
        raise ValidationFailed("a bool-exp is a JSON object", path=path)
    parts: list[BoolExp] = []
    for key, item in value.items():
        at = (*path, key)
        if key in ("_and", "_or"):
            if not isinstance(item, list):
                raise ValidationFailed(f"{key} takes a list of bool-exps", path=at)
            items = tuple(parse_where(registry, info, v, (*at, str(i))) for i, v in enumerate(item))
            parts.append(And(items) if key == "_and" else Or(items))
        elif key == "_not":
            parts.append(Not(parse_where(registry, info, item, at)))
        elif info.has_relation(key):
            target = registry.target(info, key)
            parts.append(Related(key, parse_where(registry, target, item, at)))
        elif info.has_column(key):
            parts.extend(_comparisons(info, key, item, at))
        else:
            raise ValidationFailed(f"{info.name} has no field {key!r}", path=at)
    return conjoin(*parts)


def _comparisons(info: ModelInfo, name: str, value: Any, path: tuple[str, ...]) -> list[Compare]:
    if not isinstance(value, Mapping):
        raise ValidationFailed('a comparison is an object such as {"_eq": 1}', path=path)
    column = info.column(name)
    allowed = operators_for(column.kind)
    compares = []
    for key, operand in value.items():
        op = key[1:] if key.startswith("_") else ""
        if op not in allowed:
            known = ", ".join(f"_{o}" for o in allowed)
            raise ValidationFailed(f"unknown operator {key!r}; one of {known}", path=(*path, key))
        if operand is None:
            raise ValidationFailed(f"{key} does not take null; use _is_null", path=(*path, key))
        if op in LIST_OPERATORS and not isinstance(operand, list):
            raise ValidationFailed(f"{key} takes a list", path=(*path, key))
        if op == "is_null" and not isinstance(operand, bool):
            raise ValidationFailed("_is_null takes true or false", path=(*path, key))
        at = (*path, key)
        if op == "is_null":
            compares.append(Compare(name, "is_null", operand))
        elif op in LIST_OPERATORS:
            items = tuple(coerce(column, v, (*at, str(i))) for i, v in enumerate(operand))
            compares.append(Compare(name, op, items))  # type: ignore[arg-type]
        else:
            compares.append(Compare(name, op, coerce(column, operand, at)))  # type: ignore[arg-type]
    return compares


__all__ = ["parse_where"]
