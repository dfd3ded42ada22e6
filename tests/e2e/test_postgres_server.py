"""The real server on PostgreSQL: concurrent requests each get their own pooled connection."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import httpx
import sqlalchemy as sa

from tests.e2e.test_server import free_port, start

INSERT = "mutation($c: String!) { insertTwootOne(object: {content: $c, user: {data: {userName: $c}}}) { id user { userName } } }"


def test_concurrent_writes_and_reads_on_postgresql(pg_database: str, tmp_path: Path) -> None:
    engine = sa.create_engine(pg_database)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    port = free_port()
    command = [sys.executable, "-m", "omega_gql.cli", "run", "examples.twooter.app:app", "--port", str(port)]
    process = start(command, port, tmp_path, database_url=pg_database)
    try:
        asyncio.run(_exercise(f"http://127.0.0.1:{port}/graphql"))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _exercise(url: str) -> None:
    async with httpx.AsyncClient(timeout=20) as client:
        replies = await asyncio.gather(
            *(client.post(url, json={"query": INSERT, "variables": {"c": f"u{n}"}}) for n in range(30))
        )
        bodies = [r.json() for r in replies]
        assert all("errors" not in b for b in bodies), bodies
        ids = {b["data"]["insertTwootOne"]["id"] for b in bodies}
        assert len(ids) == 30
        counts = await asyncio.gather(
            *(client.post(url, json={"query": "{ twootAggregate { aggregate { count } } }"}) for _ in range(20))
        )
        assert {c.json()["data"]["twootAggregate"]["aggregate"]["count"] for c in counts} == {30}
