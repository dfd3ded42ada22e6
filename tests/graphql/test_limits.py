"""Every limit has a default, a setting and a clear error naming it; a refused request
writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from omega_gql.testing import OmegaClient, serve
from tests.conftest import make_app

Limited = Callable[..., OmegaClient]


@pytest.fixture
def limited(seed: OmegaClient, db_url: str) -> Iterator[Limited]:
    """A second app on the seeded database, with the given limits (3 users, 6 twoots)."""
    opened: list[OmegaClient] = []

    def open_with(**limits: Any) -> OmegaClient:
        client = serve(make_app(db_url, **limits))
        client.__enter__()
        opened.append(client)
        return client

    yield open_with
    for client in opened:
        client.__exit__(None, None, None)


def refused(client: OmegaClient, query: str, limit: str, **extra: Any) -> dict[str, Any]:
    body = client.graphql_response(query, **extra)
    assert body["data"] is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "limit-exceeded", error
    assert error["extensions"]["limit"] == limit
    assert f"OMEGA_{limit.upper()}" in error["message"]
    return error  # type: ignore[no-any-return]


def nested(levels: int) -> str:
    query = "id"
    for level in reversed(range(levels)):
        query = f"user {{ {query} }}" if level % 2 == 0 else f"twoots(limit: 2) {{ {query} }}"
    return f"{{ twoot(limit: 2) {{ {query} }} }}"


def test_a_deeper_document_than_the_limit_is_refused(limited: Limited) -> None:
    client = limited(max_depth=6)
    assert client.graphql(nested(4))["twoot"]
    error = refused(client, nested(6), "max_depth")
    assert "8 deep" in error["message"]
    assert error["extensions"]["value"] == 6


def test_fragments_count_towards_depth_and_fields_as_expanded(limited: Limited) -> None:
    client = limited(max_nodes=40)
    # Each level spreads the one below twice: 2**6 expanded fields from a short document.
    fragments = " ".join(
        f"fragment F{i} on Twoot {{ a: user {{ twoots {{ ...F{i + 1} }} }} b: id ...F{i + 1} }}"
        for i in range(6)
    )
    query = "{ twoot(limit: 1) { ...F0 } } " + fragments + " fragment F6 on Twoot { id }"
    refused(client, query, "max_nodes")


def test_more_fields_than_the_limit_are_refused(limited: Limited) -> None:
    client = limited(max_nodes=50)
    assert client.graphql(
        "{ " + " ".join(f"a{i}: twootByPk(id: 1) {{ id }}" for i in range(20)) + " }"
    )
    refused(
        client,
        "{ " + " ".join(f"a{i}: twootByPk(id: 1) {{ id }}" for i in range(30)) + " }",
        "max_nodes",
    )


def test_a_longer_list_than_the_limit_is_refused_as_literal_or_variable(limited: Limited) -> None:
    client = limited(max_list_length=20)
    ids = list(range(1, 21))
    assert len(client.graphql(f"{{ twoot(where: {{id: {{_in: {ids}}}}}) {{ id }} }}")["twoot"]) == 6
    refused(
        client, f"{{ twoot(where: {{id: {{_in: {[*ids, 21]}}}}}) {{ id }} }}", "max_list_length"
    )
    query = "query($ids: [Int!]) { twoot(where: {id: {_in: $ids}}) { id } }"
    refused(client, query, "max_list_length", variables={"ids": [*ids, 21]})
    objects = [{"content": "x", "userId": 1}] * 21
    insert = "mutation($o: [TwootInsertInput!]!) { insertTwoot(objects: $o) { affectedRows } }"
    refused(client, insert, "max_list_length", variables={"o": objects})
    assert client.graphql("{ twootAggregate { aggregate { count } } }")["twootAggregate"] == {
        "aggregate": {"count": 6}
    }


def test_a_list_without_a_limit_answers_up_to_max_rows_and_is_refused_past_it(
    limited: Limited,
) -> None:
    client = limited(max_rows=3)
    assert len(client.graphql("{ user { id } }")["user"]) == 3
    refused(client, "{ twoot { id } }", "max_rows")
    assert len(client.graphql("{ twoot(limit: 3, offset: 2) { id } }")["twoot"]) == 3
    # Nested lists: ann has three twoots, bob two; all six through the users is refused
    # only when one list passes the limit.
    assert client.graphql("{ user { twoots { id } } }")
    refused(client, "{ user { twoots(limit: 5) { id } } }", "max_rows")
    refused(client, "{ twootAggregate { nodes { id } } }", "max_rows")
    # Aggregates count every row.
    data = client.graphql("{ twootAggregate { aggregate { count } } }")
    assert data["twootAggregate"]["aggregate"]["count"] == 6


def test_a_nested_list_past_max_rows_is_refused(limited: Limited) -> None:
    client = limited(max_rows=2)
    assert client.graphql("{ user(limit: 2, offset: 1) { twoots(limit: 2) { id } } }")
    refused(client, "{ user(limit: 1) { twoots { id } } }", "max_rows")
    refused(client, "{ user(limit: 1) { twootsAggregate { nodes { id } } } }", "max_rows")


def test_a_limit_above_max_rows_is_refused_as_literal_or_variable(limited: Limited) -> None:
    client = limited(max_rows=3)
    refused(client, "{ twoot(limit: 4) { id } }", "max_rows")
    query = "query($n: Int) { twoot(limit: $n) { id } }"
    assert len(client.graphql(query, {"n": 3})["twoot"]) == 3
    refused(client, query, "max_rows", variables={"n": 4})


def test_a_write_returns_every_row_it_wrote_whatever_max_rows(limited: Limited) -> None:
    client = limited(max_rows=2)
    insert = (
        'mutation { insertTwoot(objects: [{content: "a", userId: 1}, {content: "b", userId: 1},'
        ' {content: "c", userId: 1}]) { returning { id } } }'
    )
    assert len(client.graphql(insert)["insertTwoot"]["returning"]) == 3


def test_a_response_larger_than_the_limit_is_refused_and_writes_nothing(limited: Limited) -> None:
    client = limited(max_response_size=300)
    assert client.graphql("{ twoot(limit: 2) { content } }")
    refused(client, "{ twoot { id content postedAt userId } }", "max_response_size")
    update = (
        'mutation { updateTwoot(where: {}, _set: {content: "x"})'
        " { returning { id content postedAt } } }"
    )
    refused(client, update, "max_response_size")
    contents = [t["content"] for t in client.graphql("{ twoot(limit: 6) { content } }")["twoot"]]
    assert "x" not in contents


def test_a_larger_batch_than_the_limit_is_refused_whole(limited: Limited) -> None:
    client = limited(max_batch_size=2)
    insert = {"query": 'mutation { insertTwootOne(object: {content: "b", userId: 1}) { id } }'}
    assert client.post("/graphql", json=[insert, insert]).status_code == 200
    response = client.post("/graphql", json=[insert, insert, insert])
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "limit-exceeded", "limit": "max_batch_size", "value": 2}
    count = "{ twootAggregate { aggregate { count } } }"
    assert client.graphql(count)["twootAggregate"]["aggregate"]["count"] == 8


def test_a_larger_body_than_the_limit_is_413(limited: Limited) -> None:
    client = limited(max_body_size=1000)
    query = "{ twoot(limit: 1) { id } }" + " " * 900
    assert client.post("/graphql", json={"query": query}).status_code == 200
    response = client.post("/graphql", json={"query": query + " " * 200})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["limit"] == "max_body_size"
    # A body sent in chunks without a length is counted as it arrives.
    chunked = client.post(
        "/graphql",
        content=iter([b'{"query": "{ twoot { id } }', b" " * 2000, b'"}']),
        headers={"content-type": "application/json"},
    )
    assert chunked.status_code == 413


@pytest.mark.parametrize(
    "query",
    [
        "{ twoot(limit: 1) { " + " ".join(f"a{i}: id" for i in range(2000)) + " } }",
        "{ twoot(limit: 1) { " + " ".join(f"a{i}: user {{ id }}" for i in range(64)) + " } }",
        "{ twoot(where: {_or: ["
        + ",".join(f"{{id: {{_eq: {i}}}}}" for i in range(10_000))
        + "]}) { id } }",
        "{ twoot(where: {_and: ["
        + ",".join(f"{{id: {{_neq: {i}}}}}" for i in range(7, 1500))
        + "]}) { id } }",
    ],
    ids=["2000-aliases", "64-object-relations", "or-of-10000", "and-of-1500"],
)
def test_wide_documents_within_the_limits_answer(seed: OmegaClient, query: str) -> None:
    data = seed.graphql(query)
    rows = data["twoot"]
    assert len(rows) in (1, 6)
    first = rows[0]
    assert len(first) in (2000, 64, 1)
    if len(first) == 64:
        assert all(value == {"id": 1} for value in first.values())


def test_a_long_in_list_binds_as_one_value(limited: Limited) -> None:
    # Past PostgreSQL's 65,535 parameters, as a literal and as a variable.
    client = limited(max_list_length=70_000)
    ids = ",".join(str(i) for i in range(2, 70_001))
    data = client.graphql(
        f"{{ twoot(where: {{id: {{_in: [{ids}]}}}}, orderBy: {{id: ASC}}) {{ id }} }}"
    )
    assert [t["id"] for t in data["twoot"]] == [2, 3, 4, 5, 6]
    query = "query($ids: [Int!]) { twoot(where: {id: {_nin: $ids}}) { id } }"
    assert client.graphql(query, {"ids": list(range(2, 70_001))})["twoot"] == [{"id": 1}]
