"""The benchmark's data on PostgreSQL: a template database filled once from the SQLite
one (the same rows), and a fresh database per server run made from it, so one run's
inserts never reach the next."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import psycopg
from psycopg import sql

#: The server the databases are made on (the maintenance database of a trusted local one).
ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def url(database: str, *, sqlalchemy: bool = False) -> str:
    """``database`` on the benchmark's server, as psycopg or SQLAlchemy spell it."""
    base = ADMIN_URL.rsplit("/", 1)[0] + f"/{database}"
    return base.replace("postgresql://", "postgresql+psycopg://", 1) if sqlalchemy else base


def template_name(users: int, twoots: int) -> str:
    return f"omega_bench_{users}u_{twoots}t"


def ensure_template(source: Path, users: int, twoots: int) -> bool:
    """Make the template database from the SQLite file ``source`` unless it is there with
    this many rows; True if made."""
    name = template_name(users, twoots)
    if _counts(name) == (users, twoots):
        return False
    drop(name)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    # Imported here: the engine package is only needed when a database is made.
    import sqlalchemy as sa

    from examples.twooter.models import Twoot, User
    from omega_gql.orm import Model

    engine = sa.create_engine(url(name, sqlalchemy=True))
    try:
        Model.metadata.create_all(engine, tables=[User.__table__, Twoot.__table__])  # type: ignore[list-item]
    finally:
        engine.dispose()
    rows = sqlite3.connect(source)
    try:
        with psycopg.connect(url(name)) as con, con.cursor() as cur:
            with cur.copy('COPY "user" (id, user_name, joined_at) FROM STDIN') as copy:
                for row in rows.execute("SELECT id, user_name, joined_at FROM user"):
                    copy.write_row(row)
            with cur.copy("COPY twoot (id, content, posted_at, user_id) FROM STDIN") as copy:
                for row in rows.execute("SELECT id, content, posted_at, user_id FROM twoot"):
                    copy.write_row(row)
            for table in ("user", "twoot"):
                cur.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({}, 'id'), max(id)) FROM {}"
                    ).format(sql.Literal(f'"{table}"'), sql.Identifier(table))
                )
            cur.execute("CREATE INDEX IF NOT EXISTS ix_bench_posted_at ON twoot (posted_at)")
            cur.execute(
                "CREATE INDEX IF NOT EXISTS ix_bench_user_posted ON twoot (user_id, posted_at)"
            )
        with psycopg.connect(url(name), autocommit=True) as con:
            con.execute("VACUUM ANALYZE")
    finally:
        rows.close()
    return True


def fresh_copy(template: str, name: str) -> str:
    """A new database ``name`` holding the template's rows; returns its name."""
    drop(name)
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return name


def drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _counts(name: str) -> tuple[int, int] | None:
    try:
        with psycopg.connect(url(name)) as con:
            (users,) = con.execute('SELECT count(*) FROM "user"').fetchone()  # type: ignore[misc]
            (twoots,) = con.execute("SELECT count(*) FROM twoot").fetchone()  # type: ignore[misc]
            return int(users), int(twoots)
    except psycopg.Error:
        return None
