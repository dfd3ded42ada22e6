"""``WriteService``: runs units of work; the only place that commits and publishes change events."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from ..database import Database
from ..errors import PreconditionFailed
from ..events import Publisher
from ..query.engine import QueryEngine
from ..query.execute import Prepared
from ..registry import Registry
from .plan import WritePlan
from .requests import Precondition, WriteRequest, WriteResult
from .unit import Unit

T = TypeVar("T")

_unit: contextvars.ContextVar[Unit | None] = contextvars.ContextVar("omega_unit", default=None)


def current_unit() -> Unit | None:
    """The unit of work this task writes in (a mutation document's), if one is open."""
    unit = _unit.get()
    return unit if unit is not None and unit.open else None


class WriteService:
    """Runs units of work; the only place that commits and publishes change events."""

    def __init__(self, registry: Registry, database: Database, queries: QueryEngine) -> None:
        self.registry = registry
        self.database = database
        self.queries = queries
        self.events = Publisher()
        # Compiled write statements, by shape; bounded by the number of column sets used.
        self._prepared: dict[Any, Prepared] = {}

    def use_database(self, database: Database) -> None:
        """Write to another database; statements compiled for the old one are dropped."""
        self.database = database
        self.queries.use(database.dialect, database)
        self._prepared.clear()

    def prepare(self, request: WriteRequest) -> WritePlan:
        """``request`` ready to run in units of work, as often as needed."""
        return WritePlan(request, self.registry, self.queries)

    async def write(
        self,
        request: WriteRequest | WritePlan,
        variables: Mapping[str, Any] | None = None,
        precondition: Precondition | None = None,
    ) -> WriteResult:
        """Run one write request (or one ``prepare``d already) in its own unit of work; with
        a ``precondition``, only if it holds when the row is locked."""
        plan = request if isinstance(request, WritePlan) else self.prepare(request)
        given = variables or {}
        if precondition is None:
            return await self.run(lambda unit: plan.run(unit, given))
        check = precondition
        current = self.queries.plan(check.read)
        info = self.registry.by_table(check.read.table)

        def guarded(unit: Unit) -> WriteResult:
            unit.lock(info, check.key)
            if not check.accept(current.run(unit.dbapi, given)):
                raise PreconditionFailed(
                    f"the {info.name} changed since it was read; read it again", path=()
                )
            return plan.run(unit, given)

        return await self.run(guarded)

    async def run(self, fn: Callable[[Unit], T]) -> T:
        """Run ``fn`` in one transaction; publish its events only if it commits.

        Inside ``transaction()`` it runs in that one (undone alone if it raises) and its
        events wait for that commit."""
        held = current_unit()
        if held is not None:
            return await self._in_unit(held, fn)
        units: list[Unit] = []

        def work(connection: Connection) -> T:
            unit = Unit(self.registry, connection, self._prepared)
            units.append(unit)
            return fn(unit)

        if len(self._prepared) > 4096:
            self._prepared.clear()
        result = await self.database.write(work)
        if units:
            await self.events.publish(units[-1].events)
        return result

    async def _in_unit(self, unit: Unit, fn: Callable[[Unit], T]) -> T:
        recorded = len(unit.events)
        try:
            return await self.database.write(lambda _connection: fn(unit))
        except BaseException:
            del unit.events[recorded:]  # its savepoint is rolled back
            raise

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Unit]:
        """One unit of work across awaits: every write this task makes through the service
        (``app.insert``, generated mutations) joins it; it commits when the block ends and
        rolls back if it raises; its events are published after the commit."""
        held = current_unit()
        if held is not None:
            yield held
            return
        async with self.database.transaction() as transaction:
            unit = Unit(self.registry, transaction.connection, self._prepared)
            token = _unit.set(unit)
            try:
                yield unit
            finally:
                unit.open = False
                _unit.reset(token)
        await self.events.publish(unit.events)
