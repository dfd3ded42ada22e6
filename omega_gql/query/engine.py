"""The query engine: a ``ReadRequest`` compiles once into a cached ``ReadPlan``, which runs as
one statement whose rows are JSON text.

Every surface reads through here: GraphQL root fields, REST lists and pages, live queries
(which re-run when one of ``ReadPlan.tables`` changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import orjson

from ..registry import ModelInfo, Registry
from .boolexp import And, BoolExp, Not, Or, Related
from .cache import LRU
from .compile import Compiler
from .continuation import Continuation, continuations
from .execute import Prepared
from .filters import rows_exceeded
from .ordering import OrderTerm
from .request import ReadRequest, Shape
from .selection import (
    AggregateField,
    AggregateSelection,
    ArrayField,
    ListArgs,
    ObjectField,
    Selection,
)

T = TypeVar("T")
_NO_VARIABLES: Mapping[str, Any] = {}


class Reader(Protocol):
    """Where reads run: calls ``fn(dbapi_connection)`` without blocking the event loop."""

    async def read(self, fn: Callable[[Any], T]) -> T: ...


@dataclass(frozen=True)
class ReadPlan:
    """A compiled read: one prepared statement, its result shape and the tables it reads."""

    prepared: Prepared
    shape: Shape
    tables: frozenset[str]
    max_rows: int | None = None  # of a list asked without a limit
    #: the statements filling what nests too deep for this one (usually none)
    then: tuple[Continuation, ...] = ()

    def run(self, connection: Any, variables: Mapping[str, Any] = _NO_VARIABLES) -> str:
        """The JSON text of the result, on a DB-API connection."""
        texts = self.texts(connection, variables)
        if self.shape == "list":
            return "[" + ",".join(texts) + "]"
        if not texts or texts[0] is None:
            return "null"
        return str(texts[0])

    def weight(self) -> int:
        """About how much memory the plan holds: its SQL and bound values, as text."""
        return self.prepared.weight() + sum(c.prepared.weight() for c in self.then)

    def texts(self, connection: Any, variables: Mapping[str, Any] = _NO_VARIABLES) -> list[str]:
        """The JSON text of each row."""
        rows = self.prepared.rows(connection, variables)
        if self.max_rows is not None and len(rows) > self.max_rows:
            raise rows_exceeded(self.max_rows)
        if not self.then:
            return [r[0] for r in rows]
        results = [orjson.loads(r[0]) if r[0] is not None else None for r in rows]
        for continuation in self.then:
            continuation.fill(results, connection, variables)
        return [orjson.dumps(result).decode() for result in results]


class QueryEngine:
    """Plans and runs reads for one registry on one database."""

    def __init__(
        self,
        registry: Registry,
        dialect: Any,
        reader: Reader | None = None,
        cache_size: int = 1024,
        max_rows: int | None = None,
    ) -> None:
        """``max_rows``: rows a list may answer (``Settings.max_rows``); None: any number."""
        self.registry = registry
        self.max_rows = max_rows
        self.dialect = dialect
        self.reader = reader
        # Weighed by SQL text and bound values: literals can be large.
        self._plans = LRU(cache_size, cache_size * 2048)

    def use(self, dialect: Any, reader: Reader | None) -> None:
        """Serve another database; plans compiled for the old one are dropped."""
        self.dialect, self.reader = dialect, reader
        self._plans.clear()

    def plan(self, request: ReadRequest, *, cache: bool = True) -> ReadPlan:
        """The plan of ``request``, compiled once per distinct request when ``cache``.

        Leave ``cache`` off for requests holding literal values that vary per call (keys
        just written, say): give them as ``Param``s to share one plan instead.
        """
        if cache:
            try:
                found = self._plans.use(request)
            except TypeError:  # an unhashable literal somewhere: compile without caching
                return self._compile(request)
            if found is not None:
                return found  # type: ignore[no-any-return]
        plan = self._compile(request)
        if cache:
            self._plans.put(request, plan, plan.weight())
        return plan

    async def read(self, request: ReadRequest, variables: Mapping[str, Any] = _NO_VARIABLES) -> str:
        """Plan (cached) and run ``request``; its result as JSON text."""
        plan = self.plan(request)
        return await self._reader().read(lambda connection: plan.run(connection, variables))

    async def read_all(
        self, plans: Sequence[ReadPlan], variables: Mapping[str, Any] = _NO_VARIABLES
    ) -> list[str]:
        """Run several plans on one connection, in order."""
        return await self._reader().read(
            lambda connection: [plan.run(connection, variables) for plan in plans]
        )

    def tables(self, request: ReadRequest) -> frozenset[str]:
        """Every table ``request`` reads: its own, and those its filters, orderings and
        nested fields reach."""
        return tables_read(self.registry, request)

    def _reader(self) -> Reader:
        if self.reader is None:
            raise RuntimeError("this query engine has no database to read from")
        return self.reader

    def _compile(self, request: ReadRequest) -> ReadPlan:
        info = self.registry.by_table(request.table)
        compiler = Compiler(self.registry, self.dialect.name, self.max_rows)
        selection = request.selection
        args = request.args
        if request.shape == "aggregate":
            if not isinstance(selection, AggregateSelection):
                raise TypeError("an aggregate read takes an AggregateSelection")
            stmt = compiler.aggregate(info, args, selection)
        else:
            if not isinstance(selection, Selection):
                raise TypeError(f"a {request.shape} read takes a Selection")
            if request.shape == "page":
                stmt = compiler.page(info, args, selection)
            else:
                if request.shape == "one" and args.limit is None:
                    args = ListArgs(args.where, args.order_by, 1, args.offset, args.distinct_on)
                stmt = compiler.list_rows(info, args, selection)
        prepared = Prepared(stmt, self.dialect, compiler.params)
        unlimited = request.shape == "list" and args.limit is None
        return ReadPlan(
            prepared,
            request.shape,
            self.tables(request),
            self.max_rows if unlimited else None,
            continuations(compiler, self.dialect),
        )


def tables_read(registry: Registry, request: ReadRequest) -> frozenset[str]:
    """The tables a request reads (see ``QueryEngine.tables``)."""
    found: set[str] = set()
    info = registry.by_table(request.table)
    _args_tables(registry, info, request.args, found)
    selection = request.selection
    if isinstance(selection, AggregateSelection):
        _aggregate_tables(registry, info, selection, found)
    else:
        _selection_tables(registry, info, selection, found)
    return frozenset(found)


def _args_tables(registry: Registry, info: ModelInfo, args: ListArgs, found: set[str]) -> None:
    found.add(info.table)
    if args.where is not None:
        _where_tables(registry, info, args.where, found)
    _order_tables(registry, info, args.order_by, found)


def _where_tables(registry: Registry, info: ModelInfo, exp: BoolExp, found: set[str]) -> None:
    if isinstance(exp, (And, Or)):
        for item in exp.items:
            _where_tables(registry, info, item, found)
    elif isinstance(exp, Not):
        _where_tables(registry, info, exp.item, found)
    elif isinstance(exp, Related):
        target = registry.target(info, exp.relation)
        found.add(target.table)
        _where_tables(registry, target, exp.where, found)


def _order_tables(
    registry: Registry, info: ModelInfo, terms: Iterable[OrderTerm], found: set[str]
) -> None:
    for term in terms:
        current = info
        hops = term.path if term.aggregate is not None else term.path[:-1]
        for relation in hops:
            current = registry.target(current, relation)
            found.add(current.table)


def _selection_tables(
    registry: Registry, info: ModelInfo, selection: Selection, found: set[str]
) -> None:
    found.add(info.table)
    for f in selection.fields:
        if isinstance(f, ObjectField):
            _selection_tables(registry, registry.target(info, f.relation), f.selection, found)
        elif isinstance(f, ArrayField):
            target = registry.target(info, f.relation)
            _args_tables(registry, target, f.args, found)
            _selection_tables(registry, target, f.selection, found)
        elif isinstance(f, AggregateField):
            target = registry.target(info, f.relation)
            _args_tables(registry, target, f.args, found)
            _aggregate_tables(registry, target, f.aggregate, found)


def _aggregate_tables(
    registry: Registry, info: ModelInfo, agg: AggregateSelection, found: set[str]
) -> None:
    found.add(info.table)
    for _, nodes in agg.nodes:
        _selection_tables(registry, info, nodes, found)


__all__ = ["QueryEngine", "ReadPlan", "Reader", "tables_read"]
