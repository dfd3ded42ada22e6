"""GraphiQL at GET /graphql from a browser, from the package's own files: it renders, runs a
query, and follows a subscription."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Server


def graphiql(new_page: Any, server: Server) -> Any:
    page = new_page()
    page.goto(f"{server.url}/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible()
    return page


def run(page: Any, document: str) -> None:
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    editor.click()
    page.evaluate(
        "(text) => document.querySelector('.graphiql-query-editor .CodeMirror')"
        ".CodeMirror.setValue(text)",
        document,
    )
    # GraphiQL reads the edited document after a short pause.
    page.wait_for_timeout(800)
    page.click(".graphiql-execute-button")


def result(page: Any) -> Any:
    return page.locator(".result-window")


def test_graphiql_renders_and_runs_a_query(new_page: Any, server: Server) -> None:
    httpx.post(f"{server.url}/chat", data={"user": "ann", "message": "hello graphiql"})
    page = graphiql(new_page, server)
    run(page, "{ twoot { content user { userName } } }")
    expect(result(page)).to_contain_text("hello graphiql")
    expect(result(page)).to_contain_text("ann")


def test_graphiql_follows_a_subscription(new_page: Any, server: Server) -> None:
    page = graphiql(new_page, server)
    run(page, "subscription { twoot(orderBy: {id: DESC}, limit: 1) { content } }")
    expect(result(page)).to_contain_text('"twoot": []')
    httpx.post(f"{server.url}/chat", data={"user": "ann", "message": "live in graphiql"})
    expect(result(page)).to_contain_text("live in graphiql")
