"""A list's query string as the query engine's neutral terms.

``?user_id=3&content__ilike=%hi%&user__user_name=ann&ordering=-posted_at&search=hi
&where={...}&expand=user&limit=20&offset=40``: filters become the same bool-exp GraphQL's
``where`` does, with each value a ``Param``, so one compiled plan serves every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..errors import ValidationFailed
from ..query import BoolExp, Compare, OrderTerm, Param, Related
from ..query.boolexp import LIST_OPERATORS, OPERATORS, Or, conjoin, operators_for
from ..query.values import coerce
from ..query.where import parse_where
from ..registry import ModelInfo, Registry

#: Query parameters that are not filters.
RESERVED = ("limit", "offset", "ordering", "search", "where", "expand", "format")

#: Lookups by their Django names, then every bool-exp operator under its own name.
LOOKUPS: dict[str, str] = {"exact": "eq", "isnull": "is_null", **{op: op for op in OPERATORS}}


@dataclass
class ListQuery:
    """What a list request asks for; ``variables`` hold the ``Param`` values."""

    where: BoolExp | None = None
    order_by: tuple[OrderTerm, ...] = ()
    limit: int = 0
    offset: int = 0
    expand: tuple[str, ...] = ()
    variables: dict[str, Any] = field(default_factory=dict)


def parse_list(
    registry: Registry,
    info: ModelInfo,
    params: Iterable[tuple[str, str]],
    page_size: int,
    max_page_size: int,
) -> ListQuery:
    """The list request the query parameters make; unknown or bad ones are
    ``ValidationFailed`` naming the parameter."""
    query = ListQuery(limit=page_size)
    filters: list[BoolExp] = []
    for name, value in params:
        if name == "limit":
            query.limit = min(_count(name, value, minimum=1), max_page_size)
        elif name == "offset":
            query.offset = _count(name, value, minimum=0)
        elif name == "ordering":
            query.order_by = _ordering(registry, info, value)
        elif name == "search":
            if value:
                filters.append(_search(info, value, query.variables))
        elif name == "where":
            filters.append(_where(registry, info, value))
        elif name == "expand":
            query.expand = parse_expand(info, value)
        elif name == "format":
            if value not in ("json", "api"):
                raise ValidationFailed("format is json or api", path=(name,))
        else:
            filters.append(_filter(registry, info, name, value, query.variables))
    query.where = conjoin(*filters) if filters else None
    if not any(term.path == (pk,) for term in query.order_by for pk in info.primary_key):
        # Pages need a total order: the key breaks ties, as it is the default order.
        query.order_by += tuple(OrderTerm((pk,), "asc") for pk in info.primary_key)
    return query


def _count(name: str, value: str, minimum: int) -> int:
    if not value.isdigit() or int(value) < minimum:
        raise ValidationFailed(f"{name} is a whole number of at least {minimum}", path=(name,))
    return int(value)


def _filter(
    registry: Registry, info: ModelInfo, name: str, value: str, variables: dict[str, Any]
) -> BoolExp:
    """``user__user_name__ilike=ann%``: relations, then a column, then a lookup."""
    parts = name.split("__")
    relations = []
    model = info
    while parts and model.has_relation(parts[0]):
        relations.append(parts[0])
        model = registry.target(model, parts.pop(0))
    if not parts or not model.has_column(parts[0]) or len(parts) > 2:
        raise ValidationFailed(f"unknown filter {name!r}", path=(name,))
    column = model.column(parts[0])
    lookup = parts[1] if len(parts) == 2 else "exact"
    op = LOOKUPS.get(lookup)
    if op is None or op not in operators_for(column.kind):
        known = ", ".join(sorted(k for k, o in LOOKUPS.items() if o in operators_for(column.kind)))
        raise ValidationFailed(f"unknown lookup {lookup!r}; one of {known}", path=(name,))
    exp: BoolExp
    if op == "is_null":
        flag = value.lower()
        if flag not in ("true", "false", "1", "0"):
            raise ValidationFailed(f"{name} is true or false", path=(name,))
        exp = Compare(column.name, "is_null", flag in ("true", "1"))
    else:
        param = f"f{len(variables)}"
        if op in LIST_OPERATORS:
            items = value.split(",") if value else []
            variables[param] = [_value(column, item, name) for item in items]
        else:
            variables[param] = _value(column, value, name)
        exp = Compare(column.name, op, Param(param))  # type: ignore[arg-type]
    for relation in reversed(relations):
        exp = Related(relation, exp)
    return exp


def _value(column: Any, value: str, name: str) -> Any:
    if value == "" and column.kind != "string":
        raise ValidationFailed(f"{name} needs a value", path=(name,))
    return coerce(column, value, (name,))


def _search(info: ModelInfo, text: str, variables: dict[str, Any]) -> BoolExp:
    columns = [c for c in info.columns if c.kind == "string"]
    if not columns:
        raise ValidationFailed(f"{info.name} has no text fields to search", path=("search",))
    param = f"f{len(variables)}"
    # The text itself, not a pattern: its wildcards are escaped.
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    variables[param] = f"%{escaped}%"
    return Or(tuple(Compare(c.name, "ilike", Param(param)) for c in columns))


def _where(registry: Registry, info: ModelInfo, value: str) -> BoolExp:
    try:
        parsed = orjson.loads(value)
    except orjson.JSONDecodeError:
        raise ValidationFailed("where is not valid JSON", path=("where",)) from None
    return parse_where(registry, info, parsed)


def _ordering(registry: Registry, info: ModelInfo, value: str) -> tuple[OrderTerm, ...]:
    terms = []
    for item in value.split(","):
        item = item.strip()
        descending = item.startswith("-")
        parts = item.lstrip("-").split("__")
        model = info
        for relation in parts[:-1]:
            if not model.has_relation(relation) or model.relation(relation).is_array:
                raise ValidationFailed(f"cannot order by {item!r}", path=("ordering",))
            model = registry.target(model, relation)
        if not parts[-1] or not model.has_column(parts[-1]):
            raise ValidationFailed(f"cannot order by {item!r}: no such field", path=("ordering",))
        terms.append(OrderTerm(tuple(parts), "desc" if descending else "asc"))
    return tuple(terms)


def parse_expand(info: ModelInfo, value: str) -> tuple[str, ...]:
    """``?expand=user,twoots``: the relations to embed."""
    # Each once, in the model's order: the answer is the same whatever order was asked.
    asked = {name.strip() for name in value.split(",") if name.strip()}
    for name in asked:
        if not info.has_relation(name):
            raise ValidationFailed(f"{info.name} has no relation {name!r}", path=("expand",))
    return tuple(r.name for r in info.relations if r.name in asked)


__all__ = ["LOOKUPS", "RESERVED", "ListQuery", "parse_expand", "parse_list"]
