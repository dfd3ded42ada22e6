"""Creating, reading, replacing, changing and deleting objects, as Django REST framework
answers them, in JSON or form-encoded bodies."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omega_gql import create_app
from omega_gql.testing import OmegaClient, serve
from tests.kinds import Membership


def test_post_creates_and_answers_201_with_the_object_and_its_location(
    api: OmegaClient,
) -> None:
    response = api.post("/api/users/", json={"user_name": "ann"})
    assert response.status_code == 201
    user = response.json()
    assert user["user_name"] == "ann" and isinstance(user["id"], int)
    assert response.headers["location"] == f"http://testserver/api/users/{user['id']}"
    assert api.get(response.headers["location"]).json() == user


def test_a_form_encoded_post_creates_too(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.post("/api/twoots/", data={"content": "from a form", "user_id": "1"})
    assert response.status_code == 201
    assert response.json()["content"] == "from a form"
    assert response.json()["user_id"] == 1


def test_an_empty_form_field_is_null_for_a_non_text_column(api: OmegaClient) -> None:
    response = api.post("/api/users/", data={"user_name": "ann", "joined_at": ""})
    assert response.status_code == 201
    assert response.json()["joined_at"] is None


def test_a_list_creates_every_object_in_one_transaction(api: OmegaClient) -> None:
    response = api.post("/api/users/", json=[{"user_name": "ann"}, {"user_name": "bob"}])
    assert response.status_code == 201
    assert [u["user_name"] for u in response.json()] == ["ann", "bob"]
    assert api.get("/api/users/").json()["count"] == 2


def test_get_put_patch_delete_an_object(api: OmegaClient) -> None:
    api.post("/api/users/", json=[{"user_name": "ann"}, {"user_name": "bob"}])
    created = api.post("/api/twoots/", json={"content": "first", "user_id": 1}).json()
    url = f"/api/twoots/{created['id']}"
    assert api.get(url).json() == created
    replaced = api.put(url, json={"content": "replaced", "user_id": 2, "posted_at": None})
    assert replaced.status_code == 200
    assert replaced.json() == {**created, "content": "replaced", "user_id": 2, "posted_at": None}
    changed = api.patch(url, json={"content": "changed"})
    assert changed.status_code == 200
    assert changed.json() == {**replaced.json(), "content": "changed"}
    assert api.get(url).json() == changed.json()
    deleted = api.delete(url)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert api.get(url).status_code == 404


def test_a_trailing_slash_is_the_same_url(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    assert api.get("/api/users/1/").json() == api.get("/api/users/1").json()
    assert api.get("/api/users").json() == api.get("/api/users/").json()


def test_put_and_patch_accept_the_unchanged_key_in_the_body(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.patch("/api/users/1", json={"id": 1, "user_name": "anne"})
    assert (response.status_code, response.json()["user_name"]) == (200, "anne")


def test_an_empty_patch_answers_the_object_unchanged(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    assert api.patch("/api/users/1", json={}).json() == api.get("/api/users/1").json()


def test_head_answers_like_get_without_a_body(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.head("/api/users/1")
    assert (response.status_code, response.content) == (200, b"")


def test_options_names_the_allowed_methods(api: OmegaClient) -> None:
    response = api.options("/api/users/1")
    assert response.status_code == 200
    assert response.headers["allow"] == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"


@pytest.fixture
def members(db_url: str) -> Iterator[OmegaClient]:
    with serve(create_app(models=[Membership], database_url=db_url)) as client:
        rows = [
            {"team": "red", "member": "ann", "role": "lead"},
            {"team": "a,b", "member": "bob", "role": "dev"},
        ]
        assert client.post("/api/memberships/", json=rows).status_code == 201
        yield client


def test_a_composite_key_is_its_values_comma_separated_in_key_order(
    members: OmegaClient,
) -> None:
    assert members.get("/api/memberships/red,ann").json()["role"] == "lead"
    # A comma inside a value is percent-encoded.
    assert members.get("/api/memberships/a%2Cb,bob").json()["role"] == "dev"
    assert members.patch("/api/memberships/red,ann", json={"role": "dev"}).json()["role"] == "dev"
    assert members.delete("/api/memberships/a%2Cb,bob").status_code == 204
    assert members.get("/api/memberships/").json()["count"] == 1
    assert members.get("/api/memberships/red").status_code == 404


def test_a_created_object_with_a_composite_key_has_its_location(members: OmegaClient) -> None:
    response = members.post(
        "/api/memberships/", json={"team": "x/y", "member": "c,d", "role": "ops"}
    )
    assert response.headers["location"] == "http://testserver/api/memberships/x%2Fy,c%2Cd"
    assert members.get(response.headers["location"]).json()["role"] == "ops"


@pytest.mark.parametrize(
    "posted_at",
    [None, "2024-01-02T10:00:00", "2024-01-02T10:00:00.5", "2024-01-02T10:00:00.123456"],
)
def test_a_created_object_answers_exactly_as_it_reads_back(
    api: OmegaClient, posted_at: str | None
) -> None:
    # The created object's answer comes from the insert itself where it can: it must be
    # the same text, and so the same ETag, as reading it afterwards.
    api.post("/api/users/", json={"user_name": "ann"})
    body: dict[str, object] = {"content": "x", "user_id": 1}
    if posted_at is not None:
        body["posted_at"] = posted_at
    created = api.post("/api/twoots/", json=body)
    read = api.get(created.headers["location"])
    assert created.content == read.content
    assert created.headers["etag"] == read.headers["etag"]
    if posted_at is not None:
        assert read.json()["posted_at"] == posted_at
