"""The example's models with two deliberately slow app routes, for tests of a server that
keeps answering while a statement runs long."""

from __future__ import annotations

import os

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse

from examples.twooter.models import Twoot, User
from omega_gql import create_app

app = create_app(models=[User, Twoot])

# About 2 s of SQLite work on this kind of machine: far past the inline budget.
ROWS = int(os.environ.get("SLOW_ROWS", "3000000"))
COUNT = sa.text(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < :n)"
    " SELECT count(*) FROM c"
).bindparams(n=ROWS)
FILL = sa.text(
    "INSERT INTO twoot (content, user_id) SELECT 'row', 1 FROM"
    " (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < :n)"
    "  SELECT x FROM c WHERE x % 100000 = 0)"
).bindparams(n=ROWS)


@app.route("/slow-read")
async def slow_read(_request: Request) -> JSONResponse:
    return JSONResponse({"count": await app.scalar(COUNT)})


@app.route("/slow-write", methods=["POST"])
async def slow_write(_request: Request) -> JSONResponse:
    await app.insert(User, {"user_name": "filler"})
    result = await app.writes.run(lambda unit: unit.execute(FILL))
    return JSONResponse({"inserted": result.rowcount})
