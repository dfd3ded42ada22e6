"""Coercion of client values to a column's Python type, shared by every surface."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from ..errors import ValidationFailed
from ..registry.info import ColumnInfo


def coerce(column: ColumnInfo, value: Any, path: tuple[str, ...] = ()) -> Any:
    """``value`` as ``column`` stores it, or ``ValidationFailed`` naming the field."""
    if value is None:
        return None
    try:
        return _COERCERS[column.kind](value)
    except (TypeError, ValueError, decimal.InvalidOperation, OverflowError):
        raise ValidationFailed(
            f"expected a {column.kind} value for {column.name!r}, got {value!r}",
            path=path or (column.name,),
        ) from None


def _int(value: Any) -> int:
    """A 32-bit integer, as GraphQL's ``Int`` and PostgreSQL's ``integer`` hold."""
    return _integer(value, 1 << 31)


def _bigint(value: Any) -> int:
    return _integer(value, 1 << 63)


def _integer(value: Any, bound: int) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise TypeError
    number = int(value)
    if not -bound <= number < bound:
        raise OverflowError
    return number


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError
    return float(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    raise TypeError


def _datetime(value: Any) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        # Naive columns store UTC wall time; an explicit offset is converted, not dropped.
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
        return parsed
    raise TypeError


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    raise TypeError


def _time(value: Any) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, str):
        return datetime.time.fromisoformat(value)
    raise TypeError


def _numeric(value: Any) -> decimal.Decimal:
    if isinstance(value, bool):
        raise TypeError
    return decimal.Decimal(str(value))


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _json(value: Any) -> Any:
    return value


_COERCERS = {
    "int": _int,
    "bigint": _bigint,
    "float": _float,
    "numeric": _numeric,
    "string": _str,
    "bool": _bool,
    "datetime": _datetime,
    "date": _date,
    "time": _time,
    "uuid": _uuid,
    "json": _json,
}
