"""The neutral bool-exp tree shared by GraphQL ``where`` and REST query parameters.

Names are model attribute names (``user_name``), never a surface's spelling. A leaf value
is either a Python value or a ``Param`` that the caller fills in at execution time, which
lets one compiled statement serve every request of a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

Operator = Literal[
    "eq",
    "neq",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "nin",
    "is_null",
    "like",
    "nlike",
    "ilike",
    "nilike",
    "regex",
    "iregex",
    "nregex",
    "niregex",
    "similar",
    "nsimilar",
]
OPERATORS: tuple[str, ...] = get_args(Operator)
#: Operators that take a list of values.
LIST_OPERATORS: tuple[str, ...] = ("in", "nin")
#: Regular-expression and ``SIMILAR TO`` operators (SQLite runs them through ``omega_match``).
PATTERN_OPERATORS: tuple[str, ...] = ("regex", "iregex", "nregex", "niregex", "similar", "nsimilar")
#: Operators only text columns have.
TEXT_OPERATORS: tuple[str, ...] = ("like", "nlike", "ilike", "nilike", *PATTERN_OPERATORS)


def operators_for(kind: str) -> tuple[str, ...]:
    """The operators a column of this kind can be compared with."""
    return tuple(op for op in OPERATORS if op not in TEXT_OPERATORS or kind == "string")


@dataclass(frozen=True)
class Param:
    """A value given at execution time under ``name``."""

    name: str


@dataclass(frozen=True)
class Compare:
    """``column <op> value``."""

    column: str
    op: Operator
    value: Any


@dataclass(frozen=True)
class And:
    items: tuple[BoolExp, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[BoolExp, ...]


@dataclass(frozen=True)
class Not:
    item: BoolExp


@dataclass(frozen=True)
class Related:
    """Rows whose ``relation`` has a related row matching ``where`` (EXISTS)."""

    relation: str
    where: BoolExp


@dataclass(frozen=True)
class Settled:
    """Rows whose ``column`` no transaction still in flight can precede: past ``after`` (a
    value or ``Param``), in the direction given, none of the rows up to this one was
    committed by a transaction that overlaps one still running. A stream reads only
    settled rows, so that a row committed late with an earlier key is never skipped. On
    SQLite, where writes commit one at a time in key order, every row is settled."""

    column: str
    after: Any
    descending: bool = False


BoolExp = Compare | And | Or | Not | Related | Settled

TRUE: BoolExp = And(())


def conjoin(*items: BoolExp | None) -> BoolExp:
    """``And`` of the given expressions, skipping ``None`` and flattening."""
    parts: list[BoolExp] = []
    for item in items:
        if item is None:
            continue
        parts.extend(item.items if isinstance(item, And) else (item,))
    return parts[0] if len(parts) == 1 else And(tuple(parts))
