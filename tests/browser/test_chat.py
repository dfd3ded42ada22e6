"""Two browser tabs on /chat: messages both ways, text never markup, curl's POST in both,
history after a reload, presence, and a tab that reconnects after the server restarts."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Server


def chat_page(new_page: Any, server: Server, user: str) -> Any:
    page = new_page()
    page.goto(f"{server.url}/chat")
    expect(page.locator("body")).to_have_attribute("data-connected", "true")
    page.fill("input[name=user]", user)
    page.dispatch_event("input[name=user]", "change")
    return page


def say(page: Any, message: str) -> None:
    page.fill("input[name=message]", message)
    page.click("button[type=submit]")
    expect(page.locator("input[name=message]")).to_have_value("")


def messages(page: Any) -> Any:
    return page.locator("#messages li")


def test_two_tabs_chat_both_ways(new_page: Any, server: Server) -> None:
    ann = chat_page(new_page, server, "ann")
    bob = chat_page(new_page, server, "bob")
    say(ann, "hello bob")
    expect(messages(bob)).to_have_count(1)
    expect(messages(bob).last).to_contain_text("ann")
    expect(messages(bob).last).to_contain_text("hello bob")
    say(bob, "hi ann")
    expect(messages(ann)).to_have_count(2)
    expect(messages(ann).last).to_contain_text("hi ann")


def test_a_script_shaped_message_stays_inert_text(new_page: Any, server: Server) -> None:
    ann = chat_page(new_page, server, "ann")
    bob = chat_page(new_page, server, "bob")
    hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>bold</b>'
    say(ann, hostile)
    for page in (ann, bob):
        expect(messages(page).last.locator(".content")).to_have_text(hostile)
        assert page.locator("#messages img, #messages script, #messages b").count() == 0
        assert page.evaluate("window.pwned") is None


def test_a_curl_post_shows_in_every_tab(new_page: Any, server: Server) -> None:
    tabs = [chat_page(new_page, server, name) for name in ("ann", "bob")]
    response = httpx.post(f"{server.url}/chat", data={"user": "curl", "message": "from curl"})
    assert response.status_code == 201
    for page in tabs:
        expect(messages(page).last).to_contain_text("curl")
        expect(messages(page).last).to_contain_text("from curl")


def test_a_reloaded_tab_shows_the_history(new_page: Any, server: Server) -> None:
    for n in range(3):
        httpx.post(f"{server.url}/chat", data={"user": "ann", "message": f"old {n}"})
    page = chat_page(new_page, server, "bob")
    expect(messages(page)).to_have_count(3)
    say(page, "new")
    page.reload()
    expect(messages(page)).to_have_count(4)
    expect(messages(page).first).to_contain_text("old 0")
    expect(messages(page).last).to_contain_text("new")
    assert page.input_value("input[name=user]") == "bob"  # remembered by the tab


def test_presence_shows_who_is_connected(new_page: Any, server: Server) -> None:
    ann = chat_page(new_page, server, "ann")
    expect(ann.locator("#presence li")).to_have_text(["ann"])
    bob = chat_page(new_page, server, "bob")
    for page in (ann, bob):
        expect(page.locator("#presence li")).to_have_text(["ann", "bob"])
    bob.close()
    expect(ann.locator("#presence li")).to_have_text(["ann"])


def test_a_tab_reconnects_and_shows_what_was_written_meanwhile(
    new_page: Any, server: Server
) -> None:
    page = chat_page(new_page, server, "ann")
    say(page, "before")
    expect(messages(page)).to_have_count(1)
    server.stop()
    expect(page.locator("body")).to_have_attribute("data-connected", "false")
    server.write_directly("bob", "while you were away")
    server.start()
    expect(page.locator("body")).to_have_attribute("data-connected", "true", timeout=15_000)
    expect(messages(page)).to_have_count(2)
    expect(messages(page).last).to_contain_text("while you were away")
    say(page, "after")
    expect(messages(page)).to_have_count(3)


def test_the_form_refuses_an_empty_message_without_sending(new_page: Any, server: Server) -> None:
    page = chat_page(new_page, server, "ann")
    page.click("button[type=submit]")  # the browser's own required-field check
    assert page.evaluate("document.querySelector('input[name=message]').validity.valueMissing")
    assert messages(page).count() == 0
