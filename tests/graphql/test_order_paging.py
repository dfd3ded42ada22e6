"""``orderBy`` (columns, through object relationships, every nulls variant), ``limit``,
``offset`` and ``distinctOn``."""

from __future__ import annotations

import pytest


def ids_of(client, arguments: str, variables=None, declare: str = "") -> list[int]:
    header = f"query{declare} " if declare else ""
    data = client.graphql(f"{header}{{ twoot({arguments}) {{ id }} }}", variables)
    return [row["id"] for row in data["twoot"]]


# postedAt by id: 1 Jan 2, 2 Jan 3, 3 Jan 4, 4 Jan 5, 5 null, 6 Jan 6
NULLS = [
    ("ASC", [1, 2, 3, 4, 6, 5]),
    ("ASC_NULLS_FIRST", [5, 1, 2, 3, 4, 6]),
    ("ASC_NULLS_LAST", [1, 2, 3, 4, 6, 5]),
    ("DESC", [5, 6, 4, 3, 2, 1]),
    ("DESC_NULLS_FIRST", [5, 6, 4, 3, 2, 1]),
    ("DESC_NULLS_LAST", [6, 4, 3, 2, 1, 5]),
]


@pytest.mark.parametrize(("direction", "expected"), NULLS, ids=[d for d, _ in NULLS])
def test_order_by_nullable_column_places_nulls_as_asked(seed, direction, expected):
    assert ids_of(seed, f"orderBy: [{{postedAt: {direction}}}]") == expected


@pytest.mark.parametrize(("direction", "expected"), NULLS, ids=[d for d, _ in NULLS])
def test_order_by_direction_from_a_variable(seed, direction, expected):
    assert ids_of(seed, "orderBy: [{postedAt: $d}]", {"d": direction}, "($d: OrderBy)") == expected


def test_order_by_several_columns_applies_them_in_turn(seed):
    assert ids_of(seed, "orderBy: [{userId: DESC}, {id: ASC}]") == [6, 4, 5, 1, 2, 3]
    assert ids_of(seed, "orderBy: [{userId: ASC}, {postedAt: DESC_NULLS_LAST}]") == [
        3,
        2,
        1,
        4,
        5,
        6,
    ]
    assert ids_of(seed, "orderBy: [{userId: ASC}, {postedAt: DESC}]") == [3, 2, 1, 5, 4, 6]


def test_order_by_string_column(seed):
    data = seed.graphql("{ user(orderBy: [{userName: DESC}]) { userName } }")
    assert [u["userName"] for u in data["user"]] == ["cat", "bob", "ann"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("[{user: {userName: DESC}}, {id: ASC}]", [6, 4, 5, 1, 2, 3]),
        ("[{user: {userName: ASC}}, {id: DESC}]", [3, 2, 1, 5, 4, 6]),
        ("[{user: {joinedAt: DESC_NULLS_LAST}}, {id: ASC}]", [4, 5, 1, 2, 3, 6]),
        ("[{user: {joinedAt: ASC_NULLS_FIRST}}, {id: ASC}]", [6, 1, 2, 3, 4, 5]),
    ],
    ids=["user-name-desc", "user-name-asc", "joined-desc-nulls-last", "joined-asc-nulls-first"],
)
def test_order_by_through_an_object_relationship(seed, order, expected):
    assert ids_of(seed, f"orderBy: {order}") == expected


def test_order_by_passed_whole_as_a_variable_is_planned_per_value(seed):
    declare = "($o: [TwootOrderBy!])"
    newest = [{"postedAt": "DESC_NULLS_LAST"}]
    by_author = [{"user": {"userName": "DESC"}}, {"id": "DESC"}]
    assert ids_of(seed, "orderBy: $o", {"o": newest}, declare) == [6, 4, 3, 2, 1, 5]
    assert ids_of(seed, "orderBy: $o", {"o": by_author}, declare) == [6, 5, 4, 3, 2, 1]
    assert ids_of(seed, "orderBy: $o", {"o": newest}, declare) == [6, 4, 3, 2, 1, 5]


@pytest.mark.parametrize(
    ("paging", "expected"),
    [
        ("limit: 2", [1, 2]),
        ("limit: 2, offset: 1", [2, 3]),
        ("offset: 4", [5, 6]),
        ("limit: 0", []),
        ("offset: 6", []),
        ("limit: 10, offset: 5", [6]),
        ("limit: null, offset: null", [1, 2, 3, 4, 5, 6]),
    ],
    ids=[
        "limit",
        "limit-offset",
        "offset-only",
        "limit-zero",
        "offset-past-end",
        "limit-past-end",
        "null",
    ],
)
def test_limit_and_offset_page_through_ordered_rows(seed, paging, expected):
    assert ids_of(seed, f"orderBy: [{{id: ASC}}], {paging}") == expected


def test_limit_and_offset_from_variables(seed):
    declare = "($l: Int, $o: Int)"
    arguments = "orderBy: [{id: DESC}], limit: $l, offset: $o"
    assert ids_of(seed, arguments, {"l": 2, "o": 0}, declare) == [6, 5]
    assert ids_of(seed, arguments, {"l": 3, "o": 2}, declare) == [4, 3, 2]


@pytest.mark.parametrize("argument", ["limit", "offset"])
@pytest.mark.parametrize("null", [{"v": None}, {}], ids=["null", "omitted"])
def test_paging_variable_that_is_null_or_omitted_means_no_paging(seed, argument, null):
    assert ids_of(seed, f"orderBy: [{{id: ASC}}], {argument}: $v", null, "($v: Int)") == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


@pytest.mark.parametrize("argument", ["limit", "offset"])
def test_negative_paging_literal_is_refused(fails_with, seed, argument):
    fails_with(f"{{ twoot({argument}: -1) {{ id }} }}", "validation-failed")


@pytest.mark.parametrize("argument", ["limit", "offset"])
def test_negative_paging_variable_is_refused(fails_with, seed, argument):
    fails_with(
        f"query($v: Int) {{ twoot({argument}: $v) {{ id }} }}", "validation-failed", {"v": -1}
    )


def test_distinct_on_keeps_the_first_row_of_each_group_in_order(seed):
    # each user's newest twoot, the undated one counting as oldest
    arguments = "distinctOn: [userId], orderBy: [{userId: ASC}, {postedAt: DESC_NULLS_LAST}]"
    assert ids_of(seed, arguments) == [3, 4, 6]
    # DESC puts nulls first, so bob's undated twoot leads his group
    assert ids_of(seed, "distinctOn: [userId], orderBy: [{userId: ASC}, {postedAt: DESC}]") == [
        3,
        5,
        6,
    ]


def test_distinct_on_then_paging_and_filtering(seed):
    arguments = "distinctOn: [userId], orderBy: [{userId: DESC}, {id: ASC}], limit: 2"
    assert ids_of(seed, arguments) == [6, 4]
    arguments = 'distinctOn: [userId], orderBy: [{userId: ASC}, {id: DESC}], where: {content: {_nilike: "%bob%"}}'
    assert ids_of(seed, arguments) == [3, 6]


def test_distinct_on_in_an_aggregate_counts_the_groups(seed):
    data = seed.graphql(
        "{ twootAggregate(distinctOn: [userId], orderBy: [{userId: ASC}, {id: ASC}]) "
        "{ aggregate { count } nodes { id } } }"
    )
    assert data == {
        "twootAggregate": {"aggregate": {"count": 3}, "nodes": [{"id": 1}, {"id": 4}, {"id": 6}]}
    }


@pytest.mark.parametrize(
    "order",
    ["[{postedAt: DESC}]", "[{id: ASC}, {userId: ASC}]", "[{user: {id: ASC}}]"],
    ids=["other-column", "not-leading", "through-relationship"],
)
def test_distinct_on_not_matching_the_leading_order_by_is_refused(fails_with, seed, order):
    error = fails_with(
        f"{{ twoot(distinctOn: [userId], orderBy: {order}) {{ id }} }}", "validation-failed"
    )
    assert "distinctOn" in error["message"]
