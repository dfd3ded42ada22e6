"""Document features: fragments, aliases, ``__typename``, ``@skip``/``@include`` with
variables, and GraphQL over GET (queries only)."""

from __future__ import annotations

import pytest


def test_named_fragments_spread_at_every_level(seed):
    data = seed.graphql(
        """query {
            twoot(orderBy: [{id: ASC}], limit: 2) { ...TwootParts }
            userByPk(id: 3) { ...UserParts twoots { ...TwootParts } }
        }
        fragment TwootParts on Twoot { id content user { ...UserParts } }
        fragment UserParts on User { userName }"""
    )
    assert data == {
        "twoot": [
            {"id": 1, "content": "hello world", "user": {"userName": "ann"}},
            {"id": 2, "content": "Second post", "user": {"userName": "ann"}},
        ],
        "userByPk": {
            "userName": "cat",
            "twoots": [{"id": 6, "content": "Meow", "user": {"userName": "cat"}}],
        },
    }


def test_inline_fragments_and_repeated_fields_merge(seed):
    data = seed.graphql(
        "{ twootByPk(id: 4) { id ... on Twoot { content } ... { user { userName } } id } }"
    )
    assert data == {"twootByPk": {"id": 4, "content": "hi from bob", "user": {"userName": "bob"}}}


def test_fragment_on_a_mutation_response(seed):
    data = seed.graphql(
        """mutation { insertTwoot(objects: [{content: "f", userId: 1}]) { ...Result } }
        fragment Result on TwootMutationResponse { affectedRows returning { content } }"""
    )
    assert data == {"insertTwoot": {"affectedRows": 1, "returning": [{"content": "f"}]}}


def test_aliases_name_root_fields_columns_and_relationships(seed):
    data = seed.graphql(
        """{
            anns: twoot(where: {userId: {_eq: 1}}, orderBy: [{id: DESC}], limit: 1) { key: id text: content author: user { name: userName } }
            bobs: twoot(where: {userId: {_eq: 2}}, orderBy: [{id: DESC}], limit: 1) { key: id }
            stats: twootAggregate { total: aggregate { n: count biggest: max { key: id } } rows: nodes { key: id } }
        }"""
    )
    assert data["anns"] == [{"key": 3, "text": "third", "author": {"name": "ann"}}]
    assert data["bobs"] == [{"key": 5}]
    assert data["stats"]["total"] == {"n": 6, "biggest": {"key": 6}}
    assert [r["key"] for r in data["stats"]["rows"]] == [1, 2, 3, 4, 5, 6]


def test_the_same_field_twice_under_different_aliases_and_arguments(seed):
    data = seed.graphql(
        """{ userByPk(id: 1) {
            newest: twoots(orderBy: [{id: DESC}], limit: 1) { id }
            oldest: twoots(orderBy: [{id: ASC}], limit: 1) { id }
            all: twootsAggregate { aggregate { count } }
            dated: twootsAggregate(where: {postedAt: {_isNull: false}}) { aggregate { count } }
        } }"""
    )
    assert data == {
        "userByPk": {
            "newest": [{"id": 3}],
            "oldest": [{"id": 1}],
            "all": {"aggregate": {"count": 3}},
            "dated": {"aggregate": {"count": 3}},
        }
    }


def test_typename_at_every_level(seed):
    data = seed.graphql(
        """{
            __typename
            twootByPk(id: 1) { __typename user { __typename } }
            twootAggregate { __typename aggregate { __typename max { __typename id } } }
        }"""
    )
    assert data == {
        "__typename": "query_root",
        "twootByPk": {"__typename": "Twoot", "user": {"__typename": "User"}},
        "twootAggregate": {
            "__typename": "TwootAggregate",
            "aggregate": {
                "__typename": "TwootAggregateFields",
                "max": {"__typename": "TwootMaxFields", "id": 6},
            },
        },
    }


def test_typename_in_a_mutation(seed):
    data = seed.graphql(
        """mutation { __typename
            insertTwoot(objects: [{content: "t", userId: 1}]) { __typename returning { __typename id } }
            deleteTwootByPk(id: 1) { __typename id }
        }"""
    )
    assert data == {
        "__typename": "mutation_root",
        "insertTwoot": {
            "__typename": "TwootMutationResponse",
            "returning": [{"__typename": "Twoot", "id": 7}],
        },
        "deleteTwootByPk": {"__typename": "Twoot", "id": 1},
    }


DIRECTIVES = "query($yes: Boolean!) { twootByPk(id: 2) { id content @include(if: $yes) user @skip(if: $yes) { userName } } }"


@pytest.mark.parametrize(
    ("yes", "expected"),
    [
        (True, {"id": 2, "content": "Second post"}),
        (False, {"id": 2, "user": {"userName": "ann"}}),
    ],
    ids=["include", "skip"],
)
def test_skip_and_include_follow_their_variable(seed, yes, expected):
    assert seed.graphql(DIRECTIVES, {"yes": yes}) == {"twootByPk": expected}


def test_skip_and_include_are_planned_per_value(seed):
    # the same document alternately with both values: each answer must match its value
    for yes in (True, False, True, False):
        expected = (
            {"id": 2, "content": "Second post"} if yes else {"id": 2, "user": {"userName": "ann"}}
        )
        assert seed.graphql(DIRECTIVES, {"yes": yes}) == {"twootByPk": expected}


def test_skip_and_include_on_root_fields_and_fragments(seed):
    query = """query($a: Boolean!, $b: Boolean!) {
        twoot(orderBy: [{id: ASC}], limit: 1) @include(if: $a) { id }
        user(orderBy: [{id: ASC}], limit: 1) @skip(if: $b) { ...U }
        userByPk(id: 2) { ... @include(if: $b) { userName } id }
    }
    fragment U on User { userName }"""
    assert seed.graphql(query, {"a": True, "b": True}) == {
        "twoot": [{"id": 1}],
        "userByPk": {"userName": "bob", "id": 2},
    }
    assert seed.graphql(query, {"a": False, "b": False}) == {
        "user": [{"userName": "ann"}],
        "userByPk": {"id": 2},
    }


def test_literal_skip_and_include(seed):
    data = seed.graphql(
        "{ twootByPk(id: 1) { id @skip(if: true) content @include(if: true) userId @include(if: false) } }"
    )
    assert data == {"twootByPk": {"content": "hello world"}}


def test_get_runs_a_query(seed):
    response = seed.get(
        "/graphql",
        params={
            "query": "query($id: Int!) { twootByPk(id: $id) { content } }",
            "variables": '{"id": 6}',
        },
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"twootByPk": {"content": "Meow"}}}


def test_get_with_operation_name(seed):
    response = seed.get(
        "/graphql",
        params={
            "query": "query A { userByPk(id: 1) { userName } } query B { userByPk(id: 2) { userName } }",
            "operationName": "B",
        },
    )
    assert response.json() == {"data": {"userByPk": {"userName": "bob"}}}


@pytest.mark.parametrize(
    "query",
    [
        'mutation { insertTwootOne(object: {content: "via get", userId: 1}) { id } }',
        "mutation { deleteTwoot(where: {}) { affectedRows } }",
        "query Q { twoot { id } } mutation M { deleteTwoot(where: {}) { affectedRows } }",
    ],
    ids=["insert", "delete", "named-among-queries"],
)
def test_get_refuses_a_mutation_and_changes_nothing(seed, row_counts, query):
    params = {"query": query}
    if "mutation M" in query:
        params["operationName"] = "M"
    response = seed.get("/graphql", params=params)
    body = response.json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "bad-request"
    assert row_counts() == {"user": 3, "twoot": 6}


def test_post_with_a_graphql_content_type_runs_the_document(seed):
    response = seed.post(
        "/graphql",
        content=b"{ userByPk(id: 3) { userName } }",
        headers={"content-type": "application/graphql"},
    )
    assert response.json() == {"data": {"userByPk": {"userName": "cat"}}}


def test_batched_post_answers_each_operation_in_order(seed):
    response = seed.post(
        "/graphql",
        json=[
            {"query": "{ userByPk(id: 1) { userName } }"},
            {"query": "query($id: Int!) { twootByPk(id: $id) { id } }", "variables": {"id": 5}},
            {"query": "{ nope }"},
        ],
    )
    body = response.json()
    assert body[0] == {"data": {"userByPk": {"userName": "ann"}}}
    assert body[1] == {"data": {"twootByPk": {"id": 5}}}
    assert body[2]["errors"][0]["extensions"]["code"] == "validation-failed"


def test_introspection_beside_generated_fields_answers_both(seed):
    query = """query($w: TwootBoolExp, $n: Int!) {
        __type(name: "Twoot") { name fields { name } }
        twoot(where: $w, orderBy: [{id: DESC}], limit: $n) { id user { userName } }
    }"""
    for where, n, expected in (
        ({"userId": {"_eq": 2}}, 1, [5]),
        ({"userId": {"_lt": 2}}, 2, [3, 2]),
    ):
        data = seed.graphql(query, {"w": where, "n": n})
        assert data["__type"]["name"] == "Twoot"
        assert {"id", "content", "postedAt", "userId", "user"} <= {
            f["name"] for f in data["__type"]["fields"]
        }
        assert [t["id"] for t in data["twoot"]] == expected


def test_introspection_lists_the_generated_root_fields(client):
    data = client.graphql(
        "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }"
    )
    queries = {f["name"] for f in data["__schema"]["queryType"]["fields"]}
    mutations = {f["name"] for f in data["__schema"]["mutationType"]["fields"]}
    assert {"twoot", "twootByPk", "twootAggregate", "user", "userByPk", "userAggregate"} <= queries
    assert {
        "insertTwoot",
        "insertTwootOne",
        "updateTwoot",
        "updateTwootByPk",
        "deleteTwoot",
        "deleteTwootByPk",
    } <= mutations
