"""The floor on PostgreSQL: the same hand-written endpoints as ``floor.py``, on a pool of
psycopg 3 async connections (autocommit: each INSERT commits by itself) and orjson. The
database is named by ``FLOOR_PG_URL``. Run with
``FLOOR_PG_URL=postgresql://... python -m uvicorn benchmarks.floor_pg:app``."""

from __future__ import annotations

import asyncio
import datetime
import gc
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import orjson
import psycopg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from benchmarks.workloads import M1, Q1, Q2, Q3

POOL_SIZE = 16  # one connection per wrk connection

Q1_SQL = """
SELECT t.id, t.content, t.posted_at, u.id, u.user_name
FROM twoot AS t JOIN "user" AS u ON u.id = t.user_id
ORDER BY t.posted_at DESC, t.id DESC LIMIT 100
"""
# On PostgreSQL the fast shape for "N newest per parent" is a LATERAL join.
Q2_SQL = """
SELECT u.id, u.user_name, t.id, t.content
FROM (SELECT id, user_name FROM "user" ORDER BY id LIMIT 20) AS u
LEFT JOIN LATERAL (
    SELECT id, content, posted_at FROM twoot WHERE user_id = u.id
    ORDER BY posted_at DESC, id DESC LIMIT 10) AS t ON true
ORDER BY u.id, t.posted_at DESC, t.id DESC
"""
Q3_SQL = """
SELECT t.id, t.content, u.user_name
FROM twoot AS t JOIN "user" AS u ON u.id = t.user_id WHERE t.id = %s
"""
M1_SQL = "INSERT INTO twoot (content, user_id) VALUES (%s, %s) RETURNING id"
R1_COUNT_SQL = "SELECT count(*) FROM twoot"
R1_SQL = """
SELECT t.id, t.content, t.posted_at, t.user_id, u.id, u.user_name, u.joined_at
FROM twoot AS t JOIN "user" AS u ON u.id = t.user_id
ORDER BY t.posted_at DESC, t.id DESC LIMIT %s OFFSET %s
"""
R2_SQL = "SELECT id, content, posted_at, user_id FROM twoot WHERE id = %s"
R3_SQL = (
    "INSERT INTO twoot (content, user_id) VALUES (%s, %s) RETURNING id, content, posted_at, user_id"
)

Result = dict[str, Any]
_pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()


async def _rows(query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = await _pool.get()
    try:
        cur = await con.execute(query, params)
        return await cur.fetchall()
    finally:
        _pool.put_nowait(con)


def _iso(value: datetime.datetime | None) -> str | None:
    """As PostgreSQL's JSON spells a timestamp: no trailing zeros in the fraction."""
    if value is None:
        return None
    iso = value.isoformat()
    return iso.rstrip("0").rstrip(".") if "." in iso else iso


async def q1(_: dict[str, Any]) -> Result:
    rows = await _rows(Q1_SQL)
    return {
        "twoot": [
            {"id": i, "content": c, "postedAt": _iso(p), "user": {"id": ui, "userName": un}}
            for i, c, p, ui, un in rows
        ]
    }


async def q2(_: dict[str, Any]) -> Result:
    users: list[Result] = []
    last: int | None = None
    twoots: list[Result] = []
    for uid, name, tid, content in await _rows(Q2_SQL):
        if uid != last:
            last, twoots = uid, []
            users.append({"id": uid, "userName": name, "twoots": twoots})
        if tid is not None:
            twoots.append({"id": tid, "content": content})
    return {"user": users}


async def q3(variables: dict[str, Any]) -> Result:
    tid = variables.get("id")
    if type(tid) is not int:
        raise ValueError("variable $id must be an Int")
    rows = await _rows(Q3_SQL, (tid,))
    if not rows:
        return {"twootByPk": None}
    row = rows[0]
    return {"twootByPk": {"id": row[0], "content": row[1], "user": {"userName": row[2]}}}


async def m1(variables: dict[str, Any]) -> Result:
    content, user_id = variables.get("content"), variables.get("userId")
    if type(content) is not str or type(user_id) is not int:
        raise ValueError("variables $content: String! and $userId: Int! are required")
    ((new_id,),) = await _rows(M1_SQL, (content, user_id))
    return {"insertTwootOne": {"id": new_id}}


HANDLERS: dict[str, Callable[[dict[str, Any]], Awaitable[Result]]] = {
    Q1: q1,
    Q2: q2,
    Q3: q3,
    M1: m1,
}


def _error(message: str) -> Response:
    body = orjson.dumps({"errors": [{"message": message}]})
    return Response(body, status_code=400, media_type="application/json")


async def graphql(request: Request) -> Response:
    try:
        doc = orjson.loads(await request.body())
        handler = HANDLERS[doc["query"]]
        data = await handler(doc.get("variables") or {})
    except (KeyError, TypeError):
        return _error("unknown document")
    except (orjson.JSONDecodeError, ValueError, psycopg.Error) as exc:
        return _error(str(exc))
    return Response(orjson.dumps({"data": data}), media_type="application/json")


def _twoot(row: tuple[Any, ...]) -> Result:
    return {"id": row[0], "content": row[1], "posted_at": _iso(row[2]), "user_id": row[3]}


async def twoots(request: Request) -> Response:
    """R1 (a page of twoots with their users, newest first) and R3 (create one)."""
    if request.method == "POST":
        body = orjson.loads(await request.body())
        content, user_id = body.get("content"), body.get("user_id")
        if type(content) is not str or type(user_id) is not int:
            return _error("content and user_id are required")
        [row] = await _rows(R3_SQL, (content, user_id))
        headers = {"location": f"{request.base_url}api/twoots/{row[0]}"}
        return Response(orjson.dumps(_twoot(row)), 201, headers, media_type="application/json")
    params = request.query_params
    limit, offset = int(params.get("limit", 100)), int(params.get("offset", 0))
    ((count,),) = await _rows(R1_COUNT_SQL)
    results = [
        {**_twoot(r), "user": {"id": r[4], "user_name": r[5], "joined_at": _iso(r[6])}}
        for r in await _rows(R1_SQL, (limit, offset))
    ]
    kept = [(k, v) for k, v in params.multi_items() if k not in ("limit", "offset")]
    following = urlencode([*kept, ("limit", str(limit)), ("offset", str(offset + limit))])
    page = {
        "count": count,
        "next": str(request.url.replace(query=following)) if offset + limit < count else None,
        "previous": None,
        "results": results,
    }
    return Response(orjson.dumps(page), media_type="application/json")


async def twoot(request: Request) -> Response:
    """R2: one twoot by key."""
    rows = await _rows(R2_SQL, (request.path_params["id"],))
    if not rows:
        return Response(b'{"detail":"Not found."}', 404, media_type="application/json")
    return Response(orjson.dumps(_twoot(rows[0])), media_type="application/json")


@asynccontextmanager
async def lifespan(_: Starlette) -> AsyncIterator[None]:
    for _ in range(POOL_SIZE):
        _pool.put_nowait(await psycopg.AsyncConnection.connect(os.environ["FLOOR_PG_URL"],
                                                                autocommit=True))  # fmt: skip
    gc.freeze()
    yield
    while not _pool.empty():
        await _pool.get_nowait().close()


app = Starlette(
    routes=[
        Route("/graphql", graphql, methods=["POST"]),
        Route("/api/twoots/", twoots, methods=["GET", "POST"]),
        Route("/api/twoots/{id:int}", twoot),
    ],
    lifespan=lifespan,
)
