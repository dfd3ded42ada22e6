"""Frozen descriptions of models: what the registry knows and every surface reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ColumnKind = Literal[
    "int",
    "bigint",
    "float",
    "numeric",
    "string",
    "bool",
    "datetime",
    "date",
    "time",
    "uuid",
    "json",
]


@dataclass(frozen=True)
class ColumnInfo:
    """One mapped column; ``name`` is the model attribute, ``column_name`` the SQL name."""

    name: str
    column_name: str
    kind: ColumnKind
    sa_type: Any
    nullable: bool
    has_default: bool
    primary_key: bool

    @property
    def is_required(self) -> bool:
        """True when an insert must give a value."""
        return not self.nullable and not self.has_default

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("int", "bigint", "float", "numeric")

    @property
    def is_comparable(self) -> bool:
        """Columns that have a meaningful ``min``/``max``."""
        return self.kind not in ("bool", "json", "uuid")


@dataclass(frozen=True)
class RelationInfo:
    """A relationship to the model of table ``target``; ``pairs`` join
    ``(local attribute, remote attribute)``."""

    name: str
    target: str
    is_array: bool
    pairs: tuple[tuple[str, str], ...]
    #: the local side holds the foreign key (a many-to-one); an object relationship without
    #: it is a one-to-one whose related row refers to this one
    owns_foreign_key: bool = True


@dataclass(frozen=True)
class UniqueInfo:
    """A primary key or unique constraint; ``name`` is what ``onConflict`` names."""

    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ModelInfo:
    """Everything the engine and surfaces need to know about one model."""

    cls: type
    table: str
    columns: tuple[ColumnInfo, ...]
    primary_key: tuple[str, ...]
    relations: tuple[RelationInfo, ...]
    uniques: tuple[UniqueInfo, ...]
    #: the REST resource (``/api/<resource>/``) and admin name: the table's plural unless
    #: the model sets ``__resource__``
    resource: str = ""
    _columns: dict[str, ColumnInfo] = field(default_factory=dict, compare=False, repr=False)
    _relations: dict[str, RelationInfo] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._columns.update({c.name: c for c in self.columns})
        self._relations.update({r.name: r for r in self.relations})

    @property
    def name(self) -> str:
        return self.cls.__name__

    def column(self, name: str) -> ColumnInfo:
        return self._columns[name]

    def has_column(self, name: str) -> bool:
        return name in self._columns

    def relation(self, name: str) -> RelationInfo:
        return self._relations[name]

    def has_relation(self, name: str) -> bool:
        return name in self._relations

    @property
    def pk_columns(self) -> tuple[ColumnInfo, ...]:
        return tuple(self._columns[n] for n in self.primary_key)
