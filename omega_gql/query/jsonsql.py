"""SQL that builds JSON inside the database, per dialect (SQLite and PostgreSQL).

Building the response in SQL is what lets a whole nested selection cost one statement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from ..errors import ConfigurationError
from ..registry.info import ColumnInfo

SUPPORTED = ("sqlite", "postgresql")
_PAIRS_PER_CALL = 50
_SAFE_KEY = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")


def key(name: str) -> sa.ColumnElement[Any]:
    """A JSON key as an inline SQL literal; GraphQL names cannot need escaping."""
    if not _SAFE_KEY.match(name):
        raise ValueError(f"not a GraphQL name: {name!r}")
    return sa.literal_column(f"'{name}'")


class JsonSQL:
    """JSON constructors of one dialect."""

    def __init__(self, dialect: str) -> None:
        if dialect not in SUPPORTED:
            raise ConfigurationError(
                f"database dialect {dialect!r} is not supported; use SQLite or PostgreSQL"
            )
        self.sqlite = dialect == "sqlite"

    def object(self, pairs: list[tuple[str, sa.ColumnElement[Any]]]) -> sa.ColumnElement[Any]:
        if len(pairs) > _PAIRS_PER_CALL:
            return self._wide_object(pairs)
        args: list[sa.ColumnElement[Any]] = []
        for name, expr in pairs:
            args += [key(name), expr]
        return sa.func.json_object(*args) if self.sqlite else sa.func.json_build_object(*args)

    def _wide_object(self, pairs: list[tuple[str, sa.ColumnElement[Any]]]) -> sa.ColumnElement[Any]:
        """An object of more keys than one function call may take (SQLite allows 127
        arguments, PostgreSQL 100): objects of chunks, spliced as text in key order."""
        chunks = [
            sa.cast(self.object(pairs[i : i + _PAIRS_PER_CALL]), sa.Text)
            for i in range(0, len(pairs), _PAIRS_PER_CALL)
        ]
        comma: sa.ColumnElement[Any] = sa.literal_column("','")
        parts: list[sa.ColumnElement[Any]] = [
            sa.func.substr(chunks[0], 1, sa.func.length(chunks[0]) - 1)
        ]
        for chunk in chunks[1:-1]:
            parts += [comma, sa.func.substr(chunk, 2, sa.func.length(chunk) - 2)]
        parts += [comma, sa.func.substr(chunks[-1], 2)]
        # Concatenated as a balanced tree: a chain nests as deep as it is long, past what
        # SQLite's parser takes.
        while len(parts) > 1:
            joined = [parts[i].op("||")(parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
            parts = joined + parts[len(joined) * 2 :]
        text = parts[0]
        return sa.func.json(text) if self.sqlite else sa.cast(text, sa.JSON)

    def pattern(
        self, op: str, column: sa.ColumnElement[Any], pattern: sa.ColumnElement[Any]
    ) -> sa.ColumnElement[Any]:
        """POSIX regular expressions (``regex``, ``iregex``) and SQL ``SIMILAR TO``, with
        their negations; SQLite runs them through the ``omega_match`` function."""
        negated = op.startswith("n")
        kind = op[1:] if negated else op
        if self.sqlite:
            matched = sa.func.omega_match(kind, pattern, column)
            return matched == (0 if negated else 1)
        if kind == "similar":
            return column.op("NOT SIMILAR TO" if negated else "SIMILAR TO")(pattern)
        operator = {"regex": "~", "iregex": "~*"}[kind]
        return column.op(("!" if negated else "") + operator)(pattern)

    def text(self, expr: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        """A top-level result as JSON text, which drivers pass through unparsed."""
        return expr if self.sqlite else sa.cast(expr, sa.Text)

    def embed(self, expr: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        """A JSON text from a subquery, nested as JSON rather than as a string."""
        return sa.func.json(expr) if self.sqlite else expr

    def array(self, expr: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        """Aggregate JSON values of a (pre-ordered) subquery into an array, ``[]`` when empty."""
        if self.sqlite:
            return sa.func.json_group_array(sa.func.json(expr))
        return sa.func.coalesce(sa.func.json_agg(expr), sa.literal_column("'[]'::json"))

    def capped_array(self, expr: sa.ColumnElement[Any], max_rows: int) -> sa.ColumnElement[Any]:
        """``array(expr)`` of at most ``max_rows`` rows; more make the statement fail with an
        error ``rows_exceeded`` recognises (``omega_max_rows``)."""
        count = sa.func.count()
        if self.sqlite:
            refused: sa.ColumnElement[Any] = sa.func.omega_max_rows(count)
        else:
            # Not a constant, or PostgreSQL would fail while planning: the count is in it.
            text = sa.literal_column("'omega_max_rows:'").op("||")(sa.cast(count, sa.Text))
            refused = sa.cast(sa.cast(sa.cast(text, sa.Integer), sa.Text), sa.JSON)
        return sa.case((count > max_rows, refused), else_=self.array(expr))

    def key_array(self, columns: Sequence[sa.ColumnElement[Any]]) -> sa.ColumnElement[Any]:
        """A row's key as a JSON array, nested in a JSON result."""
        return sa.func.json_array(*columns) if self.sqlite else sa.func.json_build_array(*columns)

    def key_text(self, columns: Sequence[sa.ColumnElement[Any]]) -> sa.ColumnElement[Any]:
        """A row's key as the text of a JSON array."""
        return self.text(self.key_array(columns))

    def key_in(
        self, columns: Sequence[sa.ColumnElement[Any]], keys: sa.BindParameter[Any]
    ) -> sa.ColumnElement[Any]:
        """Whether a row's key is one of ``keys``, the text of a JSON list of key arrays."""
        if self.sqlite:
            items = sa.func.json_each(keys)
            listed: sa.Select[Any] = sa.select(sa.column("value")).select_from(items)
            return sa.func.json_array(*columns).in_(listed)
        elements = sa.func.jsonb_array_elements(sa.cast(keys, JSONB)).table_valued("value")
        return sa.func.jsonb_build_array(*columns).in_(sa.select(elements.c.value))

    def row_text(self, exprs: Sequence[sa.ColumnElement[Any]]) -> sa.ColumnElement[Any]:
        """Several values as one comparable text (a JSON array)."""
        if self.sqlite:
            return sa.func.json_array(*exprs)
        return sa.cast(sa.func.json_build_array(*exprs), sa.Text)

    def string(self, value: str) -> sa.ColumnElement[Any]:
        if not _SAFE_KEY.match(value):
            raise ValueError(f"not a GraphQL name: {value!r}")
        return (
            sa.literal_column(f"'{value}'")
            if self.sqlite
            else sa.literal_column(f"'{value}'::text")
        )

    def value(self, column: ColumnInfo, expr: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        """A column as its JSON value: booleans as true/false, timestamps as ISO 8601 text."""
        if not self.sqlite:
            return expr
        if column.kind == "bool":
            return sa.case(
                (expr.is_(None), sa.null()),
                (expr != 0, sa.func.json("true")),
                else_=sa.func.json("false"),
            )
        if column.kind == "datetime":
            # ISO 8601 spelled as PostgreSQL spells it: no trailing zeros in the fraction.
            iso = sa.func.replace(expr, " ", "T")
            return sa.case(
                (sa.func.instr(expr, ".") > 0, sa.func.rtrim(sa.func.rtrim(iso, "0"), ".")),
                else_=iso,
            )
        if column.kind == "json":
            return sa.func.json(expr)
        return expr
