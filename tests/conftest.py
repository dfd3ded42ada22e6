"""Fixtures: a database per test (SQLite file, and PostgreSQL when it runs), the Twooter
app on it in either naming convention, a started client, and a statement counter."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from examples.twooter.models import Twoot, User
from omega_gql import OmegaApp, create_app
from omega_gql.orm import Model
from omega_gql.testing import OmegaClient, serve

PG_URL = os.environ.get("OMEGA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI") == "true"
_pg_state: dict[str, str | None] = {}


def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    if "reason" not in _pg_state:
        try:
            engine = sa.create_engine(PG_URL)
            with engine.connect() as connection:
                connection.execute(sa.text("select 1"))
            engine.dispose()
            _pg_state["reason"] = None
        except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
            _pg_state["reason"] = (
                f"PostgreSQL at {PG_URL} is not reachable: {error.__class__.__name__}"
            )
    return _pg_state["reason"]


def need_postgres() -> None:
    reason = postgres_unavailable()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)


REDIS_URL = os.environ.get("OMEGA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def need_redis() -> None:
    """Skip (fail under CI=true) when the Redis server the tests use does not answer."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"Redis at {REDIS_URL} is not reachable: {error.__class__.__name__}"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: Redis tests must run)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, dropped at the end."""
    need_postgres()
    name = f"omega_test_{os.getpid()}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or this run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url: str = request.getfixturevalue("pg_database")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture
def naming() -> str:
    return "graphql-default"


def make_app(db_url: str, naming: str = "graphql-default", **options: Any) -> OmegaApp:
    return create_app(models=[User, Twoot], database_url=db_url, naming=naming, **options)


@pytest.fixture
def app(db_url: str, naming: str) -> OmegaApp:
    return make_app(db_url, naming)


@pytest.fixture
def started(app: OmegaApp) -> Iterator[OmegaApp]:
    """The app with its tables created, for tests that drive the engine without HTTP."""
    app.create_tables()
    yield app
    app.database.dispose()


@pytest.fixture
def client(app: OmegaApp) -> Iterator[OmegaClient]:
    with serve(app) as test_client:
        yield test_client


@pytest.fixture
def seed(client: OmegaClient) -> OmegaClient:
    """Three users and six twoots with known timestamps, inserted through the API."""
    client.graphql(
        """mutation { insertUser(objects: [
            {userName: "ann", joinedAt: "2024-01-01T00:00:00", twoots: {data: [
                {content: "hello world", postedAt: "2024-01-02T10:00:00"},
                {content: "Second post", postedAt: "2024-01-03T10:00:00"},
                {content: "third", postedAt: "2024-01-04T10:00:00"}]}},
            {userName: "bob", joinedAt: "2024-02-01T00:00:00", twoots: {data: [
                {content: "hi from bob", postedAt: "2024-01-05T10:00:00"},
                {content: "bob again", postedAt: null}]}},
            {userName: "cat", joinedAt: null, twoots: {data: [
                {content: "Meow", postedAt: "2024-01-06T10:00:00"}]}}
        ]) { affectedRows } }"""
        if client.app.settings.naming == "graphql-default"  # type: ignore[attr-defined]
        else """mutation { insert_user(objects: [
            {user_name: "ann", joined_at: "2024-01-01T00:00:00", twoots: {data: [
                {content: "hello world", posted_at: "2024-01-02T10:00:00"},
                {content: "Second post", posted_at: "2024-01-03T10:00:00"},
                {content: "third", posted_at: "2024-01-04T10:00:00"}]}},
            {user_name: "bob", joined_at: "2024-02-01T00:00:00", twoots: {data: [
                {content: "hi from bob", posted_at: "2024-01-05T10:00:00"},
                {content: "bob again", posted_at: null}]}},
            {user_name: "cat", joined_at: null, twoots: {data: [
                {content: "Meow", posted_at: "2024-01-06T10:00:00"}]}}
        ]) { affected_rows } }"""
    )
    return client


class StatementCounter:
    """Counts the SQL statements a SQLite connection runs (BEGIN/COMMIT excluded)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, sql: str) -> None:
        if not sql.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.statements.append(sql)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(app: OmegaApp) -> Iterator[StatementCounter]:
    """Counts the statements the app's driver runs: SQLite's trace callback, or a psycopg
    cursor class that reports every ``execute``."""
    counter = StatementCounter()
    if app.database.is_sqlite:
        raw = app.database.engine.raw_connection().driver_connection
        raw.set_trace_callback(counter)
        yield counter
        raw.set_trace_callback(None)
        return
    import psycopg

    class CountingCursor(psycopg.Cursor):  # type: ignore[type-arg]
        def execute(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def]
            counter(str(query))
            return super().execute(query, params, **kwargs)

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.cursor_factory = CountingCursor

    sa.event.listen(app.database.engine, "checkout", on_checkout)
    yield counter
    sa.event.remove(app.database.engine, "checkout", on_checkout)


__all__ = ["Model"]
