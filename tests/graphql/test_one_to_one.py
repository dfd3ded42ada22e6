"""A one-to-one whose related row holds the key (``author.detail``, where
``author_detail.id`` refers to ``author.id``): nested inserts go parent first and fill the
child's key from it, as Hasura does; reads go both ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omega_gql import create_app
from omega_gql.testing import OmegaClient, serve
from tests.kinds import Author, AuthorDetail


@pytest.fixture
def authors(db_url: str) -> Iterator[OmegaClient]:
    with serve(create_app(models=[Author, AuthorDetail], database_url=db_url)) as client:
        yield client


def test_a_nested_insert_through_the_child_side_fills_the_child_key(authors: OmegaClient) -> None:
    data = authors.graphql(
        'mutation { insertAuthorOne(object: {name: "ann", detail: {data: {bio: "writes"}}})'
        " { id name detail { id bio author { name } } } }"
    )
    assert data == {
        "insertAuthorOne": {
            "id": 1,
            "name": "ann",
            "detail": {"id": 1, "bio": "writes", "author": {"name": "ann"}},
        }
    }
    data = authors.graphql(
        'mutation { insertAuthor(objects: [{name: "bob", detail: {data: {bio: "b"}}},'
        ' {name: "cy"}]) { affectedRows returning { name detail { bio } } } }'
    )
    assert data == {
        "insertAuthor": {
            "affectedRows": 3,
            "returning": [{"name": "bob", "detail": {"bio": "b"}}, {"name": "cy", "detail": None}],
        }
    }


def test_the_child_key_filled_by_the_parent_may_not_be_given(authors: OmegaClient) -> None:
    body = authors.graphql_response(
        'mutation { insertAuthorOne(object: {name: "ann", detail: {data: {id: 5, bio: "x"}}})'
        " { id } }"
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "validation-failed"
    assert authors.graphql("{ author { id } }") == {"author": []}


def test_a_refused_child_rolls_back_its_parent(authors: OmegaClient) -> None:
    body = authors.graphql_response(
        'mutation { insertAuthorOne(object: {name: "ann", detail: {data: {bio: null}}}) { id } }'
    )
    assert body["data"] is None
    assert authors.graphql("{ author { id } authorDetail { id } }") == {
        "author": [],
        "authorDetail": [],
    }
