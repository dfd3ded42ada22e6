"""The browsable REST pages in Chromium: create through the list page's form, edit and
delete through the object page's forms; what users wrote stays inert text."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Server


def test_create_edit_and_delete_through_the_pages(new_page: Any, server: Server) -> None:
    assert httpx.post(f"{server.url}/api/users/", json={"user_name": "ann"}).status_code == 201
    page = new_page()
    page.goto(f"{server.url}/api/twoots/")
    expect(page.locator("#status")).to_contain_text("HTTP 200")
    hostile = "<img src=x onerror=window.pwned=1> hello"  # no quotes: JSON escapes those
    page.fill("#create input[name=content]", hostile)
    page.fill("#create input[name=user_id]", "1")
    page.click("#create button[type=submit]")
    # Redirected to the new object's page.
    expect(page).to_have_url(f"{server.url}/api/twoots/1")
    expect(page.locator("#answer")).to_contain_text(hostile)
    assert page.locator("#answer img").count() == 0
    assert page.evaluate("window.pwned") is None

    page.fill("#edit input[name=content]", "edited in the browser")
    page.click("#edit button[type=submit]")
    expect(page.locator("#answer")).to_contain_text("edited in the browser")
    assert httpx.get(f"{server.url}/api/twoots/1").json()["content"] == "edited in the browser"

    page.click("#delete button[type=submit]")
    expect(page).to_have_url(f"{server.url}/api/twoots/")
    expect(page.locator("#answer")).to_contain_text('"count": 0')
    assert httpx.get(f"{server.url}/api/twoots/1").status_code == 404


def test_links_in_the_answer_lead_to_the_objects(new_page: Any, server: Server) -> None:
    httpx.post(f"{server.url}/api/users/", json=[{"user_name": "ann"}, {"user_name": "bob"}])
    page = new_page()
    page.goto(f"{server.url}/api/")
    page.click(f"#answer a[href='{server.url}/api/users/']")
    expect(page.locator("h1")).to_have_text("users")
    expect(page.locator("#answer")).to_contain_text('"user_name": "bob"')
