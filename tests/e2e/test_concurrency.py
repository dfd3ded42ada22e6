"""The real server under concurrent clients: on PostgreSQL each request gets a pooled
connection of its own; on SQLite the writes queue on one connection."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from tests.e2e.test_server import OMEGA_RUN, serving

INSERT = (
    "mutation($c: String!) { insertTwootOne(object: {content: $c, user: {data: {userName: $c}}}) "
    "{ id user { userName } } }"
)


def test_concurrent_writes_and_reads(db_url: str, tmp_path: Path) -> None:
    with serving(OMEGA_RUN, tmp_path, database_url=db_url) as base_url:
        asyncio.run(_exercise(f"{base_url}/graphql"))


async def _exercise(url: str) -> None:
    async with httpx.AsyncClient(timeout=20) as client:
        replies = await asyncio.gather(
            *(
                client.post(url, json={"query": INSERT, "variables": {"c": f"u{n}"}})
                for n in range(30)
            )
        )
        bodies = [r.json() for r in replies]
        assert all("errors" not in b for b in bodies), bodies
        ids = {b["data"]["insertTwootOne"]["id"] for b in bodies}
        assert len(ids) == 30
        counts = await asyncio.gather(
            *(
                client.post(url, json={"query": "{ twootAggregate { aggregate { count } } }"})
                for _ in range(20)
            )
        )
        assert {c.json()["data"]["twootAggregate"]["aggregate"]["count"] for c in counts} == {30}
