"""A statement past ``statement_timeout`` is stopped with ``limit-exceeded``: it holds
neither the loop nor a connection, and a stopped write leaves nothing behind."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from omega_gql import LimitExceeded, OmegaApp
from tests.conftest import make_app

# Seconds of work on either database, far past the 200 ms limit below.
SQLITE_SLOW = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000000)"
    " SELECT count(*) FROM c"
)
PG_SLOW = "SELECT count(*) FROM pg_sleep(5)"


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "postgresql"])
def timed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OmegaApp]:
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_database")
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path / 'test.db'}" if request.param == "sqlite-file" else "sqlite://"
    app = make_app(url, statement_timeout=200)
    app.create_tables()
    yield app
    app.database.dispose()


def slow(app: OmegaApp) -> sa.TextClause:
    return sa.text(SQLITE_SLOW if app.database.is_sqlite else PG_SLOW)


def test_a_slow_read_is_stopped_and_the_database_goes_on(timed: OmegaApp) -> None:
    async def run() -> float:
        started = time.monotonic()
        with pytest.raises(LimitExceeded) as raised:
            await asyncio.wait_for(timed.scalar(slow(timed)), 10)
        assert raised.value.extra["limit"] == "statement_timeout"
        assert "OMEGA_STATEMENT_TIMEOUT" in raised.value.message
        elapsed = time.monotonic() - started
        assert await timed.scalar(sa.text("SELECT 1")) == 1
        return elapsed

    assert asyncio.run(run()) < 5


def test_a_stopped_write_writes_nothing(timed: OmegaApp) -> None:
    from examples.twooter.models import User

    statement = (
        f"INSERT INTO twoot (content, user_id) SELECT 'row', 1 FROM ({SQLITE_SLOW}) AS s"
        if timed.database.is_sqlite
        else f"INSERT INTO twoot (content, user_id) SELECT 'row', 1 FROM ({PG_SLOW}) AS s"
    )

    async def run() -> None:
        await timed.insert(User, {"user_name": "ann"})
        with pytest.raises(LimitExceeded):
            await asyncio.wait_for(
                timed.writes.run(lambda unit: unit.execute(sa.text(statement))), 10
            )
        assert await timed.scalar(sa.text("SELECT count(*) FROM twoot")) == 0
        assert await timed.scalar(sa.text('SELECT count(*) FROM "user"')) == 1

    asyncio.run(run())
