"""The neutral tree of requested fields; keys are the response keys a client asked for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .boolexp import BoolExp
from .ordering import OrderTerm


@dataclass(frozen=True)
class ListArgs:
    """Filtering, ordering and paging of a list of rows."""

    where: BoolExp | None = None
    order_by: tuple[OrderTerm, ...] = ()
    limit: Any = None
    offset: Any = None
    distinct_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnField:
    key: str
    column: str


@dataclass(frozen=True)
class ConstField:
    """A value known when planning, such as ``__typename``."""

    key: str
    value: str


@dataclass(frozen=True)
class ObjectField:
    """An object relationship: one related row or null."""

    key: str
    relation: str
    selection: Selection


@dataclass(frozen=True)
class ArrayField:
    """An array relationship with its own arguments."""

    key: str
    relation: str
    args: ListArgs
    selection: Selection


@dataclass(frozen=True)
class AggregateField:
    """``<relation>Aggregate`` (or a root aggregate when ``relation`` is empty)."""

    key: str
    relation: str
    args: ListArgs
    aggregate: AggregateSelection


@dataclass(frozen=True)
class Count:
    key: str
    columns: tuple[str, ...] = ()
    distinct: bool = False


@dataclass(frozen=True)
class ColumnAggregate:
    """``sum``/``avg``/``min``/``max`` over some columns."""

    key: str
    function: str
    columns: tuple[tuple[str, str], ...]  # (response key, column)
    typename: str = ""


@dataclass(frozen=True)
class AggregateSelection:
    """The ``{ aggregate { ... } nodes { ... } }`` part of an aggregate field: each
    ``aggregates`` entry is ``(response key, fields)``, each ``nodes`` entry ``(response key,
    selection)`` (a field may be asked for under several aliases)."""

    aggregates: tuple[tuple[str, tuple[Count | ColumnAggregate | ConstField, ...]], ...] = ()
    nodes: tuple[tuple[str, Selection], ...] = ()
    extra: tuple[ConstField, ...] = ()


Field = ColumnField | ConstField | ObjectField | ArrayField | AggregateField


@dataclass(frozen=True)
class Selection:
    fields: tuple[Field, ...] = field(default_factory=tuple)

    def columns(self) -> tuple[str, ...]:
        return tuple(f.column for f in self.fields if isinstance(f, ColumnField))
