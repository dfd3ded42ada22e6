"""Executes GraphQL requests: parse and validate once per document, plan once per
document shape, then per request only bind variables and run one statement per root field.

Documents that touch app-written fields or introspection take graphql-core's executor, with
the generated root fields resolved by the same plans.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
    parse,
    subscribe,
    validate,
)
from graphql.pyutils import is_awaitable

from ..database import Database
from ..errors import BadRequest, OmegaError
from ..query.cache import LRU
from ..query.caller import ANONYMOUS, Caller
from ..query.engine import QueryEngine
from ..query.stream import State
from ..registry import Registry
from ..service import WriteService
from .builder import RootSpec
from .errors import error_dict
from .limits import GraphQLLimits, check_document, check_response, check_variables
from .plans import Planner, ReadField, RootPlan, StreamField, WriteField
from .translate import Translator, merged, omega, response_key
from .variables import ScalarSpec, coerce_variables, plain_variables, scalar_specs

# Documents from this many characters on are parsed off the event loop.
_LARGE_DOCUMENT = 32 * 1024
# Characters of query text the document cache keeps per entry of its size, on average.
_TEXT_PER_DOCUMENT = 2048


@dataclass
class Document:
    """A parsed, validated operation and the plans made for it."""

    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    generated_only: bool
    variable_specs: tuple[ScalarSpec, ...] | None
    structural: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    plans: dict[tuple[Any, ...], list[tuple[str, RootPlan | str]]] = field(default_factory=dict)
    large: bool = False  # parsed and planned off the event loop


class GraphQLEngine:
    """The GraphQL surface's executor over the query engine and the write service."""

    def __init__(
        self,
        registry: Registry,
        queries: QueryEngine,
        writes: WriteService,
        cache_size: int = 512,
        rename: Callable[[str], str] | None = None,
        limits: GraphQLLimits | None = None,
    ) -> None:
        self.registry = registry
        self.rename = rename
        self.queries = queries
        self.writes = writes
        self.planner = Planner(registry, queries, writes)
        self.schema: GraphQLSchema | None = None
        # Bounded by query text too: a parsed document holds tens of bytes per character.
        self._documents = LRU(cache_size, cache_size * _TEXT_PER_DOCUMENT)
        self._field_plans = LRU(cache_size * 4)
        self.cache_size = cache_size
        self.limits = limits or GraphQLLimits()

    @property
    def database(self) -> Database:
        """The write service's database, which reads use too."""
        return self.writes.database

    def use_database(self, database: Database) -> None:
        """Switch to another database; plans compiled for the old one are dropped."""
        self.writes.use_database(database)
        self._documents.clear()
        self._field_plans.clear()

    # ---- entry point ----------------------------------------------------------------

    async def execute(
        self,
        query: str | None,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        context: Any = None,
    ) -> bytes:
        """The JSON response body of one GraphQL request."""
        try:
            prepared = await self._prepare(query, variables, operation_name)
            if isinstance(prepared, bytes):
                return prepared
            doc, coerced = prepared
            op = doc.operation.operation
            if op == OperationType.SUBSCRIPTION:
                raise BadRequest("subscriptions are served over WebSocket")
            if not doc.generated_only:
                return await self._execute_general(doc, coerced, context)
            caller = _caller_of(context)
            if doc.large:
                # Planning a huge document takes long: not on the loop.
                plans = await anyio.to_thread.run_sync(self._plans, doc, coerced, caller)
            else:
                plans = self._plans(doc, coerced, caller)
            parts = await self._run(plans, coerced, op == OperationType.MUTATION)
        except Exception as error:  # noqa: BLE001 - every failure is reported, not raised
            return self._failed(error)
        return _data(parts)

    def _failed(self, error: Exception) -> bytes:
        if isinstance(error, (OmegaError, GraphQLError)):
            return orjson.dumps({"data": None, "errors": [error_dict(error, None, self.rename)]})
        return orjson.dumps({"data": None, "errors": [error_dict(error)]})

    async def live(
        self,
        query: str | None,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        context: Any = None,
    ) -> LiveRead | StreamRead | EventStream | list[dict[str, Any]] | None:
        """A subscription document as a live read (what makes it the same as another, how
        to run it, the tables it reads), as the stream of an app-written subscription field,
        the errors that refuse it, or None for a query or mutation (which ``execute``
        runs)."""
        try:
            prepared = await self._prepare(query, variables, operation_name)
            if isinstance(prepared, bytes):
                return orjson.loads(prepared)["errors"]  # type: ignore[no-any-return]
            doc, coerced = prepared
            if doc.operation.operation != OperationType.SUBSCRIPTION:
                return None
            if not doc.generated_only:
                return await self._event_stream(doc, coerced, context)
            caller = _caller_of(context)
            plans = self._plans(doc, coerced, caller)
        except (OmegaError, GraphQLError) as error:
            return [error_dict(error, None, self.rename)]
        if len(plans) == 1 and isinstance(plans[0][1], StreamField):
            return self._stream(plans[0][0], plans[0][1], coerced)
        tables: set[str] = set()
        for _, plan in plans:
            if isinstance(plan, ReadField):
                tables |= plan.plan.tables
        key = (query, operation_name, _freeze(dict(coerced)), caller)

        async def run() -> bytes:
            try:
                return _data(await self._run(plans, coerced, False))
            except Exception as error:  # noqa: BLE001 - reported to the subscribers
                return self._failed(error)

        return LiveRead(key, run, frozenset(tables))

    async def _prepare(
        self,
        query: str | None,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
    ) -> tuple[Document, Mapping[str, Any]] | bytes:
        """The document and coerced variables of a request, or the response refusing it."""
        doc = self._documents.use((query, operation_name))
        if doc is None:
            doc = await self._document_off_loop(query, operation_name)
        if isinstance(doc, list):
            return orjson.dumps({"errors": doc})
        assert self.schema is not None
        if variables:
            check_variables(variables, self.limits.max_list_length)
        coerced = coerce_variables(
            self.schema,
            tuple(doc.operation.variable_definitions or ()),
            doc.variable_specs,
            variables or {},
        )
        if isinstance(coerced, list):
            return orjson.dumps({"errors": [error_dict(e) for e in coerced]})
        return doc, coerced

    def is_mutation(self, query: str, operation_name: str | None) -> bool:
        """Whether ``query`` selects a mutation (False when it does not parse or validate:
        executing it reports why)."""
        try:
            doc = self.document(query, operation_name)
        except OmegaError:
            return False
        return not isinstance(doc, list) and doc.operation.operation == OperationType.MUTATION

    # ---- documents and plans --------------------------------------------------------

    async def _document_off_loop(
        self, query: str | None, operation_name: str | None
    ) -> Document | list[dict[str, Any]]:
        """``document()`` for a document not seen before; a large one is parsed and validated
        on a worker thread, so that the loop goes on serving meanwhile."""
        if not isinstance(query, str) or len(query) < _LARGE_DOCUMENT:
            return self.document(query, operation_name)
        doc = await anyio.to_thread.run_sync(self._parse, query, operation_name)
        if isinstance(doc, Document):
            self._documents.put((query, operation_name), doc, len(query))
        return doc

    def document(
        self, query: str | None, operation_name: str | None
    ) -> Document | list[dict[str, Any]]:
        if not query or not isinstance(query, str):
            raise BadRequest("the request has no GraphQL query")
        cache_key = (query, operation_name)
        found = self._documents.use(cache_key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        doc = self._parse(query, operation_name)
        if isinstance(doc, Document):
            self._documents.put(cache_key, doc, len(query))
        return doc

    def _parse(self, query: str, operation_name: str | None) -> Document | list[dict[str, Any]]:
        """Parse, check against the limits, validate and classify one document."""
        assert self.schema is not None
        try:
            document = parse(query)
        except GraphQLError as error:
            parsed = error_dict(error)
            parsed["extensions"]["code"] = "parse-failed"
            return [parsed]
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        operation = get_operation_ast(document, operation_name)
        if operation is not None:
            # Before validation, which costs far more than measuring.
            check_document(operation, fragments, self.limits)
        errors = validate(self.schema, document)
        if errors:
            return [error_dict(e) for e in errors]
        if operation is None:
            raise BadRequest(
                f"unknown operation {operation_name!r}"
                if operation_name
                else "operationName is required when a document has several operations"
            )
        root = self.schema.get_root_type(operation.operation)
        generated = True
        tr = Translator(self.registry, {}, fragments)
        # Directives are ignored here: classification must not depend on variables.
        for node in tr.collect(operation.selection_set, directives=False):
            name = node.name.value
            if name == "__typename":
                continue
            if (
                root is None
                or name not in root.fields
                or not isinstance(omega(root.fields[name]), RootSpec)
            ):
                generated = False
        specs = scalar_specs(self.schema, tuple(operation.variable_definitions or ()))
        doc = Document(document, operation, fragments, generated, specs)
        doc.large = len(query) >= _LARGE_DOCUMENT
        return doc

    def _plans(
        self, doc: Document, variables: Mapping[str, Any], caller: Caller
    ) -> list[tuple[str, RootPlan | str]]:
        # The caller is part of the key: what one caller may see is planned for it alone.
        key = (caller, *_plan_key(doc, variables))
        plans = doc.plans.get(key)
        if plans is not None:
            return plans
        assert self.schema is not None
        tr = Translator(self.registry, variables, doc.fragments)
        root = self.schema.get_root_type(doc.operation.operation)
        assert root is not None
        plans = []
        for node in tr.collect(doc.operation.selection_set):
            response = response_key(node)
            if node.name.value == "__typename":
                plans.append((response, orjson.dumps(root.name).decode()))
                continue
            field_def = root.fields[node.name.value]
            plan = self.planner.plan(omega(field_def), field_def, node, tr, caller)
            plans.append((response, plan))
        doc.structural = tuple(sorted(set(doc.structural) | tr.structural))
        doc.params = tuple(sorted(set(doc.params) | tr.params))
        if len(doc.plans) >= 64:
            doc.plans.clear()
        doc.plans[(caller, *_plan_key(doc, variables))] = plans
        return plans

    async def _run(
        self, plans: list[tuple[str, Any]], variables: Mapping[str, Any], mutation: bool
    ) -> list[tuple[str, str]]:
        """Each root field's JSON text: mutations in one unit of work, queries on one
        connection."""
        if mutation:
            return await self.writes.run(lambda unit: self._texts(plans, unit, variables))
        return await self.database.read(lambda conn: self._texts(plans, conn, variables))

    def _texts(
        self, plans: list[tuple[str, Any]], target: Any, variables: Mapping[str, Any]
    ) -> list[tuple[str, str]]:
        texts = [
            (key, plan if isinstance(plan, str) else plan.run(target, variables))
            for key, plan in plans
        ]
        # Inside the unit of work: a mutation whose answer is too large writes nothing.
        size = 0
        for _, text in texts:
            size += len(text)
        check_response(size, self.limits)
        return texts

    # ---- general execution ------------------------------------------------------------

    async def _execute_general(
        self, doc: Document, variables: Mapping[str, Any], context: Any
    ) -> bytes:
        if doc.operation.operation != OperationType.MUTATION:
            result = await self._general(doc, variables, context)
        else:
            # One transaction for the whole document, app-written fields included: any
            # error rolls all of it back, and the answer has no data.
            try:
                async with self.writes.transaction():
                    result = await self._general(doc, variables, context)
                    if result.errors:
                        raise _RolledBack(result)
                    check_response(len(orjson.dumps(result.data)), self.limits)
            except _RolledBack as rolled_back:
                result = ExecutionResult(None, rolled_back.result.errors)
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = self._errors(result.errors)
        body = orjson.dumps(out)
        if doc.operation.operation != OperationType.MUTATION:
            # A mutation's answer was measured inside its transaction, before it committed.
            check_response(len(body), self.limits)
        return body

    async def _general(
        self, doc: Document, variables: Mapping[str, Any], context: Any
    ) -> ExecutionResult:
        assert self.schema is not None
        result = execute(self.schema, doc.document, **_executing(doc, variables, context))
        if is_awaitable(result):
            result = await result  # type: ignore[misc]
        assert isinstance(result, ExecutionResult)
        return result

    def _errors(self, errors: Sequence[GraphQLError] | None) -> list[dict[str, Any]]:
        """graphql-core's errors as response errors, paths and names as the client asked."""
        return [error_dict(e, list(e.path) if e.path else None, self.rename) for e in errors or ()]

    def _stream(self, key: str, field: StreamField, variables: Mapping[str, Any]) -> StreamRead:
        prefix = '{"data":{' + orjson.dumps(key).decode() + ":"

        async def batch(cursor: Any) -> tuple[bytes | None, Any, State]:
            text, cursor, state = await self.database.read(
                lambda conn: field.read(conn, variables, cursor)
            )
            return (None if text is None else (prefix + text + "}}").encode()), cursor, state

        return StreamRead(field.start(variables), batch, field.plan.tables)

    async def _event_stream(
        self, doc: Document, variables: Mapping[str, Any], context: Any
    ) -> EventStream | list[dict[str, Any]]:
        assert self.schema is not None
        source = subscribe(self.schema, doc.document, **_executing(doc, variables, context))
        if is_awaitable(source):
            source = await source  # type: ignore[misc]
        if isinstance(source, ExecutionResult):
            return self._errors(source.errors)
        return EventStream(self._encoded(source))  # type: ignore[arg-type]

    async def _encoded(self, results: AsyncIterator[ExecutionResult]) -> AsyncIterator[bytes]:
        try:
            async for result in results:
                out: dict[str, Any] = {"data": result.data}
                if result.errors:
                    out["errors"] = self._errors(result.errors)
                yield orjson.dumps(out)
        finally:
            close = getattr(results, "aclose", None)
            if close is not None:
                await close()

    def resolver(self, spec: RootSpec) -> Any:
        """The graphql-core resolver of a generated root field, for general execution."""

        async def resolve(_root: Any, info: Any, **_args: Any) -> Any:
            variables = plain_variables(info.variable_values)
            plan = self._field_plan(spec, info, variables, _caller_of(info.context))
            [(_, text)] = await self._run([("", plan)], variables, isinstance(plan, WriteField))
            return orjson.loads(text)

        return resolve

    def _field_plan(
        self, spec: RootSpec, info: Any, variables: Mapping[str, Any], caller: Caller
    ) -> RootPlan:
        """A generated field's plan in a document that general execution runs, cached like
        a document's own: per field node (the parsed document is cached, so its nodes
        last), caller and the values of the variables that shape it."""
        node = info.field_nodes[0]
        entry = self._field_plans.get((id(node), caller))
        if entry is None:
            entry = _FieldPlans(node)
            self._field_plans.put((id(node), caller), entry)
        doc_like: Any = entry
        key = _plan_key(doc_like, variables)
        plan = entry.plans.get(key)
        if plan is None:
            tr = Translator(self.registry, variables, info.fragments)
            # graphql-core hands every node of the response key: plan their merged subfields.
            plan = self.planner.plan(
                spec, info.parent_type.fields[info.field_name], merged(info.field_nodes), tr, caller
            )
            entry.structural = tuple(sorted(set(entry.structural) | tr.structural))
            entry.params = tuple(sorted(set(entry.params) | tr.params))
            if len(entry.plans) >= 64:
                entry.plans.clear()
            entry.plans[_plan_key(doc_like, variables)] = plan
        return plan


def _data(parts: list[tuple[str, str]]) -> bytes:
    body = ",".join(f'"{key}":{value}' for key, value in parts)
    return ('{"data":{' + body + "}}").encode()


@dataclass(frozen=True)
class LiveRead:
    """A subscription as the realtime hub serves it: ``key`` is equal for requests that
    must answer the same (document, variables, caller), ``run`` gives the current result
    body, ``tables`` are those whose changes may change it."""

    key: Any
    run: Callable[[], Awaitable[bytes]]
    tables: frozenset[str]


@dataclass(frozen=True)
class StreamRead:
    """A stream subscription: ``batch(cursor)`` gives the next batch's result body (None
    when there is none), the cursor after it and what follows; ``tables`` are those whose
    changes may bring new rows."""

    start: Any
    batch: Callable[[Any], Awaitable[tuple[bytes | None, Any, State]]]
    tables: frozenset[str]


@dataclass(frozen=True)
class EventStream:
    """A subscription to an app-written field: each result body as its source yields it.
    ``results.aclose()`` stops it."""

    results: AsyncIterator[bytes]


class _RolledBack(Exception):
    def __init__(self, result: ExecutionResult) -> None:
        self.result = result


@dataclass
class _FieldPlans:
    """The plans of one generated field node of a generally executed document. ``node`` is
    kept so that its ``id`` stays unique while the entry lives."""

    node: Any
    structural: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    plans: dict[tuple[Any, ...], RootPlan] = field(default_factory=dict)


def _executing(doc: Document, variables: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """graphql-core's execute/subscribe arguments for ``doc``."""
    return {
        "context_value": context,
        "variable_values": dict(variables),
        "operation_name": doc.operation.name.value if doc.operation.name else None,
        "field_resolver": _by_response_key,
    }


def _caller_of(context: Any) -> Caller:
    return getattr(context, "caller", None) or ANONYMOUS


def _by_response_key(source: Any, info: Any, **_args: Any) -> Any:
    if isinstance(source, Mapping):
        return source.get(info.path.key)
    value = getattr(source, info.field_name, None)
    return value() if callable(value) else value


def _plan_key(doc: Document | _FieldPlans, variables: Mapping[str, Any]) -> tuple[Any, ...]:
    """Plans differ by the values of structural variables and the presence of the others."""
    values = tuple(_freeze(variables.get(name)) for name in doc.structural)
    presence = tuple(
        0 if name not in variables else 1 if variables[name] is None else 2 for name in doc.params
    )
    return values + presence


def _freeze(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str)
    return value
