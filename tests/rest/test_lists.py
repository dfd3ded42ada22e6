"""Lists: pages with working links, ordering, filters and lookups, search, ``?where=``
and ``?expand=``; the count and the page come from one read."""

from __future__ import annotations

import json

import httpx
import pytest

from omega_gql.testing import OmegaClient
from tests.rest.conftest import ids


def test_the_index_lists_every_resource_with_its_url(api: OmegaClient) -> None:
    response = api.get("/api/")
    assert response.status_code == 200
    assert response.json() == {
        "twoots": "http://testserver/api/twoots/",
        "users": "http://testserver/api/users/",
    }


def test_a_page_has_the_count_and_links_that_work(seeded: OmegaClient) -> None:
    first = seeded.get("/api/twoots/")
    body = first.json()
    assert (body["count"], body["previous"], ids(first)) == (6, None, [1, 2])
    second = seeded.get(body["next"])
    assert ids(second) == [3, 4]
    third = seeded.get(second.json()["next"])
    assert ids(third) == [5, 6]
    assert third.json()["next"] is None
    back = seeded.get(third.json()["previous"])
    assert ids(back) == [3, 4]
    assert seeded.get(back.json()["previous"]).json()["previous"] is None


def test_links_keep_the_filters_and_ordering(seeded: OmegaClient) -> None:
    body = seeded.get("/api/twoots/?user_id=1&ordering=-id&limit=1").json()
    assert body["count"] == 3
    following = httpx.URL(body["next"]).params
    assert dict(following) == {"user_id": "1", "ordering": "-id", "limit": "1", "offset": "1"}
    assert ids(seeded.get(body["next"])) == [2]


def test_limit_is_capped_by_the_maximum_page_size(seeded: OmegaClient) -> None:
    assert ids(seeded.get("/api/twoots/?limit=100")) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-id", [6, 5, 4, 3, 2, 1]),
        ("-posted_at,id", [5, 6, 4, 3, 2, 1]),  # as in PostgreSQL, nulls come first descending
        ("posted_at", [1, 2, 3, 4, 6, 5]),
        ("user__user_name,-id", [3, 2, 1, 5, 4, 6]),
    ],
)
def test_ordering(seeded: OmegaClient, ordering: str, expected: list[int]) -> None:
    assert ids(seeded.get(f"/api/twoots/?ordering={ordering}&limit=6")) == expected[:4]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("user_id=2", [4, 5]),
        ("user_id__exact=3", [6]),
        ("id__gt=4", [5, 6]),
        ("id__gte=4", [4, 5, 6]),
        ("id__lt=2", [1]),
        ("id__lte=2", [1, 2]),
        ("id__in=1,3,6", [1, 3, 6]),
        ("id__nin=1,2,3", [4, 5, 6]),
        ("id__neq=1&user_id=1", [2, 3]),
        ("content__like=%25o%25", [1, 2, 4, 5]),
        ("content__ilike=s%25", [2]),
        ("content__nilike=%25o%25", [3]),
        ("posted_at__isnull=true", [5]),
        ("posted_at__is_null=false&user_id=2", [4]),
        ("posted_at__gt=2024-01-04T00:00:00", [3, 4, 6]),
        ("content__regex=^[A-Z]", [2, 6]),
        ("user__user_name=ann", [1, 2, 3]),
        ("user__joined_at__isnull=true", [6]),
    ],
)
def test_filters_and_lookups(seeded: OmegaClient, query: str, expected: list[int]) -> None:
    assert ids(seeded.get(f"/api/twoots/?{query}&limit=4")) == expected


def test_a_filter_through_an_array_relation_keeps_each_row_once(seeded: OmegaClient) -> None:
    response = seeded.get("/api/users/?twoots__content__ilike=%25o%25&limit=4")
    assert response.json()["count"] == 3
    assert ids(response) == [1, 2, 3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("HELLO", [1]), ("o", [1, 2, 4, 5]), ("100%", [5]), ("_", [])],
)
def test_search_matches_text_columns_as_plain_text(
    seeded: OmegaClient, text: str, expected: list[int]
) -> None:
    response = seeded.get("/api/twoots/", params={"search": text, "limit": "4"})
    assert ids(response) == expected


def test_where_takes_a_bool_exp_in_the_graphql_grammar(seeded: OmegaClient) -> None:
    where = {
        "_or": [{"content": {"_ilike": "%hi%"}}, {"user": {"user_name": {"_eq": "cat"}}}],
        "_not": {"id": {"_in": [6]}},
    }
    response = seeded.get("/api/twoots/", params={"where": json.dumps(where)})
    assert ids(response) == [3, 4]


def test_where_and_filters_combine(seeded: OmegaClient) -> None:
    where = json.dumps({"content": {"_ilike": "%o%"}})
    assert ids(seeded.get("/api/twoots/", params={"where": where, "user_id": "2"})) == [4, 5]


def test_expand_embeds_object_and_array_relations(seeded: OmegaClient) -> None:
    twoot = seeded.get("/api/twoots/?expand=user&limit=1").json()["results"][0]
    assert twoot["user"] == {"id": 1, "user_name": "ann", "joined_at": "2024-01-01T00:00:00"}
    user = seeded.get("/api/users/2?expand=twoots").json()
    assert [t["content"] for t in user["twoots"]] == ["hi from bob", "bob 100% again"]
    assert "twoots" not in seeded.get("/api/users/2").json()


def test_values_have_their_column_types(seeded: OmegaClient) -> None:
    row = seeded.get("/api/twoots/1").json()
    assert row == {
        "id": 1,
        "content": "hello world",
        "posted_at": "2024-01-02T10:00:00",
        "user_id": 1,
    }
