"""``/graphql`` over HTTP: JSON POST (single or batched) and GET for queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .engine import GraphQLEngine


@dataclass
class Context:
    """``info.context`` of app-written resolvers: the app and the request."""

    app: Any
    request: Request | None

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)


def _bad_request(message: str, status: int = 400) -> Response:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "bad-request"}}]}, status
    )


def graphql_endpoint(engine: GraphQLEngine) -> Any:
    """The Starlette endpoint serving ``engine``."""

    async def endpoint(request: Request) -> Response:
        context = Context(request.app, request)
        if request.method == "GET":
            params = request.query_params
            try:
                variables = orjson.loads(params["variables"]) if params.get("variables") else None
            except orjson.JSONDecodeError:
                return _bad_request("variables is not valid JSON")
            body = await engine.execute(
                params.get("query"),
                variables,
                params.get("operationName"),
                context,
                allow_mutation=False,
            )
            return Response(body, media_type="application/json")
        if request.method != "POST":
            return _bad_request("use GET or POST", 405)
        raw = await request.body()
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type == "application/graphql":
            payload: Any = {"query": raw.decode("utf-8", "replace")}
        else:
            try:
                payload = orjson.loads(raw)
            except orjson.JSONDecodeError:
                return _bad_request("the request body is not valid JSON")
        batch = isinstance(payload, list)
        results = []
        for item in payload if batch else [payload]:
            if not isinstance(item, dict):
                return _bad_request("expected a JSON object with a query")
            variables = item.get("variables")
            if variables is not None and not isinstance(variables, dict):
                return _bad_request("variables must be a JSON object")
            results.append(
                await engine.execute(
                    item.get("query"), variables, item.get("operationName"), context
                )
            )
        body = b"[" + b",".join(results) + b"]" if batch else results[0]
        return Response(body, media_type="application/json")

    return endpoint
