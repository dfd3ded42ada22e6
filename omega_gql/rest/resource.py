"""One model as a REST resource: the fields it answers with and how its keys read in URLs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import quote, unquote

from ..errors import NotFound
from ..query import (
    ArrayField,
    ColumnField,
    ListArgs,
    ObjectField,
    Param,
    ReadRequest,
    Selection,
    key_equals,
)
from ..query.boolexp import BoolExp
from ..query.values import coerce
from ..registry import ModelInfo, Registry

#: Expansions whose selection and read are kept per resource.
_KEPT = 64

#: The ``Param`` names a key lookup binds, one per key column.
KEY_PARAMS = "k"


@dataclass(frozen=True)
class Resource:
    """``/api/<name>/`` for the model ``info``."""

    registry: Registry
    info: ModelInfo
    # Built once per expansion asked for: the same objects then find their plans at once.
    _selections: dict[tuple[str, ...], Selection] = field(
        default_factory=dict, compare=False, repr=False
    )
    _by_key: dict[tuple[str, ...], ReadRequest] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def name(self) -> str:
        return self.info.resource

    @cached_property
    def key_where(self) -> BoolExp:
        """The row whose key is the ``k0``, ``k1``... parameters."""
        return key_equals(
            self.info, {c: Param(f"{KEY_PARAMS}{i}") for i, c in enumerate(self.info.primary_key)}
        )

    def by_key(self, expand: tuple[str, ...]) -> ReadRequest:
        """The read of one object by the ``key_where`` parameters."""
        found = self._by_key.get(expand)
        if found is None:
            if len(self._by_key) >= _KEPT:
                self._by_key.clear()
            args = ListArgs(where=self.key_where)
            found = self._by_key[expand] = ReadRequest(
                self.info.table, "one", args, self.selection(expand)
            )
        return found

    def selection(self, expand: tuple[str, ...] = ()) -> Selection:
        """Every column under its attribute name, with the ``expand``ed relations embedded."""
        found = self._selections.get(expand)
        if found is None:
            if len(self._selections) >= _KEPT:
                self._selections.clear()
            found = self._selections[expand] = self._build_selection(expand)
        return found

    def _build_selection(self, expand: tuple[str, ...]) -> Selection:
        fields: list[Any] = [columns_of(self.info)]
        for name in expand:
            relation = self.info.relation(name)
            target = columns_of(self.registry.target(self.info, name))
            if relation.is_array:
                fields.append(ArrayField(name, name, ListArgs(), target))
            else:
                fields.append(ObjectField(name, name, target))
        return Selection(tuple(f for part in fields for f in _fields(part)))

    def key_variables(self, text: str) -> dict[str, Any]:
        """The key in a URL (``3``, or ``1,2`` for a composite key, each part
        percent-encoded) as the ``key_where`` parameters; 404 when it cannot be a key."""
        parts = text.split(",")
        columns = self.info.pk_columns
        if len(parts) != len(columns):
            raise NotFound(f"no {self.info.name} {text!r}")
        try:
            return {
                f"{KEY_PARAMS}{i}": coerce(column, unquote(part))
                for i, (column, part) in enumerate(zip(columns, parts, strict=True))
            }
        except Exception:  # noqa: BLE001 - a value the key cannot hold names no row
            raise NotFound(f"no {self.info.name} {text!r}") from None

    def key_text(self, pk: tuple[Any, ...]) -> str:
        """The URL form of a primary key, its values in key order (see ``key_variables``)."""
        return ",".join(quote(str(value), safe="") for value in pk)


def columns_of(info: ModelInfo) -> Selection:
    return Selection(tuple(ColumnField(c.name, c.name) for c in info.columns))


def _fields(part: Any) -> tuple[Any, ...]:
    return part.fields if isinstance(part, Selection) else (part,)


__all__ = ["Resource", "columns_of"]
