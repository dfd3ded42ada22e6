"""Input rows checked against a model: known fields, coerced values, required columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ConstraintViolation, ValidationFailed
from ..query.values import coerce
from ..registry import ModelInfo


def check_row(
    info: ModelInfo,
    row: Mapping[str, Any],
    path: tuple[str, ...],
    *,
    filled: Iterable[str] = (),
    require: bool = True,
) -> dict[str, Any]:
    """``row``'s column values coerced; ``filled`` columns are set by a related insert."""
    values: dict[str, Any] = {}
    for name, value in row.items():
        if not info.has_column(name):
            if info.has_relation(name):
                continue
            raise ValidationFailed(f"{info.name} has no field {name!r}", path=(*path, name))
        column = info.column(name)
        if value is None and not column.nullable:
            raise _not_null(f"{name!r} may not be null", (*path, name))
        values[name] = coerce(column, value, (*path, name))
    if require:
        skip = set(filled)
        for column in info.columns:
            if column.is_required and column.name not in values and column.name not in skip:
                raise _not_null(f"{column.name!r} is required", (*path, column.name))
    return values


def _not_null(message: str, path: tuple[str, ...]) -> ConstraintViolation:
    # Checked before the database would refuse it, and reported as the database would
    # (Hasura's code), but naming the field.
    return ConstraintViolation(f"Not-NULL violation: {message}", path=path, constraint="not-null")


def check_columns(info: ModelInfo, names: Iterable[str], path: tuple[str, ...]) -> None:
    for name in names:
        if not info.has_column(name):
            raise ValidationFailed(f"{info.name} has no column {name!r}", path=(*path, name))
