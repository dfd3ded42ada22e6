"""The Twooter app's REST resources through the shared database fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omega_gql.testing import OmegaClient, serve
from tests.conftest import make_app


@pytest.fixture
def api(db_url: str) -> Iterator[OmegaClient]:
    """A client on an empty Twooter app whose lists answer two rows a page by default."""
    with serve(make_app(db_url, page_size=2, max_page_size=4)) as client:
        yield client


@pytest.fixture
def seeded(api: OmegaClient) -> OmegaClient:
    """ann (three twoots), bob (two) and cat (one), written through REST."""
    users = [
        {"user_name": "ann", "joined_at": "2024-01-01T00:00:00"},
        {"user_name": "bob", "joined_at": "2024-02-01T00:00:00"},
        {"user_name": "cat", "joined_at": None},
    ]
    assert api.post("/api/users/", json=users).status_code == 201
    twoots = [
        {"content": "hello world", "user_id": 1, "posted_at": "2024-01-02T10:00:00"},
        {"content": "Second post", "user_id": 1, "posted_at": "2024-01-03T10:00:00"},
        {"content": "third", "user_id": 1, "posted_at": "2024-01-04T10:00:00"},
        {"content": "hi from bob", "user_id": 2, "posted_at": "2024-01-05T10:00:00"},
        {"content": "bob 100% again", "user_id": 2, "posted_at": None},
        {"content": "Meow", "user_id": 3, "posted_at": "2024-01-06T10:00:00"},
    ]
    assert api.post("/api/twoots/", json=twoots).status_code == 201
    return api


def ids(response: object) -> list[int]:
    body = response.json()  # type: ignore[attr-defined]
    return [row["id"] for row in body["results"]]
