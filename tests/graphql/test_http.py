"""GraphQL over HTTP as the spec and Hasura users expect: methods, malformed requests,
batches that never half-run, and errors that say what to do."""

from __future__ import annotations

import pytest

from omega_gql.testing import OmegaClient

INSERT = 'mutation { insertTwootOne(object: {content: "batched", userId: 1}) { id } }'


def test_a_mutation_over_get_is_405_allowing_post_and_writes_nothing(seed, row_counts):
    response = seed.get("/graphql", params={"query": INSERT})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "bad-request"
    assert row_counts() == {"user": 3, "twoot": 6}


@pytest.mark.parametrize(
    "payload",
    [
        {"query": 5},
        {"query": ["{ twoot { id } }"]},
        {"query": "{ twoot { id } }", "operationName": 1},
    ],
    ids=["number", "list", "operation-name-number"],
)
def test_a_non_string_query_is_http_400(client: OmegaClient, payload) -> None:
    response = client.post("/graphql", json=payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "bad-request"


def test_invalid_utf8_in_a_graphql_body_is_refused(client: OmegaClient) -> None:
    response = client.post(
        "/graphql",
        content=b'{ user(where: {userName: {_eq: "\xff"}}) { id } }',
        headers={"content-type": "application/graphql"},
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("bad", [5, "text", None, {"variables": {}}, {"query": 1}])
def test_a_batch_with_a_malformed_entry_runs_none_of_it(seed, row_counts, bad) -> None:
    response = seed.post("/graphql", json=[{"query": INSERT}, bad, {"query": INSERT}])
    assert response.status_code == 400
    assert row_counts() == {"user": 3, "twoot": 6}


def test_each_entry_of_a_batch_answers_on_its_own(seed, row_counts) -> None:
    response = seed.post("/graphql", json=[{"query": INSERT}, {"query": "{ nope }"}])
    assert response.status_code == 200
    first, second = response.json()
    assert "id" in first["data"]["insertTwootOne"]
    assert second["errors"][0]["extensions"]["code"] == "validation-failed"
    assert row_counts() == {"user": 3, "twoot": 7}


def test_a_syntax_error_has_its_own_code(client: OmegaClient) -> None:
    body = client.graphql_response("{ twoot(limit: 1) { id ")
    assert body["errors"][0]["extensions"]["code"] == "parse-failed"
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 24}]


@pytest.mark.parametrize(
    ("where", "path", "advice"),
    [
        (
            "{_and: [{user: {_not: {userName: {_isNull: null}}}}]}",
            "$.where._and.0.user._not.userName._isNull",
            "_isNull takes true or false",
        ),
        (
            "{_or: [{id: {_eq: 1}}, {content: {_eq: null}}]}",
            "$.where._or.1.content._eq",
            "use _isNull: true",
        ),
    ],
    ids=["is-null", "eq"],
)
def test_a_null_operand_names_its_whole_path_and_what_to_write(fails_with, where, path, advice):
    error = fails_with(f"{{ twoot(where: {where}) {{ id }} }}", "validation-failed")
    assert error["extensions"]["path"] == path
    assert advice in error["message"]
