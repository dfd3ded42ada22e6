"""The app's database: one SQLAlchemy engine and how work reaches it.

SQLite work runs inline on the event loop over one long-lived connection: each call is
short, never awaits mid-transaction, and so needs no pool, thread hop or lock contention.
It never waits inside SQLite for a lock either: WAL readers take none, and a write that
finds another process holding the write lock yields to the loop and retries.
Other databases run each call on a worker thread with a pooled connection.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from .errors import DatabaseBusy
from .query.patterns import omega_match

T = TypeVar("T")


def create_engine(url: str, pool_size: int) -> Engine:
    """An engine configured for serving: SQLite enforces foreign keys and case-sensitive LIKE."""
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        # No pre-ping: it would cost a round trip per request; recycling retires old
        # connections instead.
        return sa.create_engine(
            sa_url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800
        )
    engine = sa.create_engine(
        sa_url, poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    file_backed = sa_url.database not in (None, "", ":memory:") and "mode=memory" not in str(sa_url)

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling begins only before DML, so the reads a
        # write starts with would run outside it; transactions are begun explicitly below.
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function("omega_match", 3, omega_match, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA case_sensitive_like=ON")
        # No waiting inside SQLite: a write finding the lock taken gives the event loop back
        # and retries (``Database.write``), so other requests go on meanwhile.
        cursor.execute("PRAGMA busy_timeout=0")
        if file_backed:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front: processes sharing the file queue for it
        # instead of failing when a read lock cannot be upgraded.
        # A read (``Database.select``) begins a deferred transaction: it takes no write lock.
        mode = "BEGIN" if connection.info.get("omega_read") else "BEGIN IMMEDIATE"
        connection.connection.driver_connection.execute(mode)  # type: ignore[union-attr]

    return engine


def _is_busy(error: Exception) -> bool:
    """SQLite's SQLITE_BUSY (another connection holds the lock), by its result code."""
    code = getattr(getattr(error, "orig", error), "sqlite_errorcode", None)
    return code is not None and code & 0xFF == 5  # SQLITE_BUSY and its extended codes


class Database:
    """Runs read and write callables against the engine, the right way for its dialect."""

    def __init__(self, url: str, pool_size: int = 20, busy_timeout: int = 5000) -> None:
        self.engine = create_engine(url, pool_size)
        self.busy_timeout = busy_timeout / 1000
        self.dialect = self.engine.dialect
        self.is_sqlite = self.dialect.name == "sqlite"
        self._lock = threading.RLock()
        self._connection: Connection | None = None
        self._driver: Any = None

    def _sqlite(self) -> Connection:
        """The one long-lived SQLite connection (a checkout per call would cost more than
        the statement); ``_driver`` is its DB-API connection."""
        if self._connection is None:
            self._connection = self.engine.connect()
            self._driver = self._connection.connection.driver_connection
        return self._connection

    async def read(self, fn: Callable[[Any], T]) -> T:
        """Call ``fn(dbapi_connection)`` for a read; returns what it returns."""
        if self.is_sqlite:
            return self.read_sync(fn)
        return await anyio.to_thread.run_sync(self.read_sync, fn)

    def read_sync(self, fn: Callable[[Any], T]) -> T:
        if self.is_sqlite:
            with self._lock:
                self._sqlite()
                return fn(self._driver)
        raw = self.engine.raw_connection()
        driver: Any = raw.driver_connection
        # A read is one statement: in autocommit it needs no BEGIN before it and no
        # ROLLBACK when the connection goes back to the pool, two round trips saved.
        autocommit = getattr(driver, "autocommit", None)
        try:
            if autocommit is False:
                driver.autocommit = True
            return fn(driver)
        finally:
            if autocommit is False:
                driver.autocommit = False
            raw.close()

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """Call ``fn(connection)`` in one transaction, rolled back if it raises.

        On SQLite, while another process holds the write lock the attempt is retried with
        growing pauses that give the loop back, up to the busy timeout; then
        ``DatabaseBusy``. ``fn`` has not run when an attempt finds the lock taken.
        """
        if not self.is_sqlite:
            return await anyio.to_thread.run_sync(self.write_sync, fn)
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.001
        while True:
            try:
                return self.write_sync(fn)
            except DatabaseBusy:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                await asyncio.sleep(min(pause, left))
                pause = min(pause * 2, 0.05)

    def write_sync(self, fn: Callable[[Connection], T]) -> T:
        if not self.is_sqlite:
            with self.engine.begin() as connection:
                return fn(connection)
        with self._lock:
            connection = self._sqlite()
            try:
                transaction = connection.begin()
            except (sa.exc.OperationalError, sqlite3.OperationalError) as error:
                if _is_busy(error):  # BEGIN IMMEDIATE found the write lock taken
                    raise DatabaseBusy() from error
                raise
            with transaction:
                return fn(connection)

    async def select(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        """The rows of a SQLAlchemy ``select`` (for app code), read without taking a write
        lock; writes go through the write service instead."""
        if self.is_sqlite:
            return self._select(stmt)
        return await anyio.to_thread.run_sync(self._select, stmt)

    def _select(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        if not self.is_sqlite:
            with self.engine.connect() as connection:
                rows = list(connection.execute(stmt))
                connection.rollback()
                return rows
        with self._lock:
            connection = self._sqlite()
            connection.info["omega_read"] = True
            try:
                with connection.begin() as transaction:
                    rows = list(connection.execute(stmt))
                    transaction.rollback()
                return rows
            finally:
                connection.info["omega_read"] = False

    def create_tables(self, tables: list[sa.Table]) -> None:
        """Create the tables that do not exist yet."""
        if tables:
            with self._lock:
                tables[0].metadata.create_all(self.engine, tables=tables)

    def dispose(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
            self._connection = self._driver = None
            self.engine.dispose()
