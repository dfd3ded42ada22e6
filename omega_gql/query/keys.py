"""Primary-key conditions as bool-exps: the one place a key becomes a filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..registry import ModelInfo
from .boolexp import And, BoolExp, Compare, Or, Param


def key_equals(info: ModelInfo, values: Mapping[str, Any]) -> BoolExp:
    """The row whose key columns equal ``values`` (by attribute; values may be ``Param``s)."""
    return And(tuple(Compare(c, "eq", values[c]) for c in info.primary_key))


def keys_in(info: ModelInfo, keys: Sequence[tuple[Any, ...]] | Param) -> BoolExp:
    """The rows with any of these keys.

    A ``Param`` (single-column keys only) is bound at execution, so one statement serves
    every list of keys.
    """
    if isinstance(keys, Param):
        if len(info.primary_key) != 1:
            raise ValueError(f"{info.name} has a composite key; give the keys themselves")
        return Compare(info.primary_key[0], "in", keys)
    if len(info.primary_key) == 1:
        return Compare(info.primary_key[0], "in", tuple(k[0] for k in keys))
    return Or(tuple(key_equals(info, dict(zip(info.primary_key, k, strict=True))) for k in keys))


__all__ = ["key_equals", "keys_in"]
