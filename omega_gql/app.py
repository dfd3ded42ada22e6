"""``create_app``: models in, a Starlette app serving GraphQL out."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from graphql import GraphQLSchema, print_schema
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from .config import Settings
from .database import Database
from .errors import ConfigurationError
from .events import ChangeEvent
from .graphql import Context, GraphQLEngine, build_schema
from .graphql.direct import SERVER_SEND
from .graphql.limits import GraphQLLimits
from .graphql.views import GraphQLHTTP
from .graphql.ws import GraphQLWebSocket
from .query.boolexp import TRUE, BoolExp, Compare, conjoin
from .query.engine import QueryEngine
from .query.jsonsql import SUPPORTED
from .realtime import Broadcast, LiveHub
from .registry import Naming, Registry, discover
from .rest import RestAPI
from .security import LoopbackOnly
from .service import Delete, OnConflict, Update, WriteService, insert


class OmegaApp(Starlette):
    """The ASGI app ``create_app`` returns: a Starlette app with the generated API.

    Attributes:
        registry: the served models.
        settings: the resolved configuration.
        database: the engine and how work reaches it.
        queries: the query engine every surface reads through.
        writes: the write service every surface writes through.
        graphql: the GraphQL executor; ``schema`` its schema.
        live: the live reads subscribers share; ``sockets`` the WebSocket endpoint.
        rest: the REST resources at ``/api/``.
        broadcast: the channels shared by every process of the app (``broadcast_url``).
    """

    registry: Registry
    settings: Settings
    queries: QueryEngine
    writes: WriteService
    graphql: GraphQLEngine
    schema: GraphQLSchema
    live: LiveHub
    sockets: GraphQLWebSocket
    rest: RestAPI
    broadcast: Broadcast

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # The server's own send, before middleware wraps it: live results can be
            # written past it, straight to the socket (graphql/direct.py).
            scope[SERVER_SEND] = send
        await super().__call__(scope, receive, send)

    def route(
        self, path: str, methods: Sequence[str] | None = None, name: str | None = None
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Add a plain Starlette route: ``@app.route("/chat", methods=["POST"])``."""

        def decorator(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            self.router.routes.insert(0, Route(path, endpoint, methods=methods, name=name))
            return endpoint

        return decorator

    def sdl(self) -> str:
        """The GraphQL schema in SDL."""
        return print_schema(self.schema)

    def create_tables(self) -> None:
        """Create the models' tables that do not exist yet."""
        self.database.create_tables([info.cls.__table__ for info in self.registry])  # type: ignore[attr-defined]

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
    ) -> dict[str, Any]:
        """Run a GraphQL operation from Python code; returns the response as a dict."""
        body = await self.graphql.execute(query, variables, operation_name, Context(self, None))
        return orjson.loads(body)  # type: ignore[no-any-return]

    async def insert(
        self, model: type, *rows: dict[str, Any], on_conflict: OnConflict | None = None
    ) -> list[tuple[Any, ...]]:
        """Insert rows through the write service (validated, one transaction, events after
        commit); returns their primary keys. Related rows nest as ``Nested(...)``."""
        info = self.registry.of(model)
        return await self.writes.run(lambda unit: insert(unit, info, list(rows), on_conflict))

    async def update(
        self,
        model: type,
        where: BoolExp | Mapping[str, Any],
        *,
        set: Mapping[str, Any] | None = None,  # noqa: A002 - Hasura's _set
        inc: Mapping[str, Any] | None = None,
    ) -> list[tuple[Any, ...]]:
        """Update the rows ``where`` selects (a bool-exp, or ``{column: value}`` equalities;
        ``{}`` is every row) through the write service; returns their primary keys."""
        info = self.registry.of(model)
        request = Update(info.table, _where(where), dict(set or {}), dict(inc or {}))
        return (await self.writes.write(request)).pks

    async def delete(
        self, model: type, where: BoolExp | Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        """Delete the rows ``where`` selects (as in ``update``); returns their primary keys."""
        info = self.registry.of(model)
        return (await self.writes.write(Delete(info.table, _where(where)))).pks

    async def select(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        """The rows of a SQLAlchemy ``select``, for app code: ``await app.select(select(User))``.
        Reads take no write lock."""
        return await self.database.select(stmt)

    async def scalar(self, stmt: sa.Executable) -> Any:
        """The first column of the first row of a ``select`` (None when there is no row)."""
        rows = await self.database.select(stmt)
        return rows[0][0] if rows else None

    @property
    def database(self) -> Database:
        """The engine and how work reaches it (the write service's, which reads share)."""
        return self.writes.database

    def use_database(self, url: str) -> None:
        """Serve another database (before start-up), e.g. a temporary one in tests."""
        self.database.dispose()
        self.graphql.use_database(
            Database(
                url,
                self.settings.pool_size,
                self.settings.busy_timeout,
                statement_timeout=self.settings.statement_timeout,
            )
        )

    async def publish(self, channel: str, payload: Any) -> None:
        """Send ``payload`` (anything JSON can carry) to every listener of ``channel``, in
        every process sharing the app's broadcast: ``await app.publish("presence", {...})``."""
        _check_channel(channel)
        await self.broadcast.publish(channel, orjson.dumps(payload))

    def listen(
        self, channel: str, maxsize: int = 100
    ) -> contextlib.AbstractAsyncContextManager[AsyncIterator[Any]]:
        """The payloads published on ``channel`` from now on, for a subscription field::

            async with app.listen("presence") as payloads:
                async for payload in payloads:
                    yield payload

        A reader more than ``maxsize`` payloads behind skips the oldest."""
        _check_channel(channel)
        return self.broadcast.messages(channel, maxsize)

    def on_change(self, callback: Callable[[ChangeEvent], Any]) -> None:
        """Call ``callback(event)`` (awaited when async) after every committed write: one
        event per table and operation of a transaction, in commit order. A callback that
        raises is logged; the write it follows stays answered and committed."""
        self.writes.events.subscribe(callback)


def create_app(
    import_name: str | None = None,
    *,
    models: Sequence[type] | None = None,
    query: type | None = None,
    mutation: type | None = None,
    subscription: type | None = None,
    types: Sequence[type] = (),
    routes: Sequence[BaseRoute] = (),
    database_url: str | None = None,
    broadcast_url: str | None = None,
    naming: str | None = None,
    create_tables: bool | None = None,
    pool_size: int | None = None,
    plan_cache_size: int | None = None,
    busy_timeout: int | None = None,
    debug: bool | None = None,
    allow_remote: bool | None = None,
    max_body_size: int | None = None,
    max_batch_size: int | None = None,
    max_depth: int | None = None,
    max_nodes: int | None = None,
    max_list_length: int | None = None,
    max_rows: int | None = None,
    max_response_size: int | None = None,
    statement_timeout: int | None = None,
    max_subscriptions: int | None = None,
    ws_init_timeout: int | None = None,
    page_size: int | None = None,
    max_page_size: int | None = None,
) -> OmegaApp:
    """Build the app serving every model found from ``import_name``.

    Example::

        from omega_gql import create_app
        from .models import User, Twoot

        app = create_app(__name__)

    Args:
        import_name: the calling module's ``__name__``; models defined in or imported by it
            (or its sibling modules) are served.
        models: serve exactly these model classes instead of discovering them.
        query, mutation, subscription: strawberry types whose fields join the generated
            root types (a subscription field is an async generator, often reading a
            channel: ``app.listen``).
        types: further strawberry types to include in the schema.
        database_url, broadcast_url, naming, create_tables, pool_size, plan_cache_size,
            busy_timeout, debug, allow_remote, max_body_size, max_batch_size, max_depth,
            max_nodes, max_list_length, max_rows, max_response_size, statement_timeout,
            max_subscriptions, ws_init_timeout, page_size, max_page_size:
            settings; each defaults to its ``OMEGA_*`` environment variable (see ``Settings``).
    """
    package = (import_name or "omega").rpartition(".")[0] or import_name or "omega"
    settings = Settings.load(
        {
            "database_url": database_url,
            "broadcast_url": broadcast_url,
            "naming": naming,
            "create_tables": create_tables,
            "pool_size": pool_size,
            "plan_cache_size": plan_cache_size,
            "busy_timeout": busy_timeout,
            "debug": debug,
            "allow_remote": allow_remote,
            "max_body_size": max_body_size,
            "max_batch_size": max_batch_size,
            "max_depth": max_depth,
            "max_nodes": max_nodes,
            "max_list_length": max_list_length,
            "max_rows": max_rows,
            "max_response_size": max_response_size,
            "statement_timeout": statement_timeout,
            "max_subscriptions": max_subscriptions,
            "ws_init_timeout": ws_init_timeout,
            "page_size": page_size,
            "max_page_size": max_page_size,
        },
        default_database_url=f"sqlite:///{package.rpartition('.')[2]}.db",
    )
    found = list(models) if models is not None else discover(import_name or "")
    if not found:
        raise ConfigurationError(
            f"no models found from module {import_name!r}. Possible fix: define or import your "
            "Model subclasses in that module, or pass models=[...]."
        )
    registry = Registry(found)
    backend = sa.make_url(settings.database_url).get_backend_name()
    if backend not in SUPPORTED:
        raise ConfigurationError(f"database {backend!r} is not supported; use SQLite or PostgreSQL")
    database = Database(
        settings.database_url,
        settings.pool_size,
        settings.busy_timeout,
        statement_timeout=settings.statement_timeout,
    )
    queries = QueryEngine(registry, database.dialect, database, max_rows=settings.max_rows)
    writes = WriteService(registry, database, queries)
    names = Naming.named(settings.naming)
    limits = GraphQLLimits(
        settings.max_depth, settings.max_nodes, settings.max_list_length, settings.max_response_size
    )
    engine = GraphQLEngine(registry, queries, writes, settings.plan_cache_size, names.field, limits)
    schema = build_schema(
        registry,
        names,
        engine.resolver,
        _custom_schema(query, mutation, subscription, types),
    )
    engine.schema = schema

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.create_tables:
            omega.create_tables()
        # Objects built at start-up live for the whole run; keeping them out of the
        # collector's generations shortens full collections under load.
        gc.freeze()
        await broadcast.start()
        try:
            yield
        finally:
            gc.unfreeze()
            await broadcast.stop()
            omega.database.dispose()

    endpoint = GraphQLHTTP(engine, settings.max_body_size, settings.max_batch_size)
    live = LiveHub()
    broadcast = Broadcast.from_url(settings.broadcast_url)
    writes.events.subscribe(live.changed)
    # Other processes' writes wake this one's live reads too; after a broker outage every
    # live read re-runs once, since events may have been lost meanwhile.
    if broadcast.shared:
        writes.events.subscribe(lambda event: broadcast.share(_CHANGES, event.encode()))
    broadcast.listen(_CHANGES, lambda message: live.changed(ChangeEvent.decode(message)))
    broadcast.on_reconnect.append(live.wake_all)
    sockets = GraphQLWebSocket(
        engine,
        live,
        init_timeout=settings.ws_init_timeout / 1000,
        max_message_size=settings.max_body_size,
        max_subscriptions=settings.max_subscriptions,
    )
    rest = RestAPI(registry, queries, writes, settings)
    omega = OmegaApp(
        debug=settings.debug,
        routes=[
            *routes,
            Route("/graphql", endpoint, methods=["GET", "POST"], name="graphql"),
            WebSocketRoute("/graphql", sockets, name="graphql-ws"),
            *rest.routes(),
            # GraphiQL's and the WebSocket client's files, shipped in the package.
            Mount(
                "/static/omega", StaticFiles(directory=STATIC, check_dir=False), name="omega-static"
            ),
        ],
        lifespan=lifespan,
        middleware=[] if settings.allow_remote else [Middleware(LoopbackOnly)],
    )
    omega.registry = registry
    omega.settings = settings
    omega.queries = queries
    omega.writes = writes
    omega.graphql = engine
    omega.live = live
    omega.sockets = sockets
    omega.rest = rest
    omega.broadcast = broadcast
    omega.schema = schema
    return omega


STATIC = Path(__file__).parent / "static"

# The channel change events travel on between processes; app channels cannot start so.
_CHANGES = "omega.changes"


def _check_channel(channel: str) -> None:
    if not isinstance(channel, str) or not channel or channel.startswith("omega."):
        raise ConfigurationError(
            f"channel {channel!r} is not allowed: use a non-empty name not starting with 'omega.'"
        )


def _where(where: BoolExp | Mapping[str, Any]) -> BoolExp:
    if isinstance(where, Mapping):
        return (
            conjoin(*(Compare(name, "eq", value) for name, value in where.items()))
            if where
            else TRUE
        )
    return where


def _custom_schema(
    query: type | None, mutation: type | None, subscription: type | None, types: Sequence[type]
) -> GraphQLSchema | None:
    if query is None and mutation is None and subscription is None and not types:
        return None
    import strawberry

    @strawberry.type
    class _Query:
        @strawberry.field
        def _placeholder(self) -> bool:
            return True

    schema = strawberry.Schema(
        query=query or _Query, mutation=mutation, subscription=subscription, types=list(types)
    )
    graphql_schema: GraphQLSchema = schema._schema
    if query is None:
        graphql_schema.query_type.fields.clear()  # type: ignore[union-attr]
    return graphql_schema


__all__ = ["OmegaApp", "create_app"]
