"""The query engine driven directly, as REST, the admin and live queries will drive it."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from examples.twooter.models import Twoot, User
from omega_gql import OmegaApp
from omega_gql.query import (
    AggregateField,
    AggregateSelection,
    ArrayField,
    Caller,
    ColumnField,
    Compare,
    Count,
    ListArgs,
    ObjectField,
    OrderTerm,
    Param,
    ReadRequest,
    Related,
    Selection,
    key_equals,
)
from omega_gql.service import Nested


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture
def twooter(started: OmegaApp) -> OmegaApp:
    """ann with three twoots, bob with one."""
    run(
        started.insert(
            User,
            {
                "user_name": "ann",
                "twoots": Nested(({"content": "a1"}, {"content": "a2"}, {"content": "a3"})),
            },
            {"user_name": "bob", "twoots": Nested(({"content": "b1"},))},
        )
    )
    return started


def read(app: OmegaApp, request: ReadRequest, variables: dict[str, Any] | None = None) -> Any:
    return orjson.loads(run(app.queries.read(request, variables or {})))


CONTENT = Selection((ColumnField("text", "content"),))


def test_list_with_nested_relationships_filters_orders_and_pages(twooter: OmegaApp) -> None:
    selection = Selection(
        (
            ColumnField("name", "user_name"),
            ArrayField(
                "latest",
                "twoots",
                ListArgs(order_by=(OrderTerm(("id",), "desc"),), limit=2),
                CONTENT,
            ),
        )
    )
    request = ReadRequest(
        "user", "list", ListArgs(order_by=(OrderTerm(("user_name",), "asc"),)), selection
    )
    assert read(twooter, request) == [
        {"name": "ann", "latest": [{"text": "a3"}, {"text": "a2"}]},
        {"name": "bob", "latest": [{"text": "b1"}]},
    ]


def test_one_answers_the_row_or_null(twooter: OmegaApp) -> None:
    info = twooter.registry.of(Twoot)
    selection = Selection(
        (
            ColumnField("text", "content"),
            ObjectField("by", "user", Selection((ColumnField("n", "user_name"),))),
        )
    )
    request = ReadRequest(
        "twoot", "one", ListArgs(where=key_equals(info, {"id": Param("id")})), selection
    )
    assert read(twooter, request, {"id": 4}) == {"text": "b1", "by": {"n": "bob"}}
    assert read(twooter, request, {"id": 999}) is None


def test_page_gives_the_total_count_beside_the_page(twooter: OmegaApp) -> None:
    args = ListArgs(
        where=Related("user", Compare("user_name", "eq", "ann")),
        order_by=(OrderTerm(("id",), "asc"),),
        limit=2,
        offset=1,
    )
    assert read(twooter, ReadRequest("twoot", "page", args, CONTENT)) == {
        "count": 3,
        "rows": [{"text": "a2"}, {"text": "a3"}],
    }
    empty = ListArgs(where=Compare("content", "eq", "none"), limit=2)
    assert read(twooter, ReadRequest("twoot", "page", empty, CONTENT)) == {"count": 0, "rows": []}


def test_aggregate_counts_the_filtered_rows(twooter: OmegaApp) -> None:
    agg = AggregateSelection(aggregates=(("aggregate", (Count("count"),)),))
    args = ListArgs(where=Compare("content", "like", "a%"))
    assert read(twooter, ReadRequest("twoot", "aggregate", args, agg)) == {
        "aggregate": {"count": 3}
    }


def test_a_request_is_planned_once_and_params_bind_per_run(twooter: OmegaApp) -> None:
    request = ReadRequest(
        "twoot", "list", ListArgs(where=Compare("content", "eq", Param("c"))), CONTENT
    )
    assert twooter.queries.plan(request) is twooter.queries.plan(request)
    assert read(twooter, request, {"c": "a2"}) == [{"text": "a2"}]
    assert read(twooter, request, {"c": "b1"}) == [{"text": "b1"}]


def test_the_caller_is_part_of_the_plan_key(twooter: OmegaApp) -> None:
    anonymous = ReadRequest("twoot", "list", ListArgs(), CONTENT)
    editor = ReadRequest(
        "twoot", "list", ListArgs(), CONTENT, Caller.of("editor", {"X-User-Id": "1"})
    )
    assert twooter.queries.plan(anonymous) is not twooter.queries.plan(editor)
    assert editor.caller.variable("x-user-id") == "1"


@pytest.mark.parametrize(
    ("request_", "tables"),
    [
        (ReadRequest("twoot", "list", ListArgs(), CONTENT), {"twoot"}),
        (
            ReadRequest(
                "twoot",
                "list",
                ListArgs(where=Related("user", Compare("user_name", "eq", "x"))),
                CONTENT,
            ),
            {"twoot", "user"},
        ),
        (
            ReadRequest(
                "twoot",
                "list",
                ListArgs(order_by=(OrderTerm(("user", "user_name"), "asc"),)),
                CONTENT,
            ),
            {"twoot", "user"},
        ),
        (
            ReadRequest(
                "user",
                "list",
                ListArgs(),
                Selection(
                    (
                        AggregateField(
                            "n",
                            "twoots",
                            ListArgs(),
                            AggregateSelection(aggregates=(("a", (Count("c"),)),)),
                        ),
                    )
                ),
            ),
            {"user", "twoot"},
        ),
        (
            ReadRequest(
                "twoot",
                "list",
                ListArgs(),
                Selection((ObjectField("u", "user", Selection((ColumnField("n", "user_name"),))),)),
            ),
            {"twoot", "user"},
        ),
        (
            ReadRequest(
                "user",
                "list",
                ListArgs(order_by=(OrderTerm(("twoots",), "desc", ("count", None)),)),
                Selection((ColumnField("id", "id"),)),
            ),
            {"user", "twoot"},
        ),
    ],
    ids=[
        "own table",
        "where through a relation",
        "order through a relation",
        "nested aggregate",
        "object relation",
        "order by an aggregate",
    ],
)
def test_a_plan_knows_the_tables_it_reads(
    started: OmegaApp, request_: ReadRequest, tables: set[str]
) -> None:
    assert started.queries.plan(request_).tables == frozenset(tables)
