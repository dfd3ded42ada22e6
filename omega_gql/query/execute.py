"""Runs compiled statements on a DB-API connection and returns plain rows.

A statement is compiled to SQL text once per plan; each request only binds its values,
which skips SQLAlchemy's per-call work (cache keys, result objects) on the hot path.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy.engine import Dialect

from ..errors import OmegaError, ValidationFailed
from .compile import ParamSpec
from .filters import limit_too_large, rows_exceeded
from .values import coerce

# What ``omega_max_rows`` saw on this thread: SQLite reports only that a function raised.
_exceeded = threading.local()
_MAX_ROWS = re.compile(r"omega_max_rows:(\d+)")


def omega_max_rows(count: int) -> None:
    """SQL function (SQLite): fails the statement, a list having ``count`` rows, one more
    than ``max_rows``."""
    _exceeded.count = count
    raise OverflowError("omega_max_rows")


def refused_value(error: Exception) -> OmegaError | None:
    """A database's refusal of a value (an invalid regular expression, say) as the client's
    error; anything else stays unexpected."""
    count = getattr(_exceeded, "count", None)
    if count is not None:
        _exceeded.count = None
        return rows_exceeded(count - 1)
    found = _MAX_ROWS.search(str(error))
    if found is not None:
        return rows_exceeded(int(found.group(1)) - 1)
    if any(cls.__name__ == "DataError" for cls in type(error).__mro__):
        return ValidationFailed(f"the database refused a value: {str(error).splitlines()[0]}")
    if "user-defined function raised exception" in str(error):
        return ValidationFailed("invalid pattern")
    return None


class Prepared:
    """One statement's SQL text with its binding recipe."""

    __slots__ = ("sql", "_order", "_defaults", "_processors", "_params", "_json_lists")

    def __init__(self, stmt: Any, dialect: Dialect, params: Mapping[str, ParamSpec]) -> None:
        compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        self.sql: str = compiled.string
        self._order: tuple[str, ...] | None = (
            tuple(compiled.positiontup or ()) if compiled.positional else None
        )
        self._defaults: dict[str, Any] = dict(compiled.construct_params(_check=False))
        self._processors = dict(compiled._bind_processors)
        self._params = {f"v_{name}": spec for name, spec in params.items()}
        self._json_lists = dialect.name == "sqlite"
        for name, fn in self._processors.items():
            if (
                name in self._defaults
                and name not in self._params
                and self._defaults[name] is not None
            ):
                self._defaults[name] = fn(self._defaults[name])

    def weight(self) -> int:
        """The length of the SQL and of the bound values, a measure of memory held."""
        return len(self.sql) + sum(
            len(value)
            if isinstance(value, (str, bytes))
            else 16 * len(value)
            if isinstance(value, (list, tuple))
            else 8
            for value in self._defaults.values()
        )

    def bind(self, variables: Mapping[str, Any]) -> Any:
        """The DB-API parameters for one execution with these variable values."""
        values = self._defaults
        if self._params:
            values = dict(values)
            for bind_name, spec in self._params.items():
                value = variables.get(bind_name[2:])
                if spec.is_list:
                    values[bind_name] = self._list(spec, value or ())
                    continue
                if spec.column is not None:
                    value = coerce(spec.column, value, (bind_name[2:],))
                elif spec.is_page and (not isinstance(value, int) or value < 0):
                    raise ValidationFailed(
                        f"${bind_name[2:]} must be a non-negative integer", path=(bind_name[2:],)
                    )
                elif spec.maximum is not None and isinstance(value, int) and value > spec.maximum:
                    raise limit_too_large(value, spec.maximum, (bind_name[2:],))
                fn = self._processors.get(bind_name)
                values[bind_name] = fn(value) if fn is not None and value is not None else value
        if self._order is None:
            return values
        return tuple(values[name] for name in self._order)

    def _list(self, spec: ParamSpec, items: Any) -> Any:
        column = spec.column
        values = [coerce(column, v) if column is not None else v for v in items]
        if not self._json_lists:
            return values
        if spec.item is not None:
            values = [spec.item(v) for v in values]
        return orjson.dumps(values).decode()

    def rows(self, connection: Any, variables: Mapping[str, Any]) -> list[Any]:
        """Execute on a DB-API connection and fetch every row."""
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, self.bind(variables))
            return cursor.fetchall()  # type: ignore[no-any-return]
        except Exception as error:
            refused = refused_value(error)
            if refused is None:
                raise
            raise refused from error
        finally:
            cursor.close()
