"""ETags: every object answer carries one; ``If-None-Match`` answers 304, and a write with
a stale ``If-Match`` answers 412 and changes nothing, so two clients cannot silently
overwrite each other."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from omega_gql.testing import OmegaClient
from tests.conftest import make_app
from tests.realtime.test_sharing import serve_in_thread


@pytest.fixture
def ann(api: OmegaClient) -> str:
    """The ETag of user 1, ann, as created."""
    return api.post("/api/users/", json={"user_name": "ann"}).headers["etag"]


def test_every_object_answer_has_an_etag_that_follows_the_object(
    api: OmegaClient, ann: str
) -> None:
    assert api.get("/api/users/1").headers["etag"] == ann
    changed = api.patch("/api/users/1", json={"user_name": "anne"}).headers["etag"]
    assert changed != ann
    assert api.get("/api/users/1").headers["etag"] == changed


def test_if_none_match_answers_304_until_the_object_changes(api: OmegaClient, ann: str) -> None:
    cached = api.get("/api/users/1", headers={"if-none-match": ann})
    assert (cached.status_code, cached.content, cached.headers["etag"]) == (304, b"", ann)
    api.patch("/api/users/1", json={"user_name": "anne"})
    fresh = api.get("/api/users/1", headers={"if-none-match": ann})
    assert (fresh.status_code, fresh.json()["user_name"]) == (200, "anne")


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("PUT", {"user_name": "bob"}),
        ("PATCH", {"user_name": "bob"}),
        ("PATCH", {}),
        ("DELETE", None),
    ],
)
def test_a_stale_if_match_is_412_and_changes_nothing(
    api: OmegaClient, ann: str, method: str, body: dict[str, str] | None
) -> None:
    api.patch("/api/users/1", json={"user_name": "anne"})
    before = api.get("/api/users/1").json()
    response = api.request(method, "/api/users/1", json=body, headers={"if-match": ann})
    assert response.status_code == 412
    assert "changed" in response.json()["detail"]
    assert api.get("/api/users/1").json() == before


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_a_current_or_any_if_match_writes(api: OmegaClient, ann: str, method: str) -> None:
    body = {"user_name": "bob"} if method != "DELETE" else None
    response = api.request(method, "/api/users/1", json=body, headers={"if-match": f'"x", {ann}'})
    assert response.status_code in (200, 204)
    cat = api.post("/api/users/", json={"user_name": "cat"}).headers["location"]
    anything = api.request(method, cat, json=body and {"user_name": "dan"},
                           headers={"if-match": "*"})  # fmt: skip
    assert anything.status_code in (200, 204)


def test_if_match_on_a_missing_object_is_412(api: OmegaClient) -> None:
    assert api.delete("/api/users/7", headers={"if-match": "*"}).status_code == 412


def test_of_concurrent_writers_with_one_etag_exactly_one_wins(db_url: str) -> None:
    app = make_app(db_url)
    with serve_in_thread(app) as address:
        base = f"http://{address}/api/users/"
        tag = httpx.post(base, json={"user_name": "ann"}, timeout=10).headers["etag"]

        def rename(n: int) -> int:
            headers = {"if-match": tag}
            body = {"user_name": f"writer {n}"}
            return httpx.patch(f"{base}1", json=body, headers=headers, timeout=20).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = sorted(pool.map(rename, range(8)))
        assert statuses == [200] + [412] * 7
        assert httpx.get(f"{base}1", timeout=10).json()["user_name"].startswith("writer ")
