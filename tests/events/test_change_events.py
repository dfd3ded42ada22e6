"""Change events a subscriber can trust: one per table and operation of a committed unit,
typed keys, commit order, and subscribers that cannot hurt the writer."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from omega_gql import ChangeEvent, OmegaApp, create_app
from omega_gql.orm import Column, DateTime, Model, String, Uuid


class Reading(Model):
    __tablename__ = "reading"
    taken_at = Column(DateTime, primary_key=True)
    note = Column(String)


class Device(Model):
    __tablename__ = "device"
    id = Column(Uuid, primary_key=True)
    label = Column(String)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def recorded(app: OmegaApp) -> list[ChangeEvent]:
    seen: list[ChangeEvent] = []
    app.on_change(seen.append)  # a plain callable subscribes as well as an async one
    return seen


def test_a_unit_publishes_one_event_per_table_and_operation_in_commit_order(
    started: OmegaApp,
) -> None:
    seen = recorded(started)
    result = run(
        started.execute(
            """mutation {
              a: insertUser(objects: [{userName: "ann", twoots: {data: [{content: "1"}, {content: "2"}]}},
                                      {userName: "bob", twoots: {data: [{content: "3"}]}}]) { affectedRows }
              b: updateTwoot(where: {}, _set: {content: "x"}) { affectedRows }
              c: updateTwoot(where: {id: {_eq: 1}}, _set: {content: "y"}) { affectedRows }
            }"""
        )
    )
    assert "errors" not in result, result
    assert [(e.table, e.op, e.pks) for e in seen] == [
        ("user", "insert", ((1,), (2,))),
        ("twoot", "insert", ((1,), (2,), (3,))),
        ("twoot", "update", ((1,), (2,), (3,))),
    ]
    run(started.execute("mutation { deleteTwootByPk(id: 3) { id } }"))
    assert [e.seq for e in seen] == [1, 2, 3, 4]


def test_a_failing_subscriber_is_logged_and_the_write_still_answered(
    started: OmegaApp, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: ChangeEvent) -> None:
        raise RuntimeError("subscriber bug")

    async def broken_async(event: ChangeEvent) -> None:
        raise RuntimeError("async subscriber bug")

    started.on_change(broken)
    started.on_change(broken_async)
    seen = recorded(started)

    async def write_then_settle() -> dict[str, Any]:
        answer = await started.execute(
            'mutation { insertUserOne(object: {userName: "ann"}) { id } }'
        )
        await asyncio.sleep(0.01)
        return answer

    assert run(write_then_settle()) == {"data": {"insertUserOne": {"id": 1}}}
    assert [e.table for e in seen] == ["user"]
    assert "subscriber bug" in caplog.text and "async subscriber bug" in caplog.text
    assert run(started.execute("{ user { userName } }")) == {
        "data": {"user": [{"userName": "ann"}]}
    }


@pytest.mark.parametrize(
    ("model", "row", "key"),
    [
        (
            Reading,
            {"taken_at": "2024-01-02T03:04:05.123456", "note": "n"},
            datetime.datetime(2024, 1, 2, 3, 4, 5, 123456),
        ),
        (
            Device,
            {"id": "12345678-1234-5678-1234-567812345678", "label": "d"},
            uuid.UUID("12345678-1234-5678-1234-567812345678"),
        ),
    ],
    ids=["datetime key", "uuid key"],
)
def test_event_keys_keep_their_types_through_the_codec(
    db_url: str, model: type, row: dict[str, Any], key: Any
) -> None:
    app = create_app(models=[model], database_url=db_url)
    app.create_tables()
    seen = recorded(app)
    try:
        run(app.insert(model, row))
    finally:
        app.database.dispose()
    [event] = seen
    assert event.pks == ((key,),)
    assert ChangeEvent.decode(event.encode()) == event


def test_the_codec_round_trips_every_key_type() -> None:
    event = ChangeEvent(
        "t",
        "update",
        (
            (
                1,
                "a",
                datetime.date(2024, 1, 2),
                datetime.time(3, 4),
                decimal.Decimal("1.50"),
                b"\x00\xff",
            ),
        ),
        seq=7,
    )
    assert ChangeEvent.decode(event.encode()) == event


def test_a_rolled_back_unit_publishes_nothing(started: OmegaApp) -> None:
    seen = recorded(started)
    answer = run(
        started.execute(
            'mutation { a: insertUserOne(object: {userName: "ann"}) { id }'
            ' b: insertTwootOne(object: {content: "x", userId: 999}) { id } }'
        )
    )
    assert answer["errors"][0]["extensions"]["code"] == "constraint-violation"
    assert seen == []
    with started.database.engine.connect() as connection:
        assert connection.execute(sa.text('select count(*) from "user"')).scalar() == 0
