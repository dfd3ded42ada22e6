"""Errors a client can act on, in Django REST framework's shapes; a refused write leaves
nothing behind."""

from __future__ import annotations

from typing import Any

import pytest

from omega_gql.testing import OmegaClient


def count(api: OmegaClient, resource: str) -> int:
    return api.get(f"/api/{resource}/").json()["count"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "url",
    [
        "/api/nothing/",
        "/api/nothing/1",
        "/api/users/99",
        "/api/users/x",
        "/api/users/1,2",
        "/api/users/%0A",
        "/api/users/1%2F2",
    ],
)
def test_an_unknown_resource_or_key_is_404(api: OmegaClient, url: str) -> None:
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        response = api.request(method, url, json={})
        assert response.status_code == 404, (method, response.text)
        assert "detail" in response.json()


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("PUT", "/api/users/", "GET, POST, HEAD, OPTIONS"),
        ("DELETE", "/api/users/", "GET, POST, HEAD, OPTIONS"),
        ("POST", "/api/users/1", "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"),
        ("POST", "/api/", "GET, HEAD, OPTIONS"),
    ],
)
def test_a_wrong_method_is_405_with_allow(
    api: OmegaClient, method: str, url: str, allow: str
) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.request(method, url)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"detail": f'Method "{method}" not allowed.'}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"user_id": 1}, "content", "required"),
        ({"content": None, "user_id": 1}, "content", "null"),
        ({"content": "x", "user_id": 1, "colour": "red"}, "colour", "no field"),
        ({"content": "x", "user_id": "one"}, "user_id", "int"),
        ({"content": "x", "user_id": 2**40}, "user_id", "int"),
        ({"content": 5, "user_id": 1}, "content", "string"),
        ({"content": "x", "user_id": 1, "posted_at": "yesterday"}, "posted_at", "datetime"),
        ({"content": "x", "user": {"user_name": "bob"}}, "user", "relation"),
    ],
)
def test_a_bad_field_is_400_naming_it_and_writes_nothing(
    api: OmegaClient, body: dict[str, Any], field: str, words: str
) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.post("/api/twoots/", json=body)
    assert response.status_code == 400
    [message] = response.json()[field]
    assert words in message
    assert count(api, "twoots") == 0


def test_a_unique_violation_names_the_field(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.post("/api/users/", json={"user_name": "ann"})
    assert response.status_code == 400
    assert "unique" in response.json()["user_name"][0]
    assert count(api, "users") == 1


def test_a_reference_to_no_row_is_400_and_writes_nothing(api: OmegaClient) -> None:
    response = api.post("/api/twoots/", json={"content": "x", "user_id": 42})
    assert response.status_code == 400
    assert "foreign key" in str(response.json())
    assert count(api, "twoots") == 0


def test_one_bad_object_in_a_list_writes_none_and_is_reported_by_position(
    api: OmegaClient,
) -> None:
    response = api.post("/api/users/", json=[{"user_name": "ann"}, {"name": "bob"}])
    assert response.status_code == 400
    assert response.json()[0] == {}
    assert "name" in response.json()[1]
    assert count(api, "users") == 0


def test_put_needs_every_required_field_and_patch_does_not(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    api.post("/api/twoots/", json={"content": "x", "user_id": 1})
    response = api.put("/api/twoots/1", json={"content": "y"})
    assert response.status_code == 400
    assert response.json() == {"user_id": ["This field is required."]}
    assert api.get("/api/twoots/1").json()["content"] == "x"
    assert api.patch("/api/twoots/1", json={"content": "y"}).status_code == 200


def test_the_key_cannot_change(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.patch("/api/users/1", json={"id": 2})
    assert response.status_code == 400
    assert "id" in response.json()
    assert api.get("/api/users/1").status_code == 200


@pytest.mark.parametrize(
    ("content", "body", "status", "detail"),
    [
        ("application/json", b'{"user_name": ', 400, "JSON parse error"),
        ("text/plain", b"user_name=ann", 415, 'Unsupported media type "text/plain"'),
        ("application/xml", b"<user/>", 415, "Unsupported media type"),
    ],
)
def test_a_body_that_cannot_be_read_is_refused(
    api: OmegaClient, content: str, body: bytes, status: int, detail: str
) -> None:
    response = api.post("/api/users/", content=body, headers={"content-type": content})
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert count(api, "users") == 0


@pytest.mark.parametrize("body", [[], "ann", 3, [1, 2]])
def test_a_body_that_is_not_objects_is_400(api: OmegaClient, body: Any) -> None:
    response = api.post("/api/users/", json=body)
    assert response.status_code == 400
    assert count(api, "users") == 0


def test_a_body_past_the_size_limit_is_413(db_url: str) -> None:
    from omega_gql.testing import serve
    from tests.conftest import make_app

    with serve(make_app(db_url, max_body_size=100)) as api:
        response = api.post("/api/users/", json={"user_name": "x" * 200})
        assert response.status_code == 413
        assert "max_body_size" in response.json()["detail"]
        assert count(api, "users") == 0


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("colour=red", "colour"),
        ("user__colour=red", "user__colour"),
        ("id__near=3", "id__near"),
        ("id__like=3", "id__like"),
        ("id=abc", "id"),
        ("id__in=1,x", "id__in"),
        ("posted_at__gt=soon", "posted_at__gt"),
        ("posted_at__isnull=maybe", "posted_at__isnull"),
        ("ordering=colour", "ordering"),
        ("ordering=twoots__id", "ordering"),
        ("limit=0", "limit"),
        ("limit=many", "limit"),
        ("offset=-1", "offset"),
        ("expand=colour", "expand"),
        ("where={bad", "where"),
        ('where={"colour": {"_eq": 1}}', "where"),
        ('where={"id": {"_near": 1}}', "where"),
        ('where={"id": {"_eq": "abc"}}', "where"),
        ('where={"id": {"_in": 3}}', "where"),
        ("format=xml", "format"),
    ],
)
def test_a_bad_query_parameter_is_400_naming_it(api: OmegaClient, query: str, param: str) -> None:
    response = api.get(f"/api/twoots/?{query}")
    assert response.status_code == 400, response.text
    assert list(response.json()) == [param]


def test_an_unknown_parameter_on_an_object_is_400(api: OmegaClient) -> None:
    api.post("/api/users/", json={"user_name": "ann"})
    response = api.get("/api/users/1?user_name=ann")
    assert (response.status_code, list(response.json())) == (400, ["user_name"])
