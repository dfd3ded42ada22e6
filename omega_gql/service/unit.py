"""``Unit``: the work of one transaction, and the change events it records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..events import ChangeEvent
from ..events.change import Op
from ..query.compile import Compiler, ParamSpec
from ..query.execute import Prepared
from ..query.values import coerce
from ..registry import ModelInfo, Registry
from .constraints import violation

T = TypeVar("T")
PK = tuple[Any, ...]


class Unit:
    """The work of one transaction: writes on ``connection`` and the events they cause."""

    def __init__(
        self, registry: Registry, connection: Connection, prepared: dict[Any, Prepared]
    ) -> None:
        self.registry = registry
        self.connection = connection
        self.dbapi: Any = connection.connection.driver_connection
        """The DB-API connection inside this transaction, for prepared statements."""
        self.events: list[ChangeEvent] = []
        # Rows as inserts returned them (raw driver values), by (table, primary key).
        self.written: dict[tuple[str, PK], dict[str, Any]] = {}
        self.open = True
        """False once its transaction has ended."""
        self._prepared = prepared

    def run_prepared(
        self,
        key: Any,
        build: Callable[[], sa.Executable],
        params: dict[str, Any],
        info: ModelInfo | None = None,
    ) -> list[Any]:
        """Run a statement compiled once per ``key``; values bind as ``v_<name>``."""
        prepared = self._prepared.get(key)
        if prepared is None:
            stmt = build()
            prepared = Prepared(stmt, self.connection.dialect, {n: ParamSpec(None) for n in params})
            self._prepared[key] = prepared
        try:
            return prepared.rows(self.dbapi, params)
        except self.connection.dialect.loaded_dbapi.IntegrityError as error:
            raise violation(error, self.registry, info) from None

    def compiler(self) -> Compiler:
        return Compiler(self.registry, self.connection.dialect.name)

    def execute(
        self, stmt: sa.Executable, params: Any = None, info: ModelInfo | None = None
    ) -> sa.CursorResult[Any]:
        """Run a statement; ``info`` is the model it writes, for naming refused constraints."""
        try:
            return self.connection.execute(stmt, params)
        except IntegrityError as error:
            raise violation(error, self.registry, info) from None

    def lock(self, info: ModelInfo, key: Mapping[str, Any]) -> None:
        """Keep other transactions from changing the row with this primary key until this
        one ends. SQLite's write transaction already excludes every other writer."""
        if self.connection.dialect.name == "sqlite":
            return
        table: sa.Table = info.cls.__table__  # type: ignore[attr-defined]
        match = [
            table.c[column.column_name] == coerce(column, key[column.name])
            for column in info.pk_columns
        ]
        first = info.pk_columns[0].column_name
        self.execute(sa.select(table.c[first]).where(*match).with_for_update())

    def record(self, info: ModelInfo, op: Op, pks: list[PK]) -> None:
        """Note a change for the events published after commit; keys as their Python
        types (a driver may return a SQLite timestamp or UUID key as text)."""
        if pks:
            columns = info.pk_columns
            typed = tuple(
                tuple(coerce(c, v) for c, v in zip(columns, pk, strict=True)) for pk in pks
            )
            self.events.append(ChangeEvent(info.table, op, typed))
