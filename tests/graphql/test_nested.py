"""Nested selections: object relationships, array relationships with their own
``where/orderBy/limit/offset`` (applied per parent), and ``twootsAggregate``."""

from __future__ import annotations

import pytest


def by_user(data, field: str = "twoots") -> dict[str, list[int]]:
    return {u["userName"]: [t["id"] for t in u[field]] for u in data["user"]}


def test_object_relationship_returns_the_parent_row(seed):
    data = seed.graphql("{ twoot(orderBy: [{id: DESC}], limit: 3) { id user { id userName } } }")
    assert data["twoot"] == [
        {"id": 6, "user": {"id": 3, "userName": "cat"}},
        {"id": 5, "user": {"id": 2, "userName": "bob"}},
        {"id": 4, "user": {"id": 2, "userName": "bob"}},
    ]


def test_array_relationship_returns_each_parents_children(seed):
    data = seed.graphql(
        "{ user(orderBy: [{id: ASC}]) { userName twoots(orderBy: [{id: ASC}]) { id userId } } }"
    )
    assert data["user"] == [
        {
            "userName": "ann",
            "twoots": [{"id": 1, "userId": 1}, {"id": 2, "userId": 1}, {"id": 3, "userId": 1}],
        },
        {"userName": "bob", "twoots": [{"id": 4, "userId": 2}, {"id": 5, "userId": 2}]},
        {"userName": "cat", "twoots": [{"id": 6, "userId": 3}]},
    ]


def test_array_relationship_without_children_is_an_empty_list(seed):
    seed.graphql('mutation { insertUserOne(object: {userName: "dan"}) { id } }')
    data = seed.graphql(
        '{ user(where: {userName: {_eq: "dan"}}) { twoots { id } twootsAggregate { aggregate { count } } } }'
    )
    assert data == {"user": [{"twoots": [], "twootsAggregate": {"aggregate": {"count": 0}}}]}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (
            "orderBy: [{postedAt: DESC_NULLS_LAST}], limit: 2",
            {"ann": [3, 2], "bob": [4, 5], "cat": [6]},
        ),
        ("orderBy: [{postedAt: DESC}], limit: 1", {"ann": [3], "bob": [5], "cat": [6]}),
        ("orderBy: [{id: ASC}], offset: 1", {"ann": [2, 3], "bob": [5], "cat": []}),
        ("orderBy: [{id: ASC}], limit: 1, offset: 1", {"ann": [2], "bob": [5], "cat": []}),
        (
            'where: {content: {_ilike: "%o%"}}, orderBy: [{id: DESC}]',
            {"ann": [2, 1], "bob": [5, 4], "cat": [6]},
        ),
        (
            'where: {content: {_like: "%bob%"}}, orderBy: [{id: ASC}], limit: 1',
            {"ann": [], "bob": [4], "cat": []},
        ),
        (
            "distinctOn: [userId], orderBy: [{userId: ASC}, {id: DESC}]",
            {"ann": [3], "bob": [5], "cat": [6]},
        ),
    ],
    ids=[
        "newest-two",
        "newest-nulls-first",
        "offset",
        "limit-offset",
        "where-order",
        "where-limit",
        "distinct-on",
    ],
)
def test_array_relationship_arguments_apply_per_parent(seed, arguments, expected):
    data = seed.graphql(
        f"{{ user(orderBy: [{{id: ASC}}]) {{ userName twoots({arguments}) {{ id }} }} }}"
    )
    assert by_user(data) == expected


def test_array_relationship_arguments_from_variables(seed):
    query = """query($n: Int!, $w: TwootBoolExp) {
        user(orderBy: [{id: ASC}]) { userName twoots(where: $w, orderBy: [{id: DESC}], limit: $n) { id } }
    }"""
    assert by_user(seed.graphql(query, {"n": 1, "w": None})) == {"ann": [3], "bob": [5], "cat": [6]}
    assert by_user(seed.graphql(query, {"n": 2, "w": {"postedAt": {"_isNull": False}}})) == {
        "ann": [3, 2],
        "bob": [4],
        "cat": [6],
    }


def test_nested_selections_go_several_levels_deep(seed):
    data = seed.graphql(
        """{ twootByPk(id: 4) { id user { userName twoots(orderBy: [{id: ASC}]) { id user { userName } } } } }"""
    )
    assert data == {
        "twootByPk": {
            "id": 4,
            "user": {
                "userName": "bob",
                "twoots": [
                    {"id": 4, "user": {"userName": "bob"}},
                    {"id": 5, "user": {"userName": "bob"}},
                ],
            },
        }
    }


def test_parent_where_and_child_where_are_independent(seed):
    data = seed.graphql(
        """{ user(where: {twoots: {content: {_like: "%bob%"}}}) {
            userName twoots(where: {postedAt: {_isNull: true}}) { id }
        } }"""
    )
    assert data == {"user": [{"userName": "bob", "twoots": [{"id": 5}]}]}


def test_twoots_aggregate_per_user(seed):
    data = seed.graphql(
        """{ user(orderBy: [{id: ASC}]) {
            userName
            twootsAggregate { aggregate { count max { id } min { id } sum { id } } }
        } }"""
    )
    assert [(u["userName"], u["twootsAggregate"]["aggregate"]) for u in data["user"]] == [
        ("ann", {"count": 3, "max": {"id": 3}, "min": {"id": 1}, "sum": {"id": 6}}),
        ("bob", {"count": 2, "max": {"id": 5}, "min": {"id": 4}, "sum": {"id": 9}}),
        ("cat", {"count": 1, "max": {"id": 6}, "min": {"id": 6}, "sum": {"id": 6}}),
    ]


def test_twoots_aggregate_with_its_own_arguments_and_nodes(seed):
    data = seed.graphql(
        """{ user(orderBy: [{id: ASC}]) {
            userName
            twootsAggregate(where: {postedAt: {_isNull: false}}, orderBy: [{id: DESC}], limit: 2) {
                aggregate { count(columns: [postedAt]) }
                nodes { id }
            }
        } }"""
    )
    assert {u["userName"]: u["twootsAggregate"] for u in data["user"]} == {
        "ann": {"aggregate": {"count": 2}, "nodes": [{"id": 3}, {"id": 2}]},
        "bob": {"aggregate": {"count": 1}, "nodes": [{"id": 4}]},
        "cat": {"aggregate": {"count": 1}, "nodes": [{"id": 6}]},
    }


def test_twoots_aggregate_inside_an_object_relationship(seed):
    data = seed.graphql(
        "{ twoot(orderBy: [{id: ASC}], where: {id: {_in: [1, 4, 6]}}) "
        "{ id user { twootsAggregate { aggregate { count } } } } }"
    )
    assert [
        (t["id"], t["user"]["twootsAggregate"]["aggregate"]["count"]) for t in data["twoot"]
    ] == [(1, 3), (4, 2), (6, 1)]


def test_user_aggregate_nodes_carry_nested_relationships(seed):
    data = seed.graphql(
        """{ userAggregate(where: {joinedAt: {_isNull: false}}, orderBy: [{userName: DESC}]) {
            aggregate { count }
            nodes { userName twoots(orderBy: [{id: ASC}], limit: 1) { content } }
        } }"""
    )
    assert data == {
        "userAggregate": {
            "aggregate": {"count": 2},
            "nodes": [
                {"userName": "bob", "twoots": [{"content": "hi from bob"}]},
                {"userName": "ann", "twoots": [{"content": "hello world"}]},
            ],
        }
    }


def test_empty_relationship_filter_means_the_related_row_exists(seed):
    seed.graphql('mutation { insertUserOne(object: {userName: "dan"}) { id } }')
    data = seed.graphql(
        """{ with: user(where: {twoots: {}}, orderBy: [{id: ASC}]) { userName }
            without: user(where: {_not: {twoots: {}}}) { userName } }"""
    )
    assert data == {
        "with": [{"userName": "ann"}, {"userName": "bob"}, {"userName": "cat"}],
        "without": [{"userName": "dan"}],
    }


def test_twoots_aggregate_counts_distinct_pairs_per_user(seed):
    data = seed.graphql(
        """{ user(orderBy: [{id: ASC}]) {
            twootsAggregate { aggregate { count(columns: [userId, postedAt], distinct: true) } }
        } }"""
    )
    assert [u["twootsAggregate"]["aggregate"]["count"] for u in data["user"]] == [3, 1, 1]
