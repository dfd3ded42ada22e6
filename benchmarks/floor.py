"""The floor: hand-written Starlette endpoints answering the workloads.

Plain SQL on one long-lived stdlib ``sqlite3`` connection, plain rows nested in Python,
orjson out. Documents are recognised by their exact text; nothing is parsed. The REST
endpoints answer what the Django-REST-framework-shaped workloads ask, and nothing else. The
database file is named by ``FLOOR_DB``. Run with
``FLOOR_DB=path python -m uvicorn benchmarks.floor:app``.
"""

from __future__ import annotations

import gc
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from benchmarks.workloads import M1, Q1, Q2, Q3

# Autocommit (isolation_level=None): each INSERT commits by itself, as a GraphQL
# mutation request does. Same thread as the event loop, but asked for anyway.
_con = sqlite3.connect(os.environ["FLOOR_DB"], check_same_thread=False, isolation_level=None)
_con.execute("PRAGMA journal_mode=WAL")
_con.execute("PRAGMA synchronous=NORMAL")

Q1_SQL = """
SELECT t.id, t.content, t.posted_at, u.id, u.user_name
FROM twoot AS t JOIN "user" AS u ON u.id = t.user_id
ORDER BY t.posted_at DESC, t.id DESC LIMIT 100
"""
# One statement: the parents drive a correlated subquery with LIMIT on the
# (user_id, posted_at) index. Measured against one query per user (21 statements),
# it is as fast or slightly faster (190 µs against 200 µs for the rows).
Q2_SQL = """
SELECT u.id, u.user_name, t.id, t.content
FROM (SELECT id, user_name FROM "user" ORDER BY id LIMIT 20) AS u
LEFT JOIN twoot AS t ON t.id IN (
    SELECT id FROM twoot WHERE user_id = u.id ORDER BY posted_at DESC, id DESC LIMIT 10)
ORDER BY u.id, t.posted_at DESC, t.id DESC
"""
Q3_SQL = """
SELECT t.id, t.content, u.user_name
FROM twoot AS t JOIN "user" AS u ON u.id = t.user_id WHERE t.id = ?
"""
M1_SQL = "INSERT INTO twoot (content, user_id) VALUES (?, ?) RETURNING id"
R1_COUNT_SQL = "SELECT count(*) FROM twoot"
R1_SQL = """
SELECT t.id, t.content, t.posted_at, t.user_id, u.id, u.user_name, u.joined_at
FROM twoot AS t JOIN "user" AS u ON u.id = t.user_id
ORDER BY t.posted_at DESC, t.id DESC LIMIT ? OFFSET ?
"""
R2_SQL = "SELECT id, content, posted_at, user_id FROM twoot WHERE id = ?"
R3_SQL = (
    "INSERT INTO twoot (content, user_id) VALUES (?, ?) RETURNING id, content, posted_at, user_id"
)

Result = dict[str, Any]


def _iso(stored: str | None) -> str | None:
    """SQLAlchemy's SQLite datetime text as ISO 8601 spelled as PostgreSQL spells it
    ('T' instead of the space, no trailing zeros in the fraction)."""
    if stored is None:
        return None
    iso = stored.replace(" ", "T", 1)
    return iso.rstrip("0").rstrip(".") if "." in iso else iso


def q1(_: dict[str, Any]) -> Result:
    rows = _con.execute(Q1_SQL).fetchall()
    return {
        "twoot": [
            {"id": i, "content": c, "postedAt": _iso(p), "user": {"id": ui, "userName": un}}
            for i, c, p, ui, un in rows
        ]
    }


def q2(_: dict[str, Any]) -> Result:
    users: list[Result] = []
    last: int | None = None
    twoots: list[Result] = []
    for uid, name, tid, content in _con.execute(Q2_SQL).fetchall():
        if uid != last:
            last, twoots = uid, []
            users.append({"id": uid, "userName": name, "twoots": twoots})
        if tid is not None:  # a user without twoots still has its row, via LEFT JOIN
            twoots.append({"id": tid, "content": content})
    return {"user": users}


def q3(variables: dict[str, Any]) -> Result:
    tid = variables.get("id")
    if type(tid) is not int:
        raise ValueError("variable $id must be an Int")
    row = _con.execute(Q3_SQL, (tid,)).fetchone()
    if row is None:
        return {"twootByPk": None}
    return {"twootByPk": {"id": row[0], "content": row[1], "user": {"userName": row[2]}}}


def m1(variables: dict[str, Any]) -> Result:
    content, user_id = variables.get("content"), variables.get("userId")
    if type(content) is not str or type(user_id) is not int:
        raise ValueError("variables $content: String! and $userId: Int! are required")
    # fetchall() steps the statement to its end, so the autocommit commits here.
    ((new_id,),) = _con.execute(M1_SQL, (content, user_id)).fetchall()
    return {"insertTwootOne": {"id": new_id}}


HANDLERS: dict[str, Callable[[dict[str, Any]], Result]] = {Q1: q1, Q2: q2, Q3: q3, M1: m1}


def _error(message: str) -> Response:
    body = orjson.dumps({"errors": [{"message": message}]})
    return Response(body, status_code=400, media_type="application/json")


async def graphql(request: Request) -> Response:
    try:
        doc = orjson.loads(await request.body())
        handler = HANDLERS[doc["query"]]
        data = handler(doc.get("variables") or {})
    except (KeyError, TypeError):
        return _error("unknown document")
    except (orjson.JSONDecodeError, ValueError, sqlite3.Error) as exc:
        return _error(str(exc))
    return Response(orjson.dumps({"data": data}), media_type="application/json")


@asynccontextmanager
async def lifespan(_: Starlette) -> AsyncIterator[None]:
    # Start-up objects never become garbage; keeping them out of full collections
    # removes long GC pauses under load (cheap, and any server may do the same).
    gc.freeze()
    yield


def _twoot(row: tuple[Any, ...]) -> Result:
    return {"id": row[0], "content": row[1], "posted_at": _iso(row[2]), "user_id": row[3]}


async def twoots(request: Request) -> Response:
    """R1 (a page of twoots with their users, newest first) and R3 (create one)."""
    if request.method == "POST":
        body = orjson.loads(await request.body())
        content, user_id = body.get("content"), body.get("user_id")
        if type(content) is not str or type(user_id) is not int:
            return _error("content and user_id are required")
        row = _con.execute(R3_SQL, (content, user_id)).fetchone()
        headers = {"location": f"{request.base_url}api/twoots/{row[0]}"}
        return Response(orjson.dumps(_twoot(row)), 201, headers, media_type="application/json")
    params = request.query_params
    limit, offset = int(params.get("limit", 100)), int(params.get("offset", 0))
    (count,) = _con.execute(R1_COUNT_SQL).fetchone()
    results = [
        {**_twoot(r), "user": {"id": r[4], "user_name": r[5], "joined_at": _iso(r[6])}}
        for r in _con.execute(R1_SQL, (limit, offset)).fetchall()
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
    row = _con.execute(R2_SQL, (request.path_params["id"],)).fetchone()
    if row is None:
        return Response(b'{"detail":"Not found."}', 404, media_type="application/json")
    return Response(orjson.dumps(_twoot(row)), media_type="application/json")


app = Starlette(
    routes=[
        Route("/graphql", graphql, methods=["POST"]),
        Route("/api/twoots/", twoots, methods=["GET", "POST"]),
        Route("/api/twoots/{id:int}", twoot),
    ],
    lifespan=lifespan,
)
