"""Refused writes are classified by the driver's structured error and name the field or
constraint; the driver's own text never reaches the client."""

from __future__ import annotations

import pytest

from omega_gql.testing import OmegaClient

CASES = [
    (
        'insertUserOne(object: {userName: "ann"}) { id }',
        {
            "constraint": "unique",
            "constraint_name": "user_user_name_key",
            "path": "$.insertUserOne.0.userName",
        },
        "'userName'",
    ),
    (
        'insertUserOne(object: {id: 1, userName: "zed"}) { id }',
        {"constraint": "unique", "constraint_name": "user_pkey", "path": "$.insertUserOne.0.id"},
        "'id'",
    ),
    (
        'insertTwootOne(object: {content: "x", userId: 999}) { id }',
        {"constraint": "foreign key"},
        "does not match an existing row",
    ),
    ("deleteUserByPk(id: 1) { id }", {"constraint": "foreign key"}, "foreign key"),
]
DRIVER_TEXT = (
    "UNIQUE constraint failed",
    "duplicate key value",
    "FOREIGN KEY constraint failed",
    "violates",
)


@pytest.mark.parametrize(
    ("mutation", "extensions", "phrase"),
    CASES,
    ids=["unique column", "primary key", "missing reference", "referenced row deleted"],
)
def test_a_refused_write_names_its_constraint_without_driver_text(
    client: OmegaClient, mutation: str, extensions: dict[str, str], phrase: str
) -> None:
    client.graphql(
        'mutation { insertUserOne(object: {userName: "ann", twoots: {data: [{content: "a"}]}}) { id } }'
    )
    body = client.graphql_response(f"mutation {{ {mutation} }}")
    [error] = body["errors"]
    assert error["extensions"]["code"] == "constraint-violation"
    for key, value in extensions.items():
        assert error["extensions"].get(key) == value, error
    assert phrase in error["message"]
    assert not any(text in error["message"] for text in DRIVER_TEXT), error["message"]
    assert client.graphql("{ user { userName twoots { content } } }") == {
        "user": [{"userName": "ann", "twoots": [{"content": "a"}]}]
    }
