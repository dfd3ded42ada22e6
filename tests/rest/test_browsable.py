"""The browsable API: a browser gets the same URLs as HTML pages (escaped, links that work,
pagination, filters, forms), ``?format=json`` gets JSON; pages of other sites cannot write."""

from __future__ import annotations

import re

import pytest

from omega_gql.testing import OmegaClient

HTML = {"accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def twoots(api: OmegaClient) -> OmegaClient:
    api.post("/api/users/", json={"user_name": "ann"})
    rows = [{"content": f"twoot {n}", "user_id": 1} for n in range(3)]
    rows.append({"content": "<script>alert('x')</script>", "user_id": 1})
    api.post("/api/twoots/", json=rows)
    return api


def test_a_browser_gets_a_page_and_format_json_gets_json(twoots: OmegaClient) -> None:
    page = twoots.get("/api/twoots/", headers=HTML)
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'id="create"' in page.text
    forced = twoots.get("/api/twoots/?format=json", headers=HTML)
    assert forced.json()["count"] == 4
    assert twoots.get("/api/twoots/").headers["content-type"] == "application/json"


def test_everything_shown_is_escaped(twoots: OmegaClient) -> None:
    page = twoots.get("/api/twoots/4", headers=HTML).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_urls_in_the_answer_are_links_and_pages_link_each_other(twoots: OmegaClient) -> None:
    page = twoots.get("/api/twoots/?user_id=1", headers=HTML).text
    following = re.search(r'<a id="next" href="([^"]+)"', page)
    assert following is not None
    assert f'<a href="{following[1]}">' in page  # the answer's "next" is a link too
    second = twoots.get(following[1].replace("&amp;", "&"), headers=HTML).text
    assert 'id="previous"' in second and "twoot 2" in second
    assert "<code>user_id=1</code>" in page  # the filters in use


def test_the_create_form_posts_and_lands_on_the_new_object(twoots: OmegaClient) -> None:
    # An empty field is not sent: posted_at keeps its default instead of becoming null.
    form = {"content": "from the form", "user_id": "1", "posted_at": "", "id": ""}
    created = twoots.post("/api/twoots/", data=form, headers=HTML, follow_redirects=False)
    assert created.status_code == 303
    row = twoots.get(created.headers["location"]).json()
    assert row["content"] == "from the form" and row["posted_at"] is not None


def test_the_object_page_edits_and_deletes(twoots: OmegaClient) -> None:
    page = twoots.get("/api/twoots/1", headers=HTML).text
    assert 'id="edit"' in page and 'value="twoot 0"' in page
    edit = {"_method": "PATCH", "content": "edited"}
    edited = twoots.post("/api/twoots/1", data=edit, headers=HTML, follow_redirects=False)
    assert (edited.status_code, edited.headers["location"]) == (303, "/api/twoots/1")
    assert twoots.get("/api/twoots/1").json()["content"] == "edited"
    gone = twoots.post("/api/twoots/1", data={"_method": "DELETE"}, headers=HTML,
                       follow_redirects=False)  # fmt: skip
    assert (gone.status_code, gone.headers["location"]) == (303, "/api/twoots/")
    assert twoots.get("/api/twoots/1").status_code == 404


def test_a_refused_form_shows_its_errors_and_writes_nothing(twoots: OmegaClient) -> None:
    refused = twoots.post("/api/twoots/", data={"user_id": "1"}, headers=HTML)
    assert refused.status_code == 400
    assert 'id="errors"' in refused.text and "content" in refused.text
    assert twoots.get("/api/twoots/").json()["count"] == 4


@pytest.mark.parametrize(
    "headers",
    [{"origin": "http://elsewhere.example"}, {"sec-fetch-site": "cross-site"}],
)
def test_a_write_from_another_sites_page_is_refused(
    twoots: OmegaClient, headers: dict[str, str]
) -> None:
    for method, url in (("POST", "/api/twoots/"), ("PATCH", "/api/twoots/1"),
                        ("DELETE", "/api/twoots/1")):  # fmt: skip
        response = twoots.request(method, url, data={"content": "x", "user_id": "1"},
                                  headers=headers)  # fmt: skip
        assert response.status_code == 403, (method, response.text)
    assert twoots.get("/api/twoots/").json()["count"] == 4
    assert twoots.get("/api/twoots/1").json()["content"] == "twoot 0"


def test_a_write_from_this_sites_page_is_accepted(twoots: OmegaClient) -> None:
    same = {"origin": "http://testserver", "sec-fetch-site": "same-origin"}
    response = twoots.patch("/api/twoots/1", json={"content": "ok"}, headers=same)
    assert response.status_code == 200
