"""Errors carry ``extensions.code``; a failed mutation changes nothing, and a mutation
document is one transaction: a later field failing undoes the earlier ones."""

from __future__ import annotations

import pytest

SEED_COUNTS = {"user": 3, "twoot": 6}
EVERYTHING = """{ user(orderBy: [{id: ASC}]) {
    id userName joinedAt twoots(orderBy: [{id: ASC}]) { id content userId postedAt }
} }"""


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("{ twoot { nope } }", None),
        ("{ nope { id } }", None),
        ('{ twoot(limit: "x") { id } }', None),
        ('{ twootByPk(id: "one") { id } }', None),
        ("{ twootByPk { id } }", None),
        ("{ twoot(where: {nope: {_eq: 1}}) { id } }", None),
        ("{ twoot(where: {id: {_like: 1}}) { id } }", None),
        ("{ twoot(orderBy: [{id: SIDEWAYS}]) { id } }", None),
        ("{ twoot(distinctOn: [nope]) { id } }", None),
        ("{ twoot { id user } }", None),
        ("query($l: Int) { twoot(limit: $l) { id } }", {"l": "x"}),
        ("query($l: Int!) { twoot(limit: $l) { id } }", {}),
        ("query($w: TwootBoolExp) { twoot(where: $w) { id } }", {"w": {"nope": {"_eq": 1}}}),
        ('{ twoot(where: {postedAt: {_eq: "not a date"}}) { id } }', None),
    ],
    ids=[
        "unknown-field",
        "unknown-root",
        "wrong-argument-type",
        "wrong-pk-type",
        "missing-argument",
        "unknown-where-column",
        "operator-of-other-type",
        "unknown-enum-value",
        "unknown-distinct-column",
        "object-without-selection",
        "wrong-variable-type",
        "missing-required-variable",
        "unknown-field-in-variable",
        "malformed-timestamp",
    ],
)
def test_invalid_query_fails_with_validation_failed(fails_with, query, variables):
    error = fails_with(query, "validation-failed", variables)
    assert error["message"]


def test_validation_error_points_at_the_document(fails_with):
    error = fails_with("{\n  twoot { nope }\n}", "validation-failed")
    assert error["locations"] == [{"line": 2, "column": 11}]
    assert "nope" in error["message"]


@pytest.mark.parametrize(
    ("mutation", "code", "message"),
    [
        ("insertTwootOne(object: {userId: 1}) { id }", "constraint-violation", "content"),
        (
            "insertTwootOne(object: {userId: 1, content: null}) { id }",
            "constraint-violation",
            "content",
        ),
        (
            'insertTwoot(objects: [{content: "ok", userId: 1}, {userId: 2}]) { affectedRows }',
            "constraint-violation",
            "content",
        ),
        ('insertTwootOne(object: {content: "x"}) { id }', "constraint-violation", "required"),
        (
            'insertTwootOne(object: {content: "x", userId: 1, postedAt: "soon"}) { id }',
            "validation-failed",
            "",
        ),
        ("insertUserOne(object: {}) { id }", "constraint-violation", "required"),
        (
            'insertTwootOne(object: {userId: 999, content: "x"}) { id }',
            "constraint-violation",
            "foreign key",
        ),
        (
            'insertTwoot(objects: [{content: "ok", userId: 1}, {content: "bad", userId: 999}]) { affectedRows }',
            "constraint-violation",
            "foreign key",
        ),
        ('insertUserOne(object: {userName: "ann"}) { id }', "constraint-violation", "unique"),
        (
            'insertUser(objects: [{userName: "zed"}, {userName: "zed"}]) { affectedRows }',
            "constraint-violation",
            "unique",
        ),
        (
            'insertTwootOne(object: {content: "x", user: {data: {userName: "bob"}}}) { id }',
            "constraint-violation",
            "unique",
        ),
        (
            'insertUserOne(object: {userName: "dan", twoots: {data: [{content: "a"}, {}]}}) { id }',
            "constraint-violation",
            "content",
        ),
        (
            'updateUser(where: {userName: {_eq: "ann"}}, _set: {userName: "bob"}) { affectedRows }',
            "constraint-violation",
            "unique",
        ),
        (
            "updateTwoot(where: {}, _set: {userId: 999}) { affectedRows }",
            "constraint-violation",
            "foreign key",
        ),
        (
            "updateTwootByPk(pkColumns: {id: 1}, _set: {content: null}) { id }",
            "constraint-violation",
            "content",
        ),
        (
            "updateTwoot(where: {id: {_eq: 1}}, _set: {userId: 2}, _inc: {userId: 1}) { affectedRows }",
            "validation-failed",
            "both",
        ),
        (
            'deleteUser(where: {userName: {_eq: "ann"}}) { affectedRows }',
            "constraint-violation",
            "foreign key",
        ),
        ("deleteUserByPk(id: 2) { id }", "constraint-violation", "foreign key"),
    ],
    ids=[
        "missing-required-column",
        "null-required-column",
        "second-object-missing-column",
        "missing-foreign-key",
        "malformed-timestamp",
        "empty-object",
        "foreign-key",
        "second-object-foreign-key",
        "duplicate-unique",
        "duplicate-within-batch",
        "nested-object-duplicate",
        "nested-array-missing-column",
        "update-to-duplicate",
        "update-to-missing-parent",
        "update-to-null",
        "set-and-inc-same-column",
        "delete-referenced",
        "delete-by-pk-referenced",
    ],
)
def test_failed_mutation_reports_its_code_and_changes_nothing(
    seed, fails_with, row_counts, mutation, code, message
):
    before = seed.graphql(EVERYTHING)
    error = fails_with(f"mutation {{ {mutation} }}", code)
    assert message in error["message"]
    assert row_counts() == SEED_COUNTS
    assert seed.graphql(EVERYTHING) == before


@pytest.mark.parametrize(
    ("second", "code"),
    [
        ('insertTwootOne(object: {userId: 999, content: "x"}) { id }', "constraint-violation"),
        ("insertTwootOne(object: {userId: 1}) { id }", "constraint-violation"),
        ('insertUserOne(object: {userName: "dan"}) { id }', "constraint-violation"),
        (
            'updateUser(where: {userName: {_eq: "dan"}}, _set: {userName: "ann"}) { affectedRows }',
            "constraint-violation",
        ),
    ],
    ids=["foreign-key", "missing-column", "duplicate-of-the-first", "update-clashes"],
)
def test_mutation_document_is_one_transaction(seed, fails_with, row_counts, second, code):
    before = seed.graphql(EVERYTHING)
    fails_with(
        f"""mutation {{
            first: insertUserOne(object: {{userName: "dan", twoots: {{data: [{{content: "mine"}}]}}}}) {{ id }}
            also: updateTwoot(where: {{id: {{_eq: 1}}}}, _set: {{content: "changed"}}) {{ affectedRows }}
            second: {second}
        }}""",
        code,
    )
    assert row_counts() == SEED_COUNTS
    assert seed.graphql(EVERYTHING) == before
    assert seed.graphql('{ user(where: {userName: {_eq: "dan"}}) { id } }') == {"user": []}


def test_successful_mutation_after_a_failed_one_is_unaffected(seed, fails_with, row_counts):
    fails_with(
        'mutation { insertTwootOne(object: {userId: 999, content: "x"}) { id } }',
        "constraint-violation",
    )
    data = seed.graphql(
        'mutation { insertTwootOne(object: {userId: 1, content: "fine"}) { content } }'
    )
    assert data == {"insertTwootOne": {"content": "fine"}}
    assert row_counts() == {"user": 3, "twoot": 7}


def test_unknown_operation_name_is_an_error(seed):
    document = "query A { twoot(limit: 1) { id } } query B { user(limit: 1) { userName } }"
    body = seed.graphql_response(document, operationName="C")
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "bad-request"
    assert "C" in body["errors"][0]["message"]


def test_several_operations_without_operation_name_is_an_error(seed):
    body = seed.graphql_response("query A { twoot { id } } query B { user { id } }")
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "bad-request"


def test_operation_name_selects_the_operation(seed):
    document = "query A { twoot(orderBy: [{id: ASC}], limit: 1) { id } } query B { user(orderBy: [{id: DESC}], limit: 1) { userName } }"
    assert seed.graphql(document, operationName="B") == {"user": [{"userName": "cat"}]}
    assert seed.graphql(document, operationName="A") == {"twoot": [{"id": 1}]}


def test_operation_name_selects_a_mutation_among_queries(seed, row_counts):
    document = """query Count { twootAggregate { aggregate { count } } }
        mutation Add { insertTwootOne(object: {content: "named", userId: 2}) { content } }"""
    assert seed.graphql(document, operationName="Add") == {"insertTwootOne": {"content": "named"}}
    assert seed.graphql(document, operationName="Count") == {
        "twootAggregate": {"aggregate": {"count": 7}}
    }


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b'{"query": "{ twoot { id } }"'],
    ids=["garbage", "empty", "truncated"],
)
def test_malformed_json_body_is_http_400(client, body):
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "bad-request"


@pytest.mark.parametrize(
    "payload",
    [{"variables": {}}, {"query": ""}, {"query": None}],
    ids=["no-query", "empty-query", "null-query"],
)
def test_request_without_a_query_is_an_error(client, payload):
    response = client.post("/graphql", json=payload)
    body = response.json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "bad-request"


def test_variables_that_are_not_an_object_are_refused(client):
    response = client.post("/graphql", json={"query": "{ twoot { id } }", "variables": [1, 2]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "bad-request"


def test_write_validation_error_names_the_graphql_field(seed, fails_with):
    error = fails_with(
        'mutation { insertTwootOne(object: {content: "x"}) { id } }', "constraint-violation"
    )
    assert "userId" in error["message"]
    assert error["extensions"]["path"].endswith("userId")
