"""Write requests driven directly, as REST, the admin and app code will drive them."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from omega_gql import OmegaApp
from omega_gql.query import ColumnField, Compare, ObjectField, Param, Selection
from omega_gql.service import Delete, Insert, Nested, Update

NAMES = Selection((ColumnField("id", "id"), ColumnField("name", "user_name")))
TWOOT = Selection(
    (
        ColumnField("text", "content"),
        ObjectField("by", "user", Selection((ColumnField("n", "user_name"),))),
    )
)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def returned(result: Any) -> list[Any]:
    return [orjson.loads(text) for text in result.returning]


def test_insert_with_nested_rows_counts_every_row_and_reads_them_back(started: OmegaApp) -> None:
    request = Insert(
        "twoot", ({"content": "hi", "user": Nested(({"user_name": "ann"},))},), returning=TWOOT
    )
    result = run(started.writes.write(request))
    assert result.pks == [(1,)]
    assert result.affected == 2
    assert returned(result) == [{"text": "hi", "by": {"n": "ann"}}]


def test_one_prepared_insert_serves_every_value_of_its_params(started: OmegaApp) -> None:
    plan = started.writes.prepare(Insert("user", ({"user_name": Param("name")},), returning=NAMES))
    results = [
        run(started.writes.run(lambda unit, n=n: plan.run(unit, {"name": n})))
        for n in ("ann", "bob")
    ]
    assert [returned(r) for r in results] == [
        [{"id": 1, "name": "ann"}],
        [{"id": 2, "name": "bob"}],
    ]


def test_update_sets_and_increments_the_matching_rows_in_key_order(started: OmegaApp) -> None:
    run(
        started.writes.write(
            Insert("user", ({"user_name": "bob"}, {"user_name": "ann"}, {"user_name": "cat"}))
        )
    )
    request = Update("user", Compare("user_name", "in", ("cat", "bob")), {}, {"id": 10}, NAMES)
    result = run(started.writes.write(request))
    assert result.pks == [(11,), (13,)]
    assert returned(result) == [{"id": 11, "name": "bob"}, {"id": 13, "name": "cat"}]


def test_delete_returns_the_rows_as_they_were(started: OmegaApp) -> None:
    run(started.writes.write(Insert("user", ({"user_name": "ann"}, {"user_name": "bob"}))))
    result = run(started.writes.write(Delete("user", Compare("user_name", "eq", "ann"), NAMES)))
    assert (result.pks, result.affected, returned(result)) == (
        [(1,)],
        1,
        [{"id": 1, "name": "ann"}],
    )
    left = run(started.writes.write(Delete("user", None, NAMES)))
    assert returned(left) == [{"id": 2, "name": "bob"}]


@pytest.mark.parametrize(
    "where", [None, Compare("user_name", "eq", "nobody")], ids=["every row", "no match"]
)
def test_delete_of_nothing_affects_no_rows(started: OmegaApp, where: Any) -> None:
    result = run(started.writes.write(Delete("user", where, NAMES)))
    assert (result.pks, result.affected, result.returning) == ([], 0, [])
