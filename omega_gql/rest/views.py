"""``/api/``: every model as a resource, translated into the engine's read and write requests."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Message, Receive, Scope, Send

from ..config import Settings
from ..errors import NotFound, OmegaError, PreconditionFailed, ValidationFailed
from ..query import ListArgs, Param, QueryEngine, ReadRequest
from ..query.values import coerce
from ..registry import ModelInfo, Registry
from ..security import cross_site, read_body
from ..service import (
    Delete,
    Insert,
    Precondition,
    Update,
    WritePlan,
    WriteRequest,
    WriteService,
)
from .errors import HTTPProblem, answer
from .openapi import openapi
from .page import Page, render, wants_html
from .params import parse_expand, parse_list
from .resource import Resource

COLLECTION_METHODS = ("GET", "POST", "HEAD", "OPTIONS")
ITEM_METHODS = ("GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class _Key(Convertor[str]):
    """A key in a URL: anything, since a value may hold an encoded "/" or newline, which
    the route sees decoded (the key itself is read from the raw path)."""

    regex = r"[\s\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("omega_key", _Key())


class RestAPI:
    """The REST shim over one app's registry, query engine and write service."""

    def __init__(
        self, registry: Registry, queries: QueryEngine, writes: WriteService, settings: Settings
    ) -> None:
        self.registry = registry
        self.queries = queries
        self.writes = writes
        self.settings = settings
        self.resources = {info.resource: Resource(registry, info) for info in registry}
        self._openapi: bytes | None = None
        self._writes: dict[tuple[str, str], WritePlan] = {}
        self._writes_for: Any = None

    def routes(self) -> list[BaseRoute]:
        # Every method reaches the endpoints, which answer 405 themselves, in JSON. Each is
        # a plain ASGI app: Starlette's per-request wrappers cost as much as a key lookup.
        every = list(ALL_METHODS)
        index = _Endpoint(self, "index", self._index)
        document = _Endpoint(self, "document", self._document)
        collection = _Endpoint(self, "list", self._collection)
        item = _Endpoint(self, "item", self._item)
        # Objects first: the most requested, and tried in order.
        return [
            Route("/api/{resource}/{key:omega_key}", item, methods=every, name="rest-detail"),
            Route("/api/{resource}/", collection, methods=every, name="rest-list"),
            Route("/api/", index, methods=every, name="rest-index"),
            Route("/api/openapi.json", document, methods=every, name="rest-openapi"),
            Route("/api/{resource}", collection, methods=every),
            Route("/api", index, methods=every),
        ]

    # ---- endpoints --------------------------------------------------------------------

    async def _document(self, request: Request) -> Response:
        _allow(request, ("GET", "HEAD", "OPTIONS"))
        if self._openapi is None:
            self._openapi = orjson.dumps(openapi(self.registry))
        return Response(self._openapi, media_type="application/json")

    async def _index(self, request: Request) -> Response:
        _allow(request, ("GET", "HEAD", "OPTIONS"))
        base = _base(request)
        body = {name: f"{base}/api/{name}/" for name in sorted(self.resources)}
        return _json(body)

    async def _collection(self, request: Request) -> Response:
        resource = self._resource(request)
        if resource is None or request.scope["path"].endswith("\n"):
            # (A route's "$" also matches before a final newline: /api/users/%0A is a key.)
            raise NotFound(f"no resource {request.path_params['resource']!r}")
        _allow(request, COLLECTION_METHODS)
        if request.method == "POST":
            return await self._create(request, resource)
        query = parse_list(
            self.registry,
            resource.info,
            parse_qsl(request.url.query, keep_blank_values=True),
            self.settings.page_size,
            self.settings.max_page_size,
        )
        read = ReadRequest(
            resource.info.table,
            "page",
            ListArgs(query.where, query.order_by, Param("limit"), Param("offset")),
            resource.selection(query.expand),
        )
        variables = {**query.variables, "limit": query.limit, "offset": query.offset}
        count, rows = _split_page(await self.queries.read(read, variables))
        following = query.offset + query.limit
        previous = max(query.offset - query.limit, 0)
        links = {
            "next": _page_url(request, following, query.limit) if following < count else None,
            "previous": _page_url(request, previous, query.limit) if query.offset > 0 else None,
        }
        # The rows are spliced in as the engine wrote them: never parsed, never re-encoded.
        body = b'{"count":%d,"next":%s,"previous":%s,"results":%s}' % (
            count,
            orjson.dumps(links["next"]),
            orjson.dumps(links["previous"]),
            rows.encode(),
        )
        return Response(body, media_type="application/json")

    async def _item(self, request: Request) -> Response:
        resource = self._resource(request)
        if resource is None:
            raise NotFound(f"no resource {request.path_params['resource']!r}")
        _allow(request, ITEM_METHODS)
        raw_key = _raw_key(request)
        key = resource.key_variables(raw_key)
        if request.method in ("GET", "HEAD"):
            params = dict(_only(request, "expand", "format"))
            expand = parse_expand(resource.info, params.get("expand", ""))
            text = await self._read_one(resource, key, expand)
            tag = etag(text)
            if _matches(request.headers.get("if-none-match"), tag):
                return Response(status_code=304, headers={"etag": tag})
            return _json_text(text, headers={"etag": tag})
        if request.method == "DELETE":
            result = await self.writes.write(
                self._prepared(resource, "delete"), key, self._precondition(request, resource, key)
            )
            if not result.pks:
                raise NotFound(f"no {resource.info.name} {raw_key!r}")
            return Response(status_code=204)
        try:
            return await self._change(request, resource, key, partial=request.method == "PATCH")
        except (ValidationFailed, HTTPProblem):
            # As Django REST framework does, a missing object is 404 before its body is judged.
            await self._read_one(resource, key, ())
            raise

    # ---- writes -----------------------------------------------------------------------

    async def _create(self, request: Request, resource: Resource) -> Response:
        body = await self._body(request, resource.info)
        items = len(body) if isinstance(body, list) else None
        rows = body if isinstance(body, list) else [body]
        if not rows:
            raise ValidationFailed("give an object, or a list of at least one")
        for index, row in enumerate(rows):
            _check_object(resource.info, row, (str(index),) if items is not None else ())
        try:
            result = await self.writes.write(self._prepared(resource, "insert"), {"rows": rows})
        except OmegaError as error:
            return _error(error, items)
        if items is not None:
            return _json_text("[" + ",".join(result.returning) + "]", status=201)
        [text] = result.returning
        [pk] = result.pks
        location = f"{_base(request)}/api/{resource.name}/{resource.key_text(pk)}"
        return _object(text, status=201, headers={"location": location})

    async def _change(
        self, request: Request, resource: Resource, key: dict[str, Any], partial: bool
    ) -> Response:
        info = resource.info
        body = await self._body(request, info)
        _check_object(info, body, ())
        values = dict(body)
        for i, key_column in enumerate(info.pk_columns):
            # The key is the URL's: giving it again is allowed, changing it is not.
            if key_column.name in values:
                try:
                    same = coerce(key_column, values.pop(key_column.name)) == key[f"k{i}"]
                except OmegaError:
                    same = False
                if not same:
                    raise ValidationFailed(
                        "the key is the URL's and cannot change", path=(key_column.name,)
                    )
        if not partial:
            for column in info.columns:
                if column.is_required and not column.primary_key and column.name not in values:
                    raise ValidationFailed("This field is required.", path=(column.name,))
        precondition = self._precondition(request, resource, key)
        if not values:
            text = await self._read_one(resource, key, ())
            if precondition is not None and not precondition.accept(text):
                raise PreconditionFailed(f"the {info.name} changed since it was read")
            return _object(text)
        result = await self.writes.write(
            self._prepared(resource, "update"), {**key, "set": values}, precondition
        )
        if not result.pks:
            raise NotFound(f"no {info.name} {_raw_key(request)!r}")
        return _object(result.returning[0])

    def _precondition(
        self, request: Request, resource: Resource, key: dict[str, Any]
    ) -> Precondition | None:
        """``If-Match``: write only if the object still has one of the given ETags."""
        given = request.headers.get("if-match")
        if given is None:
            return None
        read = resource.by_key(())
        values = {c: key[f"k{i}"] for i, c in enumerate(resource.info.primary_key)}
        return Precondition(
            values, read, lambda text: text != "null" and _matches(given, etag(text))
        )

    async def _read_one(
        self, resource: Resource, key: dict[str, Any], expand: tuple[str, ...]
    ) -> str:
        text = await self.queries.read(resource.by_key(expand), key)
        if text == "null":
            raise NotFound(f"no {resource.info.name} with this key")
        return text

    async def _body(self, request: Request, info: ModelInfo) -> Any:
        raw = await read_body(request.scope, request.receive, self.settings.max_body_size)
        kind = _content_kind(request)
        if kind in FORM_TYPES:
            return await _form(request, raw, info)
        if kind == "application/json" or kind.endswith("+json") or (not kind and raw):
            try:
                return orjson.loads(raw)
            except orjson.JSONDecodeError as error:
                raise HTTPProblem(400, f"JSON parse error - {error}") from None
        if not kind:
            return {}
        raise HTTPProblem(415, f'Unsupported media type "{kind}" in request.')

    def _prepared(self, resource: Resource, op: str) -> WritePlan:
        """One resource's insert, update or delete, prepared once: the rows, the values set
        and the key are parameters."""
        if self._writes_for is not self.queries.dialect:
            # Another database since (``use_database``): its plans are compiled anew.
            self._writes.clear()
            self._writes_for = self.queries.dialect
        found = self._writes.get((resource.name, op))
        if found is None:
            table, returning = resource.info.table, resource.selection()
            request: WriteRequest
            if op == "insert":
                request = Insert(table, Param("rows"), returning=returning)  # type: ignore[arg-type]
            elif op == "update":
                request = Update(table, resource.key_where, Param("set"), returning=returning)  # type: ignore[arg-type]
            else:
                request = Delete(table, resource.key_where)
            found = self._writes[(resource.name, op)] = self.writes.prepare(request)
        return found

    def _resource(self, request: Request) -> Resource | None:
        return self.resources.get(request.path_params["resource"])


class _Endpoint:
    """An ASGI app answering with ``handler(request)``: its errors mapped to their REST
    answers once, and rendered as the browsable page when a browser asks."""

    def __init__(
        self, api: RestAPI, kind: str, handler: Callable[[Request], Awaitable[Response]]
    ) -> None:
        self.api = api
        self.kind = kind
        self.handler = handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        html = wants_html(request)
        submitted: dict[str, str] | None = None
        try:
            if scope["method"] not in SAFE_METHODS:
                _refuse_cross_site(request)
            if html and scope["method"] == "POST" and _content_kind(request) == FORM_TYPES[0]:
                request, submitted = await self._form_submission(request)
            response = await self.handler(request)
        except _Options as options:
            response = _json({"methods": options.methods}, 200, options.headers)
        except HTTPProblem as problem:
            response = _json({"detail": problem.detail}, problem.status, problem.headers)
        except OmegaError as error:
            response = _error(error, None)
        if html and response.status_code != 304:
            response = self._page(request, response, submitted)
        if scope["method"] == "HEAD":
            response.body = b""
        await response(scope, receive, send)

    async def _form_submission(self, request: Request) -> tuple[Request, dict[str, str]]:
        """A browsable page's form: ``_method`` picks PATCH or DELETE (HTML forms only
        POST), and a field left empty is not sent."""
        raw = await read_body(request.scope, request.receive, self.api.settings.max_body_size)
        fields = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
        method = fields.pop("_method", "POST").upper()
        if method not in ("POST", "PUT", "PATCH", "DELETE"):
            raise HTTPProblem(400, f"_method {method!r} is not POST, PUT, PATCH or DELETE")
        sent = {k: v for k, v in fields.items() if v != ""}
        body = urlencode(list(sent.items())).encode()
        return Request({**request.scope, "method": method}, _replay(body)), fields

    def _page(
        self, request: Request, response: Response, submitted: dict[str, str] | None
    ) -> Response:
        status = response.status_code
        if submitted is not None and status < 300:
            # Post/redirect/get: the created or changed object, or the list after a delete.
            target = response.headers.get("location") or request.url.path
            if status == 204:
                target = f"/api/{request.path_params['resource']}/"
            return Response(status_code=303, headers={"location": target})
        body = orjson.loads(response.body) if response.body else None
        resource = self.api.resources.get(request.path_params.get("resource", ""))
        info = resource.info if resource is not None else None
        shown = {k: v for k, v in response.headers.items() if k in ("allow", "etag", "location")}
        page = Page(title="API root", status=status, body=body, headers=shown)
        if status >= 400:
            page.title, page.body, page.errors = "Error", None, body
            if info is not None and submitted is not None:
                page.info, page.form = info, submitted
                page.values = submitted if self.kind == "item" else None
        elif self.kind == "list" and info is not None and isinstance(body, dict):
            page.title, page.info = info.resource, info
            page.filters = [
                (k, v)
                for k, v in request.query_params.multi_items()
                if k not in ("limit", "offset", "format")
            ]
            page.previous, page.next = body.get("previous"), body.get("next")
        elif self.kind == "item" and info is not None:
            page.title = f"{info.name} {request.path_params['key'].rstrip('/')}"
            page.info, page.values = info, body
        elif self.kind == "document":
            page.title = "OpenAPI document"
        return Response(render(request, page), status, media_type="text/html; charset=utf-8")


def _refuse_cross_site(request: Request) -> None:
    """A write a page of another site made the browser send: refused (403)."""
    if cross_site(request.scope):
        raise HTTPProblem(403, "a write from another site's page is refused")


def _replay(body: bytes) -> Receive:
    """A ``receive`` giving ``body`` again, once it has been read from the client."""

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _content_kind(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _error(error: OmegaError, items: int | None) -> Response:
    status, body, headers = answer(error, items)
    return _json(body, status, headers)


def _allow(request: Request, methods: tuple[str, ...]) -> None:
    if request.method == "OPTIONS":
        raise _Options(methods)
    if request.method not in methods:
        raise HTTPProblem(
            405, f'Method "{request.method}" not allowed.', {"allow": ", ".join(methods)}
        )


class _Options(HTTPProblem):
    def __init__(self, methods: tuple[str, ...]) -> None:
        super().__init__(200, "", {"allow": ", ".join(methods)})
        self.methods = methods


def _check_object(info: ModelInfo, row: Any, path: tuple[str, ...]) -> None:
    if not isinstance(row, dict):
        raise ValidationFailed(f"expected an object of {info.name} fields", path=path)
    for name in row:
        if info.has_relation(name):
            raise ValidationFailed(
                "relations are not written here; write the key column that refers to it",
                path=(*path, name),
            )


async def _form(request: Request, raw: bytes, info: ModelInfo) -> dict[str, Any]:
    """Form fields as strings; an empty field is null except for text columns."""
    form = await Request(request.scope, _replay(raw)).form()
    values: dict[str, Any] = {}
    for name, value in form.multi_items():
        if not isinstance(value, str):
            raise ValidationFailed("files are not accepted", path=(name,))
        if value == "" and info.has_column(name):
            if info.column(name).kind != "string":
                values[name] = None
                continue
        values[name] = value
    return values


def _split_page(text: str) -> tuple[int, str]:
    """The count and the rows' JSON text of a ``page`` read: ``{"count": n, "rows": [...]}``,
    its keys in that order on every database (PostgreSQL spaces them)."""
    count = int(text[text.index(":") + 1 : text.index(",")])
    rows = text[text.index(":", text.index('"rows"')) + 1 : text.rindex("}")]
    return count, rows.strip()


def _only(request: Request, *names: str) -> list[tuple[str, str]]:
    if not request.scope["query_string"]:
        return []
    params = parse_qsl(request.url.query, keep_blank_values=True)
    for name, _ in params:
        if name not in names:
            raise ValidationFailed(f"unknown parameter {name!r} here", path=(name,))
    return params


def _raw_key(request: Request) -> str:
    """The key as the client encoded it: a "," or "/" inside a value stays encoded."""
    raw: bytes = request.scope.get("raw_path") or b""
    if b"%" not in raw:
        return str(request.path_params["key"]).rstrip("/")
    raw = raw or request.url.path.encode()
    # /api/<resource>/<key>[/], the prefix (a root path included) decoded or not alike.
    segments = raw.split(b"?")[0].rstrip(b"/").split(b"/")
    resource = request.path_params["resource"].encode()
    at = next(
        i for i in range(1, len(segments)) if segments[i - 1] == b"api" and segments[i] == resource
    )
    return b"/".join(segments[at + 1 :]).decode("latin-1")


def _base(request: Request) -> str:
    """``scheme://host[:port]`` and the root path this app is served under."""
    scope = request.scope
    host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
    if host is None:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] is None else f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}".rstrip("/")


def _page_url(request: Request, offset: int, limit: int) -> str:
    params = [(k, v) for k, v in parse_qsl(request.url.query, keep_blank_values=True)]
    params = [(k, v) for k, v in params if k not in ("limit", "offset")]
    params.append(("limit", str(limit)))
    if offset > 0:
        params.append(("offset", str(offset)))
    return str(request.url.replace(query=urlencode(params)))


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def etag(text: str) -> str:
    """A strong ETag of an object's JSON: equal exactly when the answer is."""
    return '"' + hashlib.blake2b(text.encode(), digest_size=16).hexdigest() + '"'


def _matches(header: str | None, tag: str) -> bool:
    """Whether an ``If-Match``/``If-None-Match`` list names ``tag`` (or is ``*``)."""
    if header is None:
        return False
    given = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in given or tag in given


def _object(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """One object's answer, with its ETag."""
    return _json_text(text, status, {**(headers or {}), "etag": etag(text)})


def _json_text(text: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(text.encode(), status, headers, media_type="application/json")


__all__ = ["RestAPI"]
