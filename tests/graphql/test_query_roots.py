"""The query roots of a table: the list, the row by primary key, and the aggregate."""

from __future__ import annotations

import pytest


def test_list_returns_every_row_with_its_columns(seed):
    data = seed.graphql("{ twoot(orderBy: [{id: ASC}]) { id content userId postedAt } }")
    rows = [(r["id"], r["userId"], r["content"], r["postedAt"]) for r in data["twoot"]]
    assert rows == [
        (1, 1, "hello world", "2024-01-02T10:00:00"),
        (2, 1, "Second post", "2024-01-03T10:00:00"),
        (3, 1, "third", "2024-01-04T10:00:00"),
        (4, 2, "hi from bob", "2024-01-05T10:00:00"),
        (5, 2, "bob again", None),
        (6, 3, "Meow", "2024-01-06T10:00:00"),
    ]


def test_list_of_an_empty_table_is_an_empty_list(client):
    assert client.graphql("{ twoot { id } user { id } }") == {"twoot": [], "user": []}


def test_timestamps_are_spelled_as_postgresql_spells_them(seed):
    data = seed.graphql(
        "{ twootByPk(id: 1) { postedAt } user(orderBy: [{id: ASC}], limit: 1) { joinedAt } }"
    )
    assert data == {
        "twootByPk": {"postedAt": "2024-01-02T10:00:00"},
        "user": [{"joinedAt": "2024-01-01T00:00:00"}],
    }


def test_by_pk_returns_the_row(seed):
    data = seed.graphql("{ twootByPk(id: 4) { id content user { userName } } }")
    assert data == {"twootByPk": {"id": 4, "content": "hi from bob", "user": {"userName": "bob"}}}


def test_by_pk_returns_null_for_a_missing_row(seed):
    assert seed.graphql("{ twootByPk(id: 999) { id content } }") == {"twootByPk": None}


def test_by_pk_takes_the_key_from_a_variable(seed):
    query = "query($id: Int!) { userByPk(id: $id) { userName } }"
    assert seed.graphql(query, {"id": 2}) == {"userByPk": {"userName": "bob"}}
    assert seed.graphql(query, {"id": 3}) == {"userByPk": {"userName": "cat"}}
    assert seed.graphql(query, {"id": 42}) == {"userByPk": None}


def test_aggregate_computes_count_sum_avg_min_max(seed):
    data = seed.graphql(
        """{ twootAggregate { aggregate {
            count
            sum { id userId }
            avg { id userId }
            min { id userId postedAt }
            max { id userId postedAt }
        } } }"""
    )
    agg = data["twootAggregate"]["aggregate"]
    assert agg["count"] == 6
    assert agg["sum"] == {"id": 21, "userId": 10}
    assert agg["avg"] == {"id": pytest.approx(3.5), "userId": pytest.approx(10 / 6)}
    assert agg["min"] == {"id": 1, "userId": 1, "postedAt": "2024-01-02T10:00:00"}
    assert agg["max"] == {"id": 6, "userId": 3, "postedAt": "2024-01-06T10:00:00"}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("", 6),
        ("(columns: [postedAt])", 5),
        ("(columns: [userId])", 6),
        ("(columns: [userId], distinct: true)", 3),
        ("(columns: [userId], distinct: false)", 6),
        ("(columns: [postedAt], distinct: true)", 5),
    ],
    ids=[
        "rows",
        "non-null-column",
        "column",
        "distinct-column",
        "distinct-false",
        "distinct-skips-null",
    ],
)
def test_aggregate_count_honours_columns_and_distinct(seed, arguments, expected):
    data = seed.graphql(f"{{ twootAggregate {{ aggregate {{ count{arguments} }} }} }}")
    assert data["twootAggregate"]["aggregate"]["count"] == expected


def test_aggregate_filters_and_returns_nodes(seed):
    data = seed.graphql(
        """{ twootAggregate(where: {userId: {_eq: 1}}, orderBy: [{id: DESC}]) {
            aggregate { count max { id } }
            nodes { id content }
        } }"""
    )
    assert data == {
        "twootAggregate": {
            "aggregate": {"count": 3, "max": {"id": 3}},
            "nodes": [
                {"id": 3, "content": "third"},
                {"id": 2, "content": "Second post"},
                {"id": 1, "content": "hello world"},
            ],
        }
    }


def test_aggregate_applies_limit_to_both_aggregate_and_nodes(seed):
    data = seed.graphql(
        """{ twootAggregate(orderBy: [{id: DESC}], limit: 2, offset: 1) {
            aggregate { count sum { id } }
            nodes { id }
        } }"""
    )
    assert data == {
        "twootAggregate": {
            "aggregate": {"count": 2, "sum": {"id": 9}},
            "nodes": [{"id": 5}, {"id": 4}],
        }
    }


def test_aggregate_over_no_rows_counts_zero_and_sums_null(seed):
    data = seed.graphql(
        """{ twootAggregate(where: {id: {_gt: 100}}) {
            aggregate { count sum { id } avg { id } max { id } }
            nodes { id }
        } }"""
    )
    assert data == {
        "twootAggregate": {
            "aggregate": {
                "count": 0,
                "sum": {"id": None},
                "avg": {"id": None},
                "max": {"id": None},
            },
            "nodes": [],
        }
    }


def test_aggregate_count_over_several_columns(seed):
    # a second "hello world" by ann: (userId, content) pairs repeat once
    seed.graphql(
        'mutation { insertTwootOne(object: {content: "hello world", userId: 1, postedAt: null}) { id } }'
    )
    data = seed.graphql(
        """{ twootAggregate { aggregate {
            rows: count
            pairs: count(columns: [userId, content])
            distinctPairs: count(columns: [userId, content], distinct: true)
        } } }"""
    )
    assert data["twootAggregate"]["aggregate"] == {"rows": 7, "pairs": 7, "distinctPairs": 6}


def test_aggregate_count_over_several_columns_of_no_rows_is_zero(seed):
    data = seed.graphql(
        """{ twootAggregate(where: {id: {_gt: 100}}) { aggregate {
            pairs: count(columns: [userId, postedAt])
            distinctPairs: count(columns: [userId, postedAt], distinct: true)
        } } }"""
    )
    assert data == {"twootAggregate": {"aggregate": {"pairs": 0, "distinctPairs": 0}}}


def test_aggregate_count_over_several_columns_with_limit(seed):
    data = seed.graphql(
        """{ twootAggregate(where: {id: {_gt: 1}}, orderBy: [{id: ASC}], limit: 2) {
            aggregate { count(columns: [userId, postedAt], distinct: true) }
        } }"""
    )
    assert data == {"twootAggregate": {"aggregate": {"count": 2}}}
