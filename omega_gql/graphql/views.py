"""``/graphql`` over HTTP: JSON POST (single or batched), ``application/graphql`` bodies,
and GET for queries.

A plain ASGI app rather than a Starlette endpoint: on a cached plan the request objects
would cost more than the query itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import jinja2
import orjson
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from ..errors import LimitExceeded
from ..query.caller import ANONYMOUS, Caller
from ..security import cross_site, read_body
from ..service import Unit, current_unit
from .engine import GraphQLEngine


@dataclass
class Context:
    """``info.context`` of app-written resolvers: the app, the request and its caller."""

    app: Any
    request: Request | None
    caller: Caller = ANONYMOUS

    @property
    def unit(self) -> Unit | None:
        """The mutation document's unit of work, which ``app.insert``/``update``/``delete``
        and ``app.writes.run`` join: the whole document commits or rolls back as one."""
        return current_unit()

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


class _BadRequest(Exception):
    def __init__(
        self,
        message: str,
        status: int = 400,
        allow: bytes = b"GET, POST",
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.allow = allow
        self.extensions = extensions or {"code": "bad-request"}

    @classmethod
    def limit(cls, error: LimitExceeded, status: int = 400) -> _BadRequest:
        return cls(error.message, status, extensions={"code": error.code, **error.extra})


class GraphQLHTTP:
    """The ASGI app serving ``engine`` at ``/graphql``; bodies past ``max_body_size`` bytes
    answer 413 and batches of more than ``max_batch_size`` operations 400, unread and unrun."""

    def __init__(
        self,
        engine: GraphQLEngine,
        max_body_size: int = 10 * 1024 * 1024,
        max_batch_size: int = 100,
    ) -> None:
        self.engine = engine
        self.max_body_size = max_body_size
        self.max_batch_size = max_batch_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "GET" and _wants_page(scope):
            page = graphiql_page(scope.get("root_path", ""))
            headers = [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", b"%d" % len(page)),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": page})
            return
        status = 200
        allow = b""
        try:
            body = await self._respond(scope, receive)
        except _BadRequest as error:
            status, allow = error.status, error.allow
            body = orjson.dumps(
                {"errors": [{"message": str(error), "extensions": error.extensions}]}
            )
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        if status == 405:
            headers.append((b"allow", allow))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _respond(self, scope: Scope, receive: Receive) -> bytes:
        context = Context(scope.get("app"), Request(scope))
        method = scope["method"]
        if method == "GET":
            params = dict(parse_qsl(scope["query_string"].decode("latin-1")))
            variables = _json(params["variables"], "variables") if params.get("variables") else None
            query = _query(params.get("query"))
            if self.engine.is_mutation(query, params.get("operationName")):
                raise _BadRequest("mutations are not allowed over GET; use POST", 405, b"POST")
            return await self.engine.execute(
                query,
                _object_or_none(variables),
                params.get("operationName"),
                context,
            )
        if method != "POST":
            raise _BadRequest("use GET or POST", 405)
        if cross_site(scope):
            # Any site can make a browser POST here (a form sending text/plain, say).
            raise _BadRequest(
                "a request from another site's page is refused",
                403,
                extensions={"code": "permission-denied"},
            )
        raw = await self._body(scope, receive)
        if _content_type(scope) == b"application/graphql":
            try:
                payload: Any = {"query": raw.decode("utf-8")}
            except UnicodeDecodeError:
                raise _BadRequest("the request body is not valid UTF-8") from None
        else:
            payload = _json(raw, "the request body")
        if isinstance(payload, list):
            if len(payload) > self.max_batch_size:
                raise _BadRequest.limit(
                    LimitExceeded(
                        f"the batch has {len(payload):,} operations",
                        "max_batch_size",
                        self.max_batch_size,
                    )
                )
            # The whole batch is checked before any of it runs: a malformed entry refuses
            # the batch with nothing written, never after earlier entries committed.
            operations = [_operation(item) for item in payload]
            results = [await self._one(op, context) for op in operations]
            return b"[" + b",".join(results) + b"]"
        return await self._one(_operation(payload), context)

    async def _body(self, scope: Scope, receive: Receive) -> bytes:
        """The request body, refused (413) as soon as it is known to be too large."""
        try:
            return await read_body(scope, receive, self.max_body_size)
        except LimitExceeded as error:
            raise _BadRequest.limit(error, 413) from None

    async def _one(
        self, operation: tuple[str, dict[str, Any] | None, str | None], context: Context
    ) -> bytes:
        query, variables, operation_name = operation
        return await self.engine.execute(query, variables, operation_name, context)


@functools.cache
def graphiql_page(root_path: str) -> bytes:
    """GraphiQL for the endpoint at ``root_path``/graphql, from the package's own files."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("omega_gql", "templates"), autoescape=True
    )
    page = environment.get_template("graphiql.html").render(
        static=f"{root_path}/static/omega", endpoint=f"{root_path}/graphql"
    )
    return page.encode()


def _wants_page(scope: Scope) -> bool:
    """A browser asking for the page: HTML accepted and no query given."""
    if scope["query_string"] and "query" in dict(
        parse_qsl(scope["query_string"].decode("latin-1"))
    ):
        return False
    for name, value in scope["headers"]:
        if name == b"accept":
            return b"text/html" in value
    return False


def _operation(item: Any) -> tuple[str, dict[str, Any] | None, str | None]:
    """``(query, variables, operationName)`` of one request object, or ``_BadRequest``."""
    if not isinstance(item, dict):
        raise _BadRequest("expected a JSON object with a query")
    name = item.get("operationName")
    if name is not None and not isinstance(name, str):
        raise _BadRequest("operationName must be a string")
    return _query(item.get("query")), _object_or_none(item.get("variables")), name


def _query(query: Any) -> str:
    if query is None or query == "":
        raise _BadRequest("the request has no GraphQL query")
    if not isinstance(query, str):
        raise _BadRequest("query must be a string")
    return query


def _content_type(scope: Scope) -> bytes:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bytes(value.split(b";")[0].strip().lower())
    return b""


def _json(raw: bytes | str, what: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise _BadRequest(f"{what} is not valid JSON") from None


def _object_or_none(variables: Any) -> dict[str, Any] | None:
    if variables is not None and not isinstance(variables, dict):
        raise _BadRequest("variables must be a JSON object")
    return variables
