"""The app's database: one SQLAlchemy engine and how work reaches it.

SQLite work runs inline on the event loop over one long-lived connection: each call is
short, never awaits mid-transaction, and so needs no pool, thread hop or lock contention.
The loop is never held by SQLite, though:

- no waiting inside SQLite for a lock: WAL readers take none, and a write that finds
  another process holding the write lock yields to the loop and retries;
- a statement still running after ``inline_budget`` is interrupted and run again on a
  worker thread (a read on a reader connection of its own, a write on the connection,
  which calls from the loop then wait for without blocking it).

Other databases run each call on a worker thread with a pooled connection.

``transaction()`` holds one transaction across awaits (a GraphQL mutation document that
mixes app-written resolvers with generated fields): the calls of the task that holds it
run inside it, each write as a savepoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import math
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from .errors import DatabaseBusy, LimitExceeded
from .query.execute import omega_max_rows
from .query.patterns import omega_match

T = TypeVar("T")


def create_engine(
    url: str, pool_size: int, *, reader: bool = False, statement_timeout: int = 0
) -> Engine:
    """An engine configured for serving: SQLite enforces foreign keys and case-sensitive LIKE.

    ``reader``: a pool of read-only connections to a SQLite file, for reads moved off the loop.
    ``statement_timeout``: milliseconds a PostgreSQL statement may run (0: no limit).
    """
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        options = {"options": f"-c statement_timeout={statement_timeout}"}
        # No pre-ping: it would cost a round trip per request; recycling retires old
        # connections instead.
        return sa.create_engine(
            sa_url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=1800,
            connect_args=options if statement_timeout else {},
        )
    engine = sa.create_engine(
        sa_url,
        connect_args={"check_same_thread": False},
        **({"pool_size": 4, "max_overflow": 4} if reader else {"poolclass": StaticPool}),
    )
    file_backed = is_file_backed(sa_url)

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling begins only before DML, so the reads a
        # write starts with would run outside it; transactions are begun explicitly below.
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function("omega_match", 3, omega_match, deterministic=True)
        dbapi_connection.create_function("omega_max_rows", 1, omega_max_rows)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA case_sensitive_like=ON")
        # No waiting inside SQLite: a write finding the lock taken gives the event loop back
        # and retries (``Database.write``), so other requests go on meanwhile.
        # Readers run on worker threads, where waiting out a checkpoint blocks nobody.
        cursor.execute(f"PRAGMA busy_timeout={5000 if reader else 0}")
        if reader:
            cursor.execute("PRAGMA query_only=ON")
        elif file_backed:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front: processes sharing the file queue for it
        # instead of failing when a read lock cannot be upgraded.
        # A read (``Database.select``) begins a deferred transaction: it takes no write lock.
        driver: Any = connection.connection.driver_connection
        if driver.in_transaction:  # begun on the driver by ``Database._sqlite_write``
            return
        driver.execute("BEGIN" if connection.info.get("omega_read") else "BEGIN IMMEDIATE")

    return engine


def is_file_backed(url: sa.URL) -> bool:
    """Whether a SQLite URL names a file (other connections can open it) or memory."""
    return url.database not in (None, "", ":memory:") and "mode=memory" not in str(url)


def _sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code of ``error`` or of the driver error it wraps."""
    seen: BaseException | None = error
    while seen is not None:
        code = getattr(getattr(seen, "orig", seen), "sqlite_errorcode", None)
        if code is not None:
            return int(code) & 0xFF
        seen = seen.__cause__ or seen.__context__
    return None


def _is_busy(error: Exception) -> bool:
    """SQLite's SQLITE_BUSY (another connection holds the lock), by its result code."""
    return _sqlite_code(error) == 5  # SQLITE_BUSY and its extended codes


class _Slow(Exception):
    """A statement ran past the inline budget and was interrupted (nothing of it stays)."""


def _timed_out(error: BaseException) -> bool:
    """Whether ``error`` is a statement stopped by the statement timeout: PostgreSQL's
    query_canceled, or SQLite interrupted by the progress handler."""
    seen: BaseException | None = error
    while seen is not None:
        if getattr(getattr(seen, "orig", seen), "sqlstate", None) == "57014":
            return True
        seen = seen.__cause__ or seen.__context__
    return _sqlite_code(error) == 9


_held: contextvars.ContextVar[Transaction | None] = contextvars.ContextVar(
    "omega_transaction", default=None
)


class Transaction:
    """A transaction held across awaits by ``Database.transaction()``."""

    def __init__(self, database: Database, connection: Connection) -> None:
        self.database = database
        self.connection = connection
        self.open = True
        # SQLite's one connection is shared with the loop's calls; a pooled one is not.
        self._guard: Any = database._lock if database.is_sqlite else contextlib.nullcontext()

    async def call(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the held connection, off the loop: nothing inline may run long while
        the connection is held."""

        database = self.database

        def guarded() -> T:
            with self._guard:
                if not database.is_sqlite:
                    return fn()
                return database._unbudgeted(fn)

        return await database._off_loop(guarded)

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """``fn(connection)`` as a savepoint: if it raises, only its own work is undone."""

        def savepoint() -> T:
            with self.connection.begin_nested():
                return fn(self.connection)

        return await self.call(savepoint)

    async def read(self, fn: Callable[[Any], T]) -> T:
        """``fn(dbapi_connection)`` inside the transaction: it sees its writes."""
        return await self.call(lambda: fn(self.connection.connection.driver_connection))

    async def select(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        return await self.call(lambda: list(self.connection.execute(stmt)))


class Database:
    """Runs read and write callables against the engine, the right way for its dialect.

    Attributes:
        busy_timeout: seconds a SQLite write waits for another process's write lock.
        inline_budget: seconds a SQLite statement may run on the event loop before it is
            moved to a worker thread.
    """

    def __init__(
        self,
        url: str,
        pool_size: int = 20,
        busy_timeout: int = 5000,
        inline_budget: float = 0.02,
        statement_timeout: int = 30_000,
    ) -> None:
        self.url = sa.make_url(url)
        self.statement_timeout = statement_timeout
        self.engine = create_engine(url, pool_size, statement_timeout=statement_timeout)
        self.busy_timeout = busy_timeout / 1000
        self.inline_budget = inline_budget
        self.dialect = self.engine.dialect
        self.is_sqlite = self.dialect.name == "sqlite"
        self._file_backed = self.is_sqlite and is_file_backed(self.url)
        self._lock = threading.RLock()
        self._connection: Connection | None = None
        self._driver: Any = None
        self._readers: Engine | None = None
        self._readers_lock = threading.Lock()  # not _lock: a slow call may be holding that
        # Taken by whoever uses the SQLite connection across awaits (a worker thread, a
        # held transaction); calls from the loop wait for it instead of blocking on _lock.
        self._gate = asyncio.Lock()
        self._deadline = math.inf

    def _sqlite(self) -> Connection:
        """The one long-lived SQLite connection (a checkout per call would cost more than
        the statement); ``_driver`` is its DB-API connection."""
        if self._connection is None:
            self._connection = self.engine.connect()
            self._driver = self._connection.connection.driver_connection
            self._driver.set_progress_handler(self._past_deadline, 10_000)
        return self._connection

    def _past_deadline(self) -> int:
        return 1 if time.monotonic() > self._deadline else 0

    def _inline(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the loop, interrupted as ``_Slow`` once past the inline budget."""
        with self._lock:
            self._sqlite()
            self._deadline = time.monotonic() + self.inline_budget
            try:
                return fn()
            except Exception as error:
                if _sqlite_code(error) == 9 and time.monotonic() > self._deadline:
                    raise _Slow() from error  # SQLITE_INTERRUPT: ours
                raise
            finally:
                self._deadline = math.inf

    def _unbudgeted(self, fn: Callable[[], T]) -> T:
        """``fn()`` on the connection (from a worker thread), stopped at the statement
        timeout."""
        with self._lock:
            self._sqlite()
            outer = self._deadline
            self._deadline = min(outer, time.monotonic() + self.statement_timeout / 1000)
            try:
                return fn()
            finally:
                self._deadline = outer

    async def _off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on a worker thread; a statement stopped by the statement timeout
        raises ``LimitExceeded`` (its transaction rolled back)."""
        try:
            return await anyio.to_thread.run_sync(fn, *args)
        except LimitExceeded:
            raise
        except Exception as error:
            if _timed_out(error):
                raise LimitExceeded(
                    "a database statement ran too long and was stopped",
                    "statement_timeout",
                    self.statement_timeout,
                ) from error
            raise

    async def _on_sqlite(
        self, fn: Callable[[], T], elsewhere: Callable[[], Awaitable[T]] | None = None
    ) -> T:
        """``fn()`` on the SQLite connection: inline while quick; else ``elsewhere()`` when
        given, or on a worker thread with the connection to itself (calls from the loop
        wait for the gate meanwhile)."""
        if not self._gate.locked():
            try:
                return self._inline(fn)
            except _Slow:
                pass
        if elsewhere is not None:
            return await elsewhere()
        async with self._gate:
            return await self._off_loop(self._unbudgeted, fn)

    def _holding(self) -> Transaction | None:
        """The open transaction this task holds on this database, if any."""
        held = _held.get()
        return held if held is not None and held.open and held.database is self else None

    # ---- reads ------------------------------------------------------------------------

    async def read(self, fn: Callable[[Any], T]) -> T:
        """Call ``fn(dbapi_connection)`` for a read; returns what it returns."""
        held = self._holding()
        if held is not None:
            return await held.read(fn)
        if not self.is_sqlite:
            return await self._off_loop(self._pooled_read, fn)
        if not self._file_backed:
            return await self._on_sqlite(lambda: fn(self._driver))
        # A file has readers of its own: a slow read leaves the connection to the others.
        return await self._on_sqlite(
            lambda: fn(self._driver), lambda: self._off_loop(self._reader_read, fn)
        )

    def _reader_read(self, fn: Callable[[Any], T]) -> T:
        if self._readers is None:
            with self._readers_lock:
                if self._readers is None:
                    self._readers = create_engine(str(self.url), 4, reader=True)
        raw = self._readers.raw_connection()
        driver: Any = raw.driver_connection
        deadline = time.monotonic() + self.statement_timeout / 1000
        driver.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        try:
            return fn(driver)
        finally:
            driver.set_progress_handler(None, 0)
            raw.close()

    def _pooled_read(self, fn: Callable[[Any], T]) -> T:
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

    async def select(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        """The rows of a SQLAlchemy ``select`` (for app code), read without taking a write
        lock; writes go through the write service instead."""
        held = self._holding()
        if held is not None:
            return await held.select(stmt)
        if not self.is_sqlite:
            return await self._off_loop(self._pooled_select, stmt)
        return await self._on_sqlite(lambda: self._sqlite_select(stmt))

    def _pooled_select(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        with self.engine.connect() as connection:
            rows = list(connection.execute(stmt))
            connection.rollback()
            return rows

    def _sqlite_select(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        connection = self._sqlite()
        connection.info["omega_read"] = True
        try:
            with connection.begin() as transaction:
                rows = list(connection.execute(stmt))
                transaction.rollback()
            return rows
        finally:
            connection.info["omega_read"] = False

    # ---- writes -----------------------------------------------------------------------

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """Call ``fn(connection)`` in one transaction, rolled back if it raises; inside a
        held ``transaction()``, as a savepoint of it.

        On SQLite, while another process holds the write lock the attempt is retried with
        growing pauses that give the loop back, up to the busy timeout; then
        ``DatabaseBusy``. ``fn`` has not run when an attempt finds the lock taken; it runs
        again from the start when it ran past the inline budget (its work rolled back).
        """
        held = self._holding()
        if held is not None:
            return await held.write(fn)
        if not self.is_sqlite:
            return await self._off_loop(self._pooled_write, fn)
        return await self._until_free(lambda: self._on_sqlite(lambda: self._sqlite_write(fn)))

    async def _until_free(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """``await attempt()`` again while it finds SQLite's write lock taken."""
        deadline = time.monotonic() + self.busy_timeout
        pause = 0.001
        while True:
            try:
                return await attempt()
            except DatabaseBusy:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                await asyncio.sleep(min(pause, left))
                pause = min(pause * 2, 0.05)

    def _pooled_write(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.begin() as connection:
            return fn(connection)

    def _begin(self) -> Connection:
        """BEGIN IMMEDIATE on the SQLite driver (SQLAlchemy's transaction bookkeeping would
        cost more than an insert); statements run through SQLAlchemy autobegin on top of it
        (the begin hook sees it open), and ``_end`` ends both."""
        connection = self._sqlite()
        try:
            self._driver.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _is_busy(error):  # another process holds the write lock
                raise DatabaseBusy() from error
            raise
        return connection

    def _sqlite_write(self, fn: Callable[[Connection], T]) -> T:
        connection = self._begin()
        try:
            result = fn(connection)
        except BaseException:
            _end(connection, commit=False)
            raise
        _end(connection, commit=True)
        return result

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Hold one transaction while the block runs: this task's reads and writes run in
        it (each write a savepoint); it commits when the block ends, and rolls back if it
        raises. Inside another held transaction, that one is used."""
        held = self._holding()
        if held is not None:
            yield held
            return
        if self.is_sqlite:
            async with self._gate:
                connection = await self._until_free(self._begin_held)
                async with self._holding_for(Transaction(self, connection)) as held:
                    yield held
            return
        connection = await anyio.to_thread.run_sync(self.engine.connect)
        try:
            await anyio.to_thread.run_sync(connection.begin)
            async with self._holding_for(Transaction(self, connection)) as held:
                yield held
        finally:
            await anyio.to_thread.run_sync(connection.close)

    async def _begin_held(self) -> Connection:
        with self._lock:
            return self._begin()

    @contextlib.asynccontextmanager
    async def _holding_for(self, held: Transaction) -> AsyncIterator[Transaction]:
        token = _held.set(held)
        try:
            try:
                yield held
            except BaseException:
                await held.call(lambda: _end(held.connection, commit=False))
                raise
            await held.call(lambda: _end(held.connection, commit=True))
        finally:
            held.open = False
            _held.reset(token)

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
            if self._readers is not None:
                self._readers.dispose()
                self._readers = None


def _end(connection: Connection, *, commit: bool) -> None:
    """Commit or roll back ``connection``'s transaction, whether SQLAlchemy began it or
    ``Database._begin`` did on the SQLite driver."""
    if connection.in_transaction():
        (connection.commit if commit else connection.rollback)()
    driver: Any = connection.connection.driver_connection
    if isinstance(driver, sqlite3.Connection) and driver.in_transaction:
        (driver.commit if commit else driver.rollback)()
