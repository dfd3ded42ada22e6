"""``update<Table>Many``: several updates in order, in one transaction."""

from __future__ import annotations

import pytest


def test_updates_apply_in_order_and_each_reports_its_rows(seed):
    data = seed.graphql(
        """mutation { updateTwootMany(updates: [
            {where: {userId: {_eq: 1}}, _set: {content: "edited"}},
            {where: {content: {_eq: "edited"}}, _inc: {userId: 1}},
            {where: {id: {_eq: 99}}, _set: {content: "nobody"}}
        ]) { affectedRows returning { id content userId } } }"""
    )
    first, second, third = data["updateTwootMany"]
    assert first["affectedRows"] == 3
    assert {r["content"] for r in first["returning"]} == {"edited"}
    # the second update sees the first one's result
    assert second["affectedRows"] == 3
    assert {r["userId"] for r in second["returning"]} == {2}
    assert third == {"affectedRows": 0, "returning": []}


def test_a_failing_update_undoes_the_earlier_ones(seed, fails_with):
    before = seed.graphql("{ twoot(orderBy: [{id: ASC}]) { content userId } }")
    fails_with(
        """mutation { updateTwootMany(updates: [
            {where: {id: {_eq: 1}}, _set: {content: "changed"}},
            {where: {id: {_eq: 2}}, _set: {userId: 999}}
        ]) { affectedRows } }""",
        "constraint-violation",
    )
    assert seed.graphql("{ twoot(orderBy: [{id: ASC}]) { content userId } }") == before


@pytest.mark.parametrize("naming", ["hasura-default"])
def test_update_many_in_hasura_names(seed, naming):
    data = seed.graphql(
        'mutation { update_twoot_many(updates: [{where: {id: {_eq: 1}}, _set: {content: "x"}}]) '
        "{ affected_rows } }"
    )
    assert data == {"update_twoot_many": [{"affected_rows": 1}]}
