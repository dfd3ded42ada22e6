"""The Twooter example, tested the way an app's authors test theirs: with omega_gql.testing."""

from __future__ import annotations

from pathlib import Path

import pytest

from examples.twooter.app import app
from omega_gql.testing import OmegaClient, assert_schema_snapshot

SNAPSHOT = Path(__file__).resolve().parents[3] / "tests" / "snapshots" / "twooter.graphql"


def test_schema_matches_the_committed_snapshot() -> None:
    assert_schema_snapshot(app, SNAPSHOT)


def test_chat_post_stores_a_twoot_and_creates_its_user_once(omega_client: OmegaClient) -> None:
    for n, message in enumerate(("hello", "again"), 1):
        response = omega_client.post("/chat", data={"user": "ann", "message": message})
        assert response.status_code == 201, response.text
        stored = response.json()
        assert stored.pop("postedAt")
        assert stored == {"id": n, "content": message, "user": {"id": 1, "userName": "ann"}}
    data = omega_client.graphql(
        '{ user { userName twoots(orderBy: [{id: ASC}]) { content } } twootCountByUser(userName: "ann") }'
    )
    assert data == {
        "user": [{"userName": "ann", "twoots": [{"content": "hello"}, {"content": "again"}]}],
        "twootCountByUser": 2,
    }


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"user": "ann"}, {"message": ["This field is required."]}),
        ({"user": "ann", "message": "   "}, {"message": ["This field is required."]}),
        ({"message": "hi"}, {"user": ["This field is required."]}),
        ({}, {"user": ["This field is required."], "message": ["This field is required."]}),
    ],
)
def test_chat_with_a_missing_field_is_refused_and_stores_nothing(
    omega_client: OmegaClient, form: dict[str, str], errors: dict[str, list[str]]
) -> None:
    response = omega_client.post("/chat", data=form)
    assert response.status_code == 400
    assert response.json() == errors
    assert omega_client.graphql("{ twootAggregate { aggregate { count } } }") == {
        "twootAggregate": {"aggregate": {"count": 0}}
    }


def test_custom_query_counts_only_that_users_twoots(omega_client: OmegaClient) -> None:
    omega_client.graphql(
        'mutation { insertUser(objects: [{userName: "ann", twoots: {data: [{content: "a"}]}},'
        ' {userName: "bob", twoots: {data: [{content: "b1"}, {content: "b2"}]}}]) { affectedRows } }'
    )
    assert omega_client.graphql('{ twootCountByUser(userName: "bob") }') == {"twootCountByUser": 2}
    assert omega_client.graphql('{ twootCountByUser(userName: "nobody") }') == {
        "twootCountByUser": 0
    }
