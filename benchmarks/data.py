"""Build the Twooter benchmark database once, and copy it for each server run."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import Table, create_engine, insert

DATA_DIR = Path(__file__).resolve().parent / ".data"
SEED = 20260101
FIRST_POST = datetime(2026, 1, 1)
# Words of the generated content; a quote, a backslash and non-ASCII text make any
# difference in JSON escaping between two servers show up in the answer check.
WORDS = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
    'café naïve 東京 "quoted" back\\slash emoji🙂 tab\tend'
).split(" ")


def default_path(users: int, twoots: int) -> Path:
    """Where the database of this size lives unless ``--db`` says otherwise."""
    return DATA_DIR / f"twooter-{users}u-{twoots}t.db"


def _counts(path: Path) -> tuple[int, int] | None:
    """Row counts of (user, twoot), or None if the file is not a usable database."""
    try:
        # Not read-only: a read-only connection would leave -wal/-shm files behind.
        con = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        try:
            users = con.execute('SELECT count(*) FROM "user"').fetchone()[0]
            twoots = con.execute("SELECT count(*) FROM twoot").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return int(users), int(twoots)


def has_size(path: Path, users: int, twoots: int) -> bool:
    """True if ``path`` is a database with exactly this many users and twoots."""
    return path.exists() and _counts(path) == (users, twoots)


def ensure_database(path: Path, users: int, twoots: int) -> bool:
    """Create the database at ``path`` unless one of this size is there; True if built."""
    if has_size(path, users, twoots):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    _remove(tmp)
    _build(tmp, users, twoots)
    tmp.replace(path)
    return True


def _build(path: Path, users: int, twoots: int) -> None:
    # Imported here: the engine package is only needed when a database is built.
    from examples.twooter.models import Twoot, User
    from omega_gql.orm import Model

    rng = random.Random(SEED)
    engine = create_engine(f"sqlite:///{path}")
    try:
        users_t, twoots_t = cast(Table, User.__table__), cast(Table, Twoot.__table__)
        Model.metadata.create_all(engine, tables=[users_t, twoots_t])
        user_rows = [
            {"id": i, "user_name": f"user{i:04d}", "joined_at": FIRST_POST - timedelta(days=i)}
            for i in range(1, users + 1)
        ]
        # Increasing, distinct timestamps with non-zero microseconds; Python datetimes
        # through Core are stored in SQLAlchemy's 'YYYY-MM-DD HH:MM:SS.ffffff' text form.
        twoot_rows = [
            {
                "id": i,
                "content": " ".join(rng.choices(WORDS, k=rng.randint(3, 12))) + f" #{i}",
                "posted_at": FIRST_POST + timedelta(seconds=17 * i, microseconds=i * 7919 % 10**6),
                "user_id": rng.randint(1, users),
            }
            for i in range(1, twoots + 1)
        ]
        with engine.begin() as conn:
            conn.execute(insert(users_t), user_rows)
            conn.execute(insert(twoots_t), twoot_rows)
    finally:
        engine.dispose()
    con = sqlite3.connect(path)
    try:
        if not _has_index_on(con, "twoot", ["posted_at"]):
            con.execute("CREATE INDEX IF NOT EXISTS ix_twoot_posted_at ON twoot (posted_at)")
        con.execute(
            "CREATE INDEX IF NOT EXISTS ix_twoot_user_id_posted_at ON twoot (user_id, posted_at)"
        )
        # Statistics persist in the file, so every server's query planner sees the same.
        con.execute("ANALYZE")
        con.commit()
        # WAL is stored in the file; synchronous=NORMAL is per connection (servers set it).
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()  # the last close checkpoints and removes the -wal file


def _has_index_on(con: sqlite3.Connection, table: str, columns: list[str]) -> bool:
    for row in con.execute(f"PRAGMA index_list({table})").fetchall():
        cols = [r[2] for r in con.execute(f"PRAGMA index_info({row[1]})").fetchall()]
        if cols == columns:
            return True
    return False


def fresh_copy(src: Path, name: str) -> Path:
    """Copy the database to ``.data/<name>.db`` so a run's inserts never reach the next."""
    dst = DATA_DIR / f"{name}.db"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    remove_database(dst)
    # SQLite's backup API, not a file copy: it also carries pages still in a -wal file.
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        target.close()
    return dst


def remove_database(path: Path) -> None:
    """Delete a database file and its WAL side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        _remove(path.with_name(path.name + suffix))


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
