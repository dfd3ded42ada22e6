"""The write service: one transaction per unit, change events only after commit."""

from __future__ import annotations

import asyncio

import pytest

from examples.twooter.models import Twoot, User
from omega_gql import ChangeEvent, ConstraintViolation, OmegaApp, ValidationFailed
from omega_gql.service import Nested, OnConflict, insert


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def events_of(app: OmegaApp) -> list[ChangeEvent]:
    seen: list[ChangeEvent] = []

    async def record(event: ChangeEvent) -> None:
        seen.append(event)

    app.on_change(record)
    return seen


def test_committed_insert_publishes_one_event_per_table(started: OmegaApp) -> None:
    seen = events_of(started)
    [(twoot_id,)] = run(
        started.insert(Twoot, {"content": "hi", "user": Nested(({"user_name": "ann"},))})
    )
    assert [(e.table, e.op) for e in seen] == [("user", "insert"), ("twoot", "insert")]
    assert seen[1].pks == ((twoot_id,),)


def test_rolled_back_insert_publishes_nothing_and_writes_nothing(started: OmegaApp) -> None:
    seen = events_of(started)
    user = started.registry.of(User)
    twoot = started.registry.of(Twoot)

    def work(unit):  # type: ignore[no-untyped-def]
        insert(unit, user, [{"user_name": "ann"}])
        insert(unit, twoot, [{"content": "orphan", "user_id": 999}])

    with pytest.raises(ConstraintViolation):
        run(started.writes.run(work))
    assert seen == []
    assert run(started.execute("{ userAggregate { aggregate { count } } }")) == {
        "data": {"userAggregate": {"aggregate": {"count": 0}}}
    }


def test_missing_required_column_names_the_field(started: OmegaApp) -> None:
    with pytest.raises(ConstraintViolation, match="Not-NULL") as failure:
        run(started.insert(Twoot, {"user_id": 1}))
    assert failure.value.path[-1] == "content"


def test_nested_insert_links_to_an_existing_row_on_conflict(started: OmegaApp) -> None:
    run(started.insert(User, {"user_name": "ann"}))
    author = Nested(({"user_name": "ann"},), OnConflict("user_user_name_key"))
    run(started.insert(Twoot, {"content": "a", "user": author}))
    run(started.insert(Twoot, {"content": "b", "user": author}))
    data = run(started.execute("{ user { userName twootsAggregate { aggregate { count } } } }"))
    assert data == {
        "data": {"user": [{"userName": "ann", "twootsAggregate": {"aggregate": {"count": 2}}}]}
    }


def test_app_update_and_delete_go_through_the_write_service(started: OmegaApp) -> None:
    from omega_gql.query import Compare

    seen = events_of(started)
    run(started.insert(User, {"user_name": "ann"}, {"user_name": "bob"}))
    assert run(started.update(User, {"user_name": "bob"}, set={"user_name": "bo"})) == [(2,)]
    assert run(started.update(User, Compare("id", "gte", 1), inc={"id": 10})) == [(11,), (12,)]
    assert run(started.delete(User, {"user_name": "ann"})) == [(11,)]
    assert [(e.op, e.pks) for e in seen] == [
        ("insert", ((1,), (2,))),
        ("update", ((2,),)),
        ("update", ((11,), (12,))),
        ("delete", ((11,),)),
    ]
    with pytest.raises(ValidationFailed):
        run(started.update(User, {}, set={"nope": 1}))


def test_app_reads_take_no_write_lock(started: OmegaApp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from omega_gql import func, select

    run(started.insert(User, {"user_name": "ann"}))
    if not started.database.is_sqlite:
        assert run(started.scalar(select(func.count(User.id)))) == 1
        return
    # Another process holds the write lock: a read still answers at once.
    other = sqlite3.connect(started.database.engine.url.database, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert run(started.scalar(select(func.count(User.id)))) == 1
        assert [r.user_name for r in run(started.select(select(User.user_name)))] == ["ann"]
    finally:
        other.rollback()
        other.close()
