"""Regular-expression and SIMILAR TO operators, the same on SQLite and PostgreSQL."""

from __future__ import annotations

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
    assert twoot_ids(f"{{content: {{{operator}: $p}}}}", {"p": pattern}, "($p: String!)") == expected


def test_a_literal_pattern_works_like_a_variable(twoot_ids):
    assert twoot_ids('{content: {_regex: "again$"}}') == [5]


def test_an_invalid_pattern_is_a_validation_error(seed, fails_with):
    error = fails_with('{ twoot(where: {content: {_regex: "("}}) { id } }', "validation-failed")
    assert "pattern" in error["message"] or "regular expression" in error["message"]
