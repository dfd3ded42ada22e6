"""``where``: every comparison operator, the boolean combinators, relationship paths, and
variables, including a whole ``where`` passed as a variable (one document, many plans)."""

from __future__ import annotations

import pytest

# The seed: id, user, content, postedAt
#   1 ann "hello world"  2024-01-02      4 bob "hi from bob" 2024-01-05
#   2 ann "Second post"  2024-01-03      5 bob "bob again"   null
#   3 ann "third"        2024-01-04      6 cat "Meow"        2024-01-06
OPERATORS = [
    ("id", "_eq", "2", [2]),
    ("id", "_neq", "2", [1, 3, 4, 5, 6]),
    ("id", "_gt", "4", [5, 6]),
    ("id", "_gte", "4", [4, 5, 6]),
    ("id", "_lt", "3", [1, 2]),
    ("id", "_lte", "3", [1, 2, 3]),
    ("id", "_in", "[1, 3, 99]", [1, 3]),
    ("id", "_in", "[]", []),
    ("id", "_nin", "[1, 3]", [2, 4, 5, 6]),
    ("id", "_nin", "[]", [1, 2, 3, 4, 5, 6]),
    ("postedAt", "_isNull", "true", [5]),
    ("postedAt", "_isNull", "false", [1, 2, 3, 4, 6]),
    ("postedAt", "_eq", '"2024-01-03T10:00:00"', [2]),
    ("postedAt", "_neq", '"2024-01-03T10:00:00"', [1, 3, 4, 6]),
    ("postedAt", "_gt", '"2024-01-04T10:00:00"', [4, 6]),
    ("postedAt", "_lte", '"2024-01-03T10:00:00"', [1, 2]),
    ("postedAt", "_in", '["2024-01-02T10:00:00", "2024-01-06T10:00:00"]', [1, 6]),
    ("postedAt", "_nin", '["2024-01-02T10:00:00"]', [2, 3, 4, 6]),
    ("content", "_eq", '"Meow"', [6]),
    ("content", "_eq", '"meow"', []),
    ("content", "_like", '"%bob%"', [4, 5]),
    ("content", "_like", '"S%"', [2]),
    ("content", "_like", '"s%"', []),
    ("content", "_like", '"h_"', []),
    ("content", "_like", '"hi%"', [4]),
    ("content", "_nlike", '"%o%"', [3]),
    ("content", "_nlike", '"h%"', [2, 3, 5, 6]),
    ("content", "_ilike", '"s%"', [2]),
    ("content", "_ilike", '"%MEOW%"', [6]),
    ("content", "_nilike", '"%O%"', [3]),
    ("content", "_nilike", '"H%"', [2, 3, 5, 6]),
]


@pytest.mark.parametrize(
    ("column", "operator", "value", "expected"),
    OPERATORS,
    ids=[f"{c}-{op}-{v}" for c, op, v, _ in OPERATORS],
)
def test_where_operator_selects_the_matching_rows(twoot_ids, column, operator, value, expected):
    assert twoot_ids(f"{{{column}: {{{operator}: {value}}}}}") == expected


def test_where_like_is_case_sensitive_and_ilike_is_not(twoot_ids):
    assert twoot_ids('{content: {_like: "%MEOW%"}}') == []
    assert twoot_ids('{content: {_ilike: "%meow%"}}') == [6]


def test_where_fields_of_one_object_are_combined_with_and(twoot_ids):
    assert twoot_ids('{userId: {_eq: 1}, content: {_like: "%o%"}}') == [1, 2]
    assert twoot_ids("{id: {_gt: 1, _lt: 4}}") == [2, 3]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('{_and: [{userId: {_eq: 1}}, {content: {_ilike: "%o%"}}]}', [1, 2]),
        ("{_and: []}", [1, 2, 3, 4, 5, 6]),
        ("{_or: [{id: {_eq: 1}}, {userId: {_eq: 3}}]}", [1, 6]),
        ("{_not: {userId: {_eq: 1}}}", [4, 5, 6]),
        ("{_not: {postedAt: {_isNull: false}}}", [5]),
        ("{_not: {_or: [{id: {_lt: 2}}, {id: {_gt: 5}}]}}", [2, 3, 4, 5]),
        (
            "{_or: [{_and: [{userId: {_eq: 1}}, {id: {_gt: 2}}]}, {_not: {userId: {_lte: 2}}}]}",
            [3, 6],
        ),
    ],
    ids=["and", "empty-and", "or", "not", "not-is-null", "not-or", "nested-and-or-not"],
)
def test_where_combinators_select_the_matching_rows(twoot_ids, where, expected):
    assert twoot_ids(where) == expected


def test_where_through_an_object_relationship(twoot_ids):
    assert twoot_ids('{user: {userName: {_eq: "ann"}}}') == [1, 2, 3]
    assert twoot_ids("{user: {joinedAt: {_isNull: true}}}") == [6]
    assert twoot_ids('{_not: {user: {userName: {_in: ["ann", "cat"]}}}}') == [4, 5]


def test_where_through_an_array_relationship_matches_parents_with_any_such_child(seed):
    def names(where: str) -> list[str]:
        data = seed.graphql(f"{{ user(where: {where}, orderBy: [{{id: ASC}}]) {{ userName }} }}")
        return [u["userName"] for u in data["user"]]

    assert names('{twoots: {content: {_like: "%bob%"}}}') == ["bob"]
    assert names('{twoots: {postedAt: {_gt: "2024-01-04T00:00:00"}}}') == ["ann", "bob", "cat"]
    assert names("{twoots: {postedAt: {_isNull: true}}}") == ["bob"]
    assert names('{_not: {twoots: {content: {_ilike: "%o%"}}}}') == []
    assert names('{twoots: {user: {userName: {_eq: "cat"}}}}') == ["cat"]


def test_where_relationship_path_nests_both_ways(seed):
    # twoots whose author has written a twoot mentioning bob
    data = seed.graphql(
        '{ twoot(where: {user: {twoots: {content: {_like: "%bob%"}}}}, orderBy: [{id: ASC}]) { id } }'
    )
    assert [r["id"] for r in data["twoot"]] == [4, 5]


@pytest.mark.parametrize(
    ("where", "declare", "first", "second"),
    [
        ("{user: {userName: {_eq: $v}}}", "($v: String!)", ("ann", [1, 2, 3]), ("bob", [4, 5])),
        ("{id: {_gt: $v}}", "($v: Int!)", (4, [5, 6]), (0, [1, 2, 3, 4, 5, 6])),
        ("{content: {_ilike: $v}}", "($v: String)", ("%O%", [1, 2, 4, 5, 6]), ("h%", [1, 4])),
        (
            "{postedAt: {_lt: $v}}",
            "($v: Timestamp!)",
            ("2024-01-03T10:00:00", [1]),
            ("2024-01-05T10:00:01", [1, 2, 3, 4]),
        ),
        ("{id: {_in: $v}}", "($v: [Int!])", ([2, 6], [2, 6]), ([], [])),
        (
            "{postedAt: {_in: $v}}",
            "($v: [Timestamp!])",
            (["2024-01-04T10:00:00"], [3]),
            (["2024-01-02T10:00:00", "2024-01-05T10:00:00"], [1, 4]),
        ),
        ("{postedAt: {_isNull: $v}}", "($v: Boolean!)", (True, [5]), (False, [1, 2, 3, 4, 6])),
    ],
    ids=[
        "string-through-relationship",
        "int",
        "ilike",
        "timestamp",
        "in-list",
        "in-timestamps",
        "is-null",
    ],
)
def test_where_takes_scalars_from_variables_and_rebinds_them_per_request(
    twoot_ids, where, declare, first, second
):
    for value, expected in (first, second, first):
        assert twoot_ids(where, {"v": value}, declare) == expected, value


def test_where_passed_whole_as_a_variable_is_planned_per_value(seed):
    query = "query($w: TwootBoolExp) { twoot(where: $w, orderBy: [{id: ASC}]) { id } }"

    def ids(where):
        return [r["id"] for r in seed.graphql(query, {"w": where})["twoot"]]

    by_ann = {"user": {"userName": {"_eq": "ann"}}}
    mentions_bob = {"content": {"_ilike": "%BOB%"}}
    either = {"_or": [{"id": {"_eq": 6}}, {"postedAt": {"_isNull": True}}]}
    assert ids(by_ann) == [1, 2, 3]
    assert ids(mentions_bob) == [4, 5]
    assert ids(either) == [5, 6]
    assert ids(by_ann) == [1, 2, 3]
    assert ids(None) == [1, 2, 3, 4, 5, 6]
    assert ids({}) == [1, 2, 3, 4, 5, 6]
    assert ids(mentions_bob) == [4, 5]


def test_where_variable_inside_a_literal_where_is_planned_per_value(seed):
    query = "query($c: StringComparisonExp) { twoot(where: {userId: {_lte: 2}, content: $c}, orderBy: [{id: ASC}]) { id } }"
    assert [r["id"] for r in seed.graphql(query, {"c": {"_like": "%o%"}})["twoot"]] == [1, 2, 4, 5]
    assert [r["id"] for r in seed.graphql(query, {"c": {"_eq": "third"}})["twoot"]] == [3]
    assert [r["id"] for r in seed.graphql(query, {"c": {"_like": "%o%"}})["twoot"]] == [1, 2, 4, 5]


def test_where_comparison_with_null_is_refused(fails_with):
    error = fails_with("{ twoot(where: {id: {_eq: null}}) { id } }", "validation-failed")
    assert "_isNull" in error["message"]


def test_where_comparison_with_a_null_variable_is_refused_like_a_null_literal(fails_with, seed):
    fails_with(
        "query($v: String) { twoot(where: {content: {_eq: $v}}) { id } }",
        "validation-failed",
        {"v": None},
    )


def test_where_comparison_with_an_omitted_variable_does_not_filter(twoot_ids):
    assert twoot_ids("{id: {_gt: $v}}", {}, "($v: Int)") == [1, 2, 3, 4, 5, 6]


ESCAPES = [
    ("_like", "100\\%", ["100%"]),
    ("_like", "100\\_", ["100_"]),
    ("_like", "%\\\\%", ["a\\b"]),
    ("_ilike", "100\\%", ["100%"]),
    ("_nlike", "100\\%", ["100 percent", "100_", "a\\b"]),
    ("_nilike", "%\\\\%", ["100%", "100 percent", "100_"]),
]


@pytest.mark.parametrize(
    ("operator", "pattern", "expected"),
    ESCAPES,
    ids=["like-percent", "like-underscore", "like-backslash", "ilike-percent", "nlike", "nilike"],
)
def test_where_like_patterns_escape_wildcards_with_a_backslash(seed, operator, pattern, expected):
    seed.graphql(
        """mutation($objects: [TwootInsertInput!]!) { insertTwoot(objects: $objects) { affectedRows } }""",
        {"objects": [{"content": c, "userId": 1} for c in ("100%", "100 percent", "100_", "a\\b")]},
    )
    data = seed.graphql(
        f"""query($p: String!) {{
            twoot(where: {{id: {{_gt: 6}}, content: {{{operator}: $p}}}}, orderBy: [{{id: ASC}}]) {{ content }}
        }}""",
        {"p": pattern},
    )
    assert [t["content"] for t in data["twoot"]] == expected


def test_where_like_with_wildcards_in_the_middle(twoot_ids):
    assert twoot_ids('{content: {_like: "hello_world"}}') == [1]
    assert twoot_ids('{content: {_like: "%o%o%"}}') == [1, 2, 4]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-02T10:00:00Z", [1]),
        ("2024-01-02T11:00:00+01:00", [1]),
        ("2024-01-02T05:00:00-05:00", [1]),
        ("2024-01-02T10:00:00.000", [1]),
    ],
    ids=["utc-z", "plus-one", "minus-five", "milliseconds"],
)
def test_where_timestamp_with_an_offset_compares_in_utc(twoot_ids, value, expected):
    assert twoot_ids(f'{{postedAt: {{_eq: "{value}"}}}}') == expected


def test_where_in_list_of_scalar_variables(twoot_ids):
    declare = "($a: Int!, $b: Int!)"
    assert twoot_ids("{id: {_in: [$a, $b]}}", {"a": 2, "b": 5}, declare) == [2, 5]
    assert twoot_ids("{id: {_in: [$a, $b]}}", {"a": 6, "b": 1}, declare) == [1, 6]
