"""Selections nest as deep as the depth limit allows, on both databases: a read too deep
for one statement is split into a few, whatever the number of rows."""

from __future__ import annotations

from typing import Any

import pytest

from omega_gql.query import compile as compiler
from omega_gql.testing import OmegaClient, serve
from tests.conftest import make_app


def chain(levels: int) -> str:
    """``twootByPk(id: 1) { user { twoots(limit: 1) { user { ... id } } } }``: ``levels``
    relationships below the root, each answering one row."""
    query = "id"
    for level in reversed(range(levels)):
        if level % 2 == 0:
            query = f"user {{ userName {query} }}"
        else:
            query = f"twoots(orderBy: {{id: ASC}}, limit: 1) {{ content {query} }}"
    return f"{{ twootByPk(id: 1) {{ {query} }} }}"


def walk(value: dict[str, Any], levels: int) -> None:
    for level in range(levels):
        if level % 2 == 0:
            value = value["user"]
            assert value["userName"] == "ann"
        else:
            [value] = value["twoots"]
            assert value["content"] == "hello world"
    assert value["id"] == 1


@pytest.mark.parametrize("levels", [7, 8, 15, 22])
def test_any_depth_up_to_the_limit_answers(seed: OmegaClient, levels: int) -> None:
    # 22 relationships, the root field and the leaf: the default limit of 24 levels.
    walk(seed.graphql(chain(levels))["twootByPk"], levels)


def test_depth_under_an_aggregate_with_paging_answers(seed: OmegaClient) -> None:
    # An aggregate's nodes sit in subqueries of their own: SQLite's parser once gave out on
    # such a document (found by the generated-documents test), five relationships below.
    data = seed.graphql(
        """{ twootAggregate(distinctOn: [], limit: 1, offset: 0, orderBy: [], where: {_and: null}) {
            nodes { user { twoots(distinctOn: [], orderBy: [], where: {_and: []}) {
                user { twoots(distinctOn: [], limit: 1, offset: 0, orderBy: [], where: null) {
                    user { joinedAt } } } } } } } }"""
    )
    [node] = data["twootAggregate"]["nodes"]
    [deepest] = node["user"]["twoots"][0]["user"]["twoots"]
    assert deepest == {"user": {"joinedAt": "2024-01-01T00:00:00"}}


def test_the_statements_of_a_deep_read_do_not_grow_with_the_rows(
    seed: OmegaClient, count_statements
) -> None:
    query = chain(22).replace("limit: 1", "limit: 3")
    seed.graphql(query)
    count_statements.statements.clear()
    seed.graphql(query)
    few = count_statements.count
    seed.graphql(
        'mutation { insertTwoot(objects: [{content: "more", userId: 1}, {content: "again",'
        ' userId: 1}, {content: "and more", userId: 2}]) { affectedRows } }'
    )
    count_statements.statements.clear()
    seed.graphql(query)
    assert count_statements.count == few
    assert few <= 1 + 22 // compiler.MAX_NESTING


QUERIES = [
    "{ twoot(orderBy: {id: DESC}) { id user { userName twoots(orderBy: {id: DESC}, limit: 2) {"
    " content user { id twootsAggregate { aggregate { count } nodes { id user { userName } } }"
    " } } } } }",
    "{ userAggregate { aggregate { count } nodes { twoots { user { twoots(where: {id: {_gt: 2}})"
    " { user { twoots { id } } } } } } } }",
    "{ twootByPk(id: 3) { user { twoots { user { twoots { user { twoots { user { userName }"
    " } } } } } } } }",
    "{ user { twoots { user { twoots { user { a: twoots(limit: 1) { id } b: twoots(offset: 1)"
    " { content } } } } } } }",
]


def test_a_split_read_answers_what_one_statement_answers(
    seed: OmegaClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiler, "MAX_NESTING", 7)  # as deep as SQLite takes in one
    whole = [seed.graphql(query) for query in QUERIES]
    monkeypatch.setattr(compiler, "MAX_NESTING", 1)
    with serve(make_app(db_url)) as split:
        assert [split.graphql(query) for query in QUERIES] == whole
