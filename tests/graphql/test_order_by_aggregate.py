"""Ordering by an aggregate of an array relationship, as Hasura's ``<rel>Aggregate`` order."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("{twootsAggregate: {count: DESC}}, {id: ASC}", ["ann", "bob", "cat", "dan"]),
        ("{twootsAggregate: {count: ASC}}, {id: ASC}", ["dan", "cat", "bob", "ann"]),
        ("{twootsAggregate: {max: {postedAt: DESC_NULLS_LAST}}}", ["cat", "bob", "ann", "dan"]),
        ("{twootsAggregate: {min: {id: ASC}}}", ["ann", "bob", "cat", "dan"]),
        (
            "{twootsAggregate: {sum: {id: DESC_NULLS_FIRST}}}, {id: ASC}",
            ["dan", "bob", "ann", "cat"],
        ),
    ],
    ids=["count-desc", "count-asc", "max-timestamp", "min-id", "sum-nulls-first"],
)
def test_users_ordered_by_an_aggregate_of_their_twoots(seed, order, expected):
    seed.graphql('mutation { insertUserOne(object: {userName: "dan"}) { id } }')
    data = seed.graphql(f"{{ user(orderBy: [{order}]) {{ userName }} }}")
    assert [u["userName"] for u in data["user"]] == expected


@pytest.mark.parametrize("naming", ["hasura-default"])
def test_aggregate_order_in_hasura_names(seed, naming):
    data = seed.graphql("{ user(order_by: [{twoots_aggregate: {count: desc}}]) { user_name } }")
    assert [u["user_name"] for u in data["user"]] == ["ann", "bob", "cat"]


def test_ordering_by_an_aggregate_costs_no_extra_statement(seed, count_statements):
    count_statements.statements.clear()
    data = seed.graphql(
        "{ user(orderBy: [{twootsAggregate: {count: DESC}}], limit: 1) "
        "{ userName twoots(orderBy: [{id: DESC}], limit: 1) { id } } }"
    )
    assert data == {"user": [{"userName": "ann", "twoots": [{"id": 3}]}]}
    assert count_statements.count == 1
