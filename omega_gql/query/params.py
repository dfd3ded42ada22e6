"""Filling ``Param``s into neutral trees (bool-exps, write inputs) at execution time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from typing import Any

from .boolexp import Param

_LEAVES = (str, int, float, bool, type(None))


def substitute(value: Any, variables: Mapping[str, Any]) -> Any:
    """``value`` with every ``Param`` replaced by its variable's value."""
    kind = type(value)
    if kind is Param:
        return variables.get(value.name)
    if kind in _LEAVES:
        return value
    if kind is dict:
        return {k: substitute(v, variables) for k, v in value.items()}
    if kind is list or kind is tuple:
        items = [substitute(v, variables) for v in value]
        return items if kind is list else tuple(items)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(
            value, **{f.name: substitute(getattr(value, f.name), variables) for f in fields(value)}
        )
    return value


class _Probe(dict[str, Any]):
    """Variables under which every ``Param`` reads as a value no input can hold."""

    def get(self, key: str, default: Any = None) -> Any:
        return _PROBED


_PROBED = object()


def has_params(value: Any) -> bool:
    """True when ``value`` holds a ``Param`` anywhere."""
    return bool(substitute(value, _Probe()) != value)


__all__ = ["has_params", "substitute"]
