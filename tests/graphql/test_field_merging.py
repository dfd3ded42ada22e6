"""Fields with one response key merge into one key with all their subfields (the spec's
field collection), at every level and through fragments; each alias answers on its own."""

from __future__ import annotations

import pytest

from omega_gql.testing import OmegaClient

FIRST = "orderBy: [{id: ASC}], limit: 1"


@pytest.mark.parametrize(
    "query",
    [
        f"{{ twoot({FIRST}) {{ id user {{ id }} user {{ userName }} }} }}",
        f"{{ twoot({FIRST}) {{ id ...F }} }} fragment F on Twoot {{ id user {{ id userName }} }}",
        f"{{ twoot({FIRST}) {{ ... on Twoot {{ id user {{ id }} }} user {{ userName }} }} }}",
        f"{{ twoot({FIRST}) {{ id user {{ id }} }} twoot({FIRST}) {{ user {{ userName }} }} }}",
        f"{{ twoot({FIRST}) {{ id user {{ ...U }} user {{ id }} }} }} fragment U on User {{ userName }}",
    ],
    ids=["twice", "fragment", "inline-fragment", "root-twice", "nested-fragment"],
)
def test_fields_of_one_response_key_merge(seed: OmegaClient, query: str) -> None:
    response = seed.post("/graphql", json={"query": query})
    # One key each, in the raw text too: a duplicate key would lose values in JSON parsers.
    assert response.text.count('"user"') == 1 and response.text.count('"id"') == 2
    data = response.json()["data"]
    assert data == {"twoot": [{"id": 1, "user": {"id": 1, "userName": "ann"}}]}


def test_every_alias_of_a_field_answers(seed: OmegaClient) -> None:
    data = seed.graphql(
        "{ twootAggregate(where: {userId: {_eq: 2}}) { nodes { id } again: nodes { content }"
        " n: aggregate { count } aggregate { max { id } } } }"
    )
    assert data["twootAggregate"] == {
        "nodes": [{"id": 4}, {"id": 5}],
        "again": [{"content": "hi from bob"}, {"content": "bob again"}],
        "n": {"count": 2},
        "aggregate": {"max": {"id": 5}},
    }


def test_aliases_of_a_nested_aggregate_answer(seed: OmegaClient) -> None:
    data = seed.graphql(
        "{ userByPk(id: 3) { twootsAggregate { nodes { id } again: nodes { content } } } }"
    )
    assert data == {
        "userByPk": {"twootsAggregate": {"nodes": [{"id": 6}], "again": [{"content": "Meow"}]}}
    }
