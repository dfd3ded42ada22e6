"""Regular-expression and SIMILAR TO operators, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import concurrent.futures

import pytest

# Seeded contents by id: 1 "hello world", 2 "Second post", 3 "third", 4 "hi from bob",
# 5 "bob again", 6 "Meow".
CASES = [
    ("_regex", "^h", [1, 4]),
    ("_regex", "o[bw]", [4, 5, 6]),
    ("_iregex", "^s", [2]),
    ("_nregex", "o", [3]),
    ("_niregex", "^[hm]", [2, 3, 5]),
    ("_similar", "%(bob|world)", [1, 4]),
    ("_similar", "h_%", [1, 4]),
    ("_nsimilar", "%o%", [3]),
]


@pytest.mark.parametrize(
    ("operator", "pattern", "expected"),
    CASES,
    ids=[f"{op}-{pattern}" for op, pattern, _ in CASES],
)
def test_pattern_operators(twoot_ids, operator, pattern, expected):
    assert (
        twoot_ids(f"{{content: {{{operator}: $p}}}}", {"p": pattern}, "($p: String!)") == expected
    )


def test_a_literal_pattern_works_like_a_variable(twoot_ids):
    assert twoot_ids('{content: {_regex: "again$"}}') == [5]


def test_an_invalid_pattern_is_a_validation_error(seed, fails_with):
    error = fails_with('{ twoot(where: {content: {_regex: "("}}) { id } }', "validation-failed")
    assert "pattern" in error["message"] or "regular expression" in error["message"]


@pytest.mark.parametrize(
    ("operator", "pattern", "content"),
    [("_regex", "(a+)+$", "a" * 30 + "!"), ("_similar", "(a|aa)*c", "a" * 20_000)],
    ids=["nested-quantifier", "similar-alternation"],
)
def test_a_catastrophic_pattern_answers_in_linear_time(seed, operator, pattern, content):
    # A backtracking engine takes minutes (or forever) on these; the wait is bounded.
    seed.graphql(
        "mutation($c: String!) { insertTwootOne(object: {content: $c, userId: 1}) { id } }",
        {"c": content},
    )
    query = f"query($p: String!) {{ twoot(where: {{content: {{{operator}: $p}}}}) {{ id }} }}"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        answer = pool.submit(seed.graphql, query, {"p": pattern}).result(timeout=20)
    assert answer == {"twoot": []}


def test_a_backreference_is_refused_on_sqlite_and_matched_by_postgresql(db_url, seed):
    # RE2 takes no backreferences; PostgreSQL matches with its own engine.
    query = "query($p: String!) { twoot(where: {content: {_regex: $p}}) { id } }"
    for body in (
        seed.graphql_response('{ twoot(where: {content: {_regex: "(l)\\\\1"}}) { id } }'),
        seed.graphql_response(query, {"p": "(l)\\1"}),
    ):
        if db_url.startswith("sqlite"):
            assert body["data"] is None
            assert body["errors"][0]["extensions"]["code"] == "validation-failed"
            assert "invalid pattern" in body["errors"][0]["message"]
        else:
            assert body == {"data": {"twoot": [{"id": 1}]}}
