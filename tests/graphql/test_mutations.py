"""Mutations: inserts (many, one, nested both ways, upserts), updates and deletes, each
checked against what a later query reads back."""

from __future__ import annotations

import pytest


def twoots(client, where: str = "{}") -> list[tuple[int, int, str]]:
    data = client.graphql(
        f"{{ twoot(where: {where}, orderBy: [{{id: ASC}}]) {{ id userId content }} }}"
    )
    return [(t["id"], t["userId"], t["content"]) for t in data["twoot"]]


def users(client) -> list[tuple[int, str, str | None]]:
    data = client.graphql("{ user(orderBy: [{id: ASC}]) { id userName joinedAt } }")
    return [(u["id"], u["userName"], u["joinedAt"]) for u in data["user"]]


# ---- inserts ---------------------------------------------------------------------------


def test_insert_many_returns_affected_rows_and_returning(seed, row_counts):
    data = seed.graphql(
        """mutation { insertTwoot(objects: [
            {content: "first new", userId: 1},
            {content: "second new", userId: 3, postedAt: "2024-03-01T12:30:00"}
        ]) { affectedRows returning { id content postedAt user { userName } } } }"""
    )
    assert data["insertTwoot"]["affectedRows"] == 2
    returning = data["insertTwoot"]["returning"]
    assert [(r["id"], r["content"], r["user"]["userName"]) for r in returning] == [
        (7, "first new", "ann"),
        (8, "second new", "cat"),
    ]
    assert returning[0]["postedAt"] is not None  # the server default
    assert returning[1]["postedAt"] == "2024-03-01T12:30:00"
    assert twoots(seed, "{id: {_gt: 6}}") == [(7, 1, "first new"), (8, 3, "second new")]
    assert row_counts() == {"user": 3, "twoot": 8}


def test_insert_many_with_only_affected_rows_selected(seed):
    data = seed.graphql(
        'mutation { insertTwoot(objects: [{content: "x", userId: 2}]) { affectedRows } }'
    )
    assert data == {"insertTwoot": {"affectedRows": 1}}
    assert twoots(seed, "{id: {_eq: 7}}") == [(7, 2, "x")]


def test_insert_many_with_no_objects_inserts_nothing(seed, row_counts):
    data = seed.graphql("mutation { insertTwoot(objects: []) { affectedRows returning { id } } }")
    assert data == {"insertTwoot": {"affectedRows": 0, "returning": []}}
    assert row_counts() == {"user": 3, "twoot": 6}


def test_insert_one_returns_the_row(seed):
    data = seed.graphql(
        'mutation { insertTwootOne(object: {content: "solo", userId: 2}) { id content userId user { userName } } }'
    )
    assert data == {
        "insertTwootOne": {"id": 7, "content": "solo", "userId": 2, "user": {"userName": "bob"}}
    }
    assert seed.graphql("{ twootByPk(id: 7) { content } }") == {"twootByPk": {"content": "solo"}}


def test_insert_one_takes_the_object_from_a_variable(seed):
    query = "mutation($o: TwootInsertInput!) { insertTwootOne(object: $o) { id content userId } }"
    first = seed.graphql(query, {"o": {"content": "from a variable", "userId": 3}})
    second = seed.graphql(query, {"o": {"content": "again", "userId": 1, "postedAt": None}})
    assert first == {"insertTwootOne": {"id": 7, "content": "from a variable", "userId": 3}}
    assert second == {"insertTwootOne": {"id": 8, "content": "again", "userId": 1}}
    assert seed.graphql("{ twootByPk(id: 8) { postedAt } }") == {"twootByPk": {"postedAt": None}}


def test_insert_with_scalar_variables_binds_each_request(seed):
    query = "mutation($c: String!, $u: Int!) { insertTwootOne(object: {content: $c, userId: $u}) { id } }"
    seed.graphql(query, {"c": "one", "u": 1})
    seed.graphql(query, {"c": "two", "u": 2})
    assert twoots(seed, "{id: {_gt: 6}}") == [(7, 1, "one"), (8, 2, "two")]


def test_nested_object_insert_creates_the_parent_first(seed, row_counts):
    data = seed.graphql(
        """mutation { insertTwootOne(object: {content: "hi, I'm new", user: {data: {userName: "dan"}}}) {
            id content userId user { id userName }
        } }"""
    )
    assert data == {
        "insertTwootOne": {
            "id": 7,
            "content": "hi, I'm new",
            "userId": 4,
            "user": {"id": 4, "userName": "dan"},
        }
    }
    assert row_counts() == {"user": 4, "twoot": 7}
    assert seed.graphql("{ userByPk(id: 4) { userName twoots { id } } }") == {
        "userByPk": {"userName": "dan", "twoots": [{"id": 7}]}
    }


def test_nested_array_insert_creates_the_children_with_the_parent_key(client, row_counts):
    data = client.graphql(
        """mutation { insertUserOne(object: {userName: "eve", twoots: {data: [
            {content: "one", postedAt: "2024-05-01T00:00:00"},
            {content: "two", postedAt: "2024-05-02T00:00:00"}
        ]}}) { id userName twoots(orderBy: [{postedAt: DESC}]) { content userId } } }"""
    )
    assert data == {
        "insertUserOne": {
            "id": 1,
            "userName": "eve",
            "twoots": [{"content": "two", "userId": 1}, {"content": "one", "userId": 1}],
        }
    }
    assert row_counts() == {"user": 1, "twoot": 2}


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        ('insertTwoot(objects: [{content: "hi", user: {data: {userName: "dan"}}}])', 2),
        (
            'insertUser(objects: [{userName: "dan", twoots: {data: [{content: "a"}, {content: "b"}]}}])',
            3,
        ),
    ],
    ids=["object-relationship", "array-relationship"],
)
def test_affected_rows_of_a_nested_insert_counts_the_nested_rows(seed, mutation, expected):
    data = seed.graphql(f"mutation {{ {mutation} {{ affectedRows }} }}")
    assert list(data.values())[0]["affectedRows"] == expected


def test_upsert_on_unique_constraint_updates_the_listed_columns(seed, row_counts):
    data = seed.graphql(
        """mutation { insertUser(
            objects: [{userName: "ann", joinedAt: "2030-01-01T00:00:00"}, {userName: "dan", joinedAt: "2030-02-02T00:00:00"}],
            onConflict: {constraint: user_user_name_key, updateColumns: [joinedAt]}
        ) { affectedRows returning { userName joinedAt } } }"""
    )
    assert data == {
        "insertUser": {
            "affectedRows": 2,
            "returning": [
                {"userName": "ann", "joinedAt": "2030-01-01T00:00:00"},
                {"userName": "dan", "joinedAt": "2030-02-02T00:00:00"},
            ],
        }
    }
    assert row_counts() == {"user": 4, "twoot": 6}
    assert users(seed)[0] == (1, "ann", "2030-01-01T00:00:00")


def test_upsert_with_empty_update_columns_skips_the_clashing_row(seed, row_counts):
    data = seed.graphql(
        """mutation { insertUser(
            objects: [{userName: "bob", joinedAt: "2030-01-01T00:00:00"}],
            onConflict: {constraint: user_user_name_key, updateColumns: []}
        ) { affectedRows returning { id } } }"""
    )
    assert data == {"insertUser": {"affectedRows": 0, "returning": []}}
    assert row_counts() == {"user": 3, "twoot": 6}
    assert users(seed)[1] == (2, "bob", "2024-02-01T00:00:00")


def test_upsert_one_skipped_returns_null(seed):
    data = seed.graphql(
        """mutation { insertUserOne(object: {userName: "cat"},
            onConflict: {constraint: user_user_name_key, updateColumns: []}) { id } }"""
    )
    assert data == {"insertUserOne": None}


def test_upsert_where_limits_which_clashing_rows_are_updated(seed):
    data = seed.graphql(
        """mutation { insertUser(
            objects: [{userName: "ann", joinedAt: "2030-01-01T00:00:00"}, {userName: "cat", joinedAt: "2030-01-01T00:00:00"}],
            onConflict: {constraint: user_user_name_key, updateColumns: [joinedAt], where: {joinedAt: {_isNull: true}}}
        ) { affectedRows returning { userName } } }"""
    )
    assert data == {"insertUser": {"affectedRows": 1, "returning": [{"userName": "cat"}]}}
    assert [u[2] for u in users(seed)] == [
        "2024-01-01T00:00:00",
        "2024-02-01T00:00:00",
        "2030-01-01T00:00:00",
    ]


def test_upsert_over_the_primary_key(seed):
    data = seed.graphql(
        """mutation { insertTwootOne(object: {id: 2, content: "edited", userId: 1},
            onConflict: {constraint: twoot_pkey, updateColumns: [content]}) { id content } }"""
    )
    assert data == {"insertTwootOne": {"id": 2, "content": "edited"}}
    assert twoots(seed, "{id: {_eq: 2}}") == [(2, 1, "edited")]


# ---- updates ---------------------------------------------------------------------------


def test_update_with_set_changes_the_matching_rows(seed):
    data = seed.graphql(
        """mutation { updateTwoot(where: {userId: {_eq: 2}}, _set: {content: "edited"}) {
            affectedRows returning { id content }
        } }"""
    )
    assert data == {
        "updateTwoot": {
            "affectedRows": 2,
            "returning": [{"id": 4, "content": "edited"}, {"id": 5, "content": "edited"}],
        }
    }
    assert [t[2] for t in twoots(seed)] == [
        "hello world",
        "Second post",
        "third",
        "edited",
        "edited",
        "Meow",
    ]


def test_update_with_inc_adds_to_numeric_columns(seed):
    data = seed.graphql(
        "mutation { updateTwoot(where: {id: {_eq: 6}}, _inc: {userId: -1}) { affectedRows returning { userId user { userName } } } }"
    )
    assert data == {
        "updateTwoot": {
            "affectedRows": 1,
            "returning": [{"userId": 2, "user": {"userName": "bob"}}],
        }
    }


def test_update_with_set_and_inc_together(seed):
    data = seed.graphql(
        """mutation { updateTwoot(where: {id: {_in: [1, 2]}}, _set: {postedAt: null}, _inc: {userId: 1}) {
            returning { id userId postedAt }
        } }"""
    )
    assert data["updateTwoot"]["returning"] == [
        {"id": 1, "userId": 2, "postedAt": None},
        {"id": 2, "userId": 2, "postedAt": None},
    ]


def test_update_matching_nothing_affects_no_rows(seed):
    data = seed.graphql(
        'mutation { updateTwoot(where: {id: {_gt: 100}}, _set: {content: "x"}) { affectedRows returning { id } } }'
    )
    assert data == {"updateTwoot": {"affectedRows": 0, "returning": []}}


def test_update_where_follows_relationships_and_variables(seed):
    query = """mutation($name: String!, $text: String!) {
        updateTwoot(where: {user: {userName: {_eq: $name}}}, _set: {content: $text}) { affectedRows }
    }"""
    assert seed.graphql(query, {"name": "ann", "text": "by ann"}) == {
        "updateTwoot": {"affectedRows": 3}
    }
    assert seed.graphql(query, {"name": "cat", "text": "by cat"}) == {
        "updateTwoot": {"affectedRows": 1}
    }
    assert [t[2] for t in twoots(seed)] == [
        "by ann",
        "by ann",
        "by ann",
        "hi from bob",
        "bob again",
        "by cat",
    ]


def test_update_by_pk_returns_the_updated_row(seed):
    data = seed.graphql(
        'mutation { updateTwootByPk(pkColumns: {id: 3}, _set: {content: "3rd"}, _inc: {userId: 1}) { id content userId } }'
    )
    assert data == {"updateTwootByPk": {"id": 3, "content": "3rd", "userId": 2}}
    assert twoots(seed, "{id: {_eq: 3}}") == [(3, 2, "3rd")]


def test_update_by_pk_of_a_missing_row_returns_null(seed):
    data = seed.graphql(
        'mutation { updateTwootByPk(pkColumns: {id: 99}, _set: {content: "x"}) { id } }'
    )
    assert data == {"updateTwootByPk": None}
    assert [t[2] for t in twoots(seed)] == [
        "hello world",
        "Second post",
        "third",
        "hi from bob",
        "bob again",
        "Meow",
    ]


# ---- deletes ---------------------------------------------------------------------------


def test_delete_returns_the_deleted_rows(seed, row_counts):
    data = seed.graphql(
        """mutation { deleteTwoot(where: {user: {userName: {_eq: "ann"}}}) {
            affectedRows returning { id content user { userName } }
        } }"""
    )
    assert data == {
        "deleteTwoot": {
            "affectedRows": 3,
            "returning": [
                {"id": 1, "content": "hello world", "user": {"userName": "ann"}},
                {"id": 2, "content": "Second post", "user": {"userName": "ann"}},
                {"id": 3, "content": "third", "user": {"userName": "ann"}},
            ],
        }
    }
    assert row_counts() == {"user": 3, "twoot": 3}
    assert [t[0] for t in twoots(seed)] == [4, 5, 6]


def test_delete_matching_nothing_affects_no_rows(seed, row_counts):
    data = seed.graphql(
        'mutation { deleteTwoot(where: {postedAt: {_gt: "2030-01-01T00:00:00"}}) { affectedRows returning { id } } }'
    )
    assert data == {"deleteTwoot": {"affectedRows": 0, "returning": []}}
    assert row_counts() == {"user": 3, "twoot": 6}


def test_delete_by_pk_returns_the_deleted_row(seed, row_counts):
    data = seed.graphql("mutation { deleteTwootByPk(id: 5) { id content userId } }")
    assert data == {"deleteTwootByPk": {"id": 5, "content": "bob again", "userId": 2}}
    assert seed.graphql("{ twootByPk(id: 5) { id } }") == {"twootByPk": None}
    assert row_counts() == {"user": 3, "twoot": 5}


def test_delete_by_pk_of_a_missing_row_returns_null(seed, row_counts):
    assert seed.graphql("mutation { deleteTwootByPk(id: 77) { id } }") == {"deleteTwootByPk": None}
    assert row_counts() == {"user": 3, "twoot": 6}


def test_mutation_fields_run_in_document_order(seed):
    data = seed.graphql(
        """mutation {
            a: insertTwootOne(object: {content: "temp", userId: 1}) { id }
            b: updateTwoot(where: {content: {_eq: "temp"}}, _set: {content: "kept"}) { affectedRows }
            c: deleteTwoot(where: {userId: {_eq: 3}}) { affectedRows }
        }"""
    )
    assert data == {"a": {"id": 7}, "b": {"affectedRows": 1}, "c": {"affectedRows": 1}}
    assert twoots(seed, "{id: {_gt: 5}}") == [(7, 1, "kept")]


def test_update_that_changes_the_primary_key_returns_the_row_under_its_new_key(seed):
    data = seed.graphql(
        "mutation { updateTwoot(where: {id: {_eq: 1}}, _inc: {id: 100}) { affectedRows returning { id content } } }"
    )
    assert data == {
        "updateTwoot": {"affectedRows": 1, "returning": [{"id": 101, "content": "hello world"}]}
    }


def test_update_by_pk_that_sets_a_new_primary_key_returns_the_row(seed):
    data = seed.graphql(
        "mutation { updateTwootByPk(pkColumns: {id: 2}, _set: {id: 20}) { id content } }"
    )
    assert data == {"updateTwootByPk": {"id": 20, "content": "Second post"}}


EVERYTHING = """{ user(orderBy: [{id: ASC}]) {
    id userName joinedAt twoots(orderBy: [{id: ASC}]) { id content userId postedAt }
} }"""


def test_nested_object_insert_beside_its_foreign_key_is_refused(seed, fails_with):
    before = seed.graphql(EVERYTHING)
    fails_with(
        'mutation { insertTwootOne(object: {content: "y", userId: 1, user: {data: {userName: "zed"}}}) { id } }',
        "validation-failed",
    )
    assert seed.graphql(EVERYTHING) == before


def test_nested_array_insert_child_setting_the_foreign_key_is_refused(seed, fails_with):
    before = seed.graphql(EVERYTHING)
    fails_with(
        'mutation { insertUserOne(object: {userName: "q", twoots: {data: [{content: "a", userId: 1}]}}) { id } }',
        "validation-failed",
    )
    assert seed.graphql(EVERYTHING) == before


@pytest.mark.parametrize(
    "mutation",
    [
        "updateTwoot(where: {}, _set: {}) { affectedRows returning { id } }",
        "updateTwoot(where: {id: {_gt: 2}}) { affectedRows returning { id } }",
    ],
    ids=["empty-set", "no-operator"],
)
def test_an_update_with_nothing_to_change_updates_nothing(seed, row_counts, mutation) -> None:
    data = seed.graphql(f"mutation {{ {mutation} }}")
    assert data == {"updateTwoot": {"affectedRows": 0, "returning": []}}
    assert row_counts() == {"user": 3, "twoot": 6}


def test_an_update_by_key_with_nothing_to_change_answers_null(seed) -> None:
    data = seed.graphql("mutation { updateTwootByPk(pkColumns: {id: 1}, _set: {}) { id } }")
    assert data == {"updateTwootByPk": None}
    assert seed.graphql("{ twootByPk(id: 1) { content } }") == {
        "twootByPk": {"content": "hello world"}
    }


def test_upsert_skips_clashing_rows_and_inserts_the_rest(seed, row_counts):
    data = seed.graphql(
        """mutation { insertUser(
            objects: [{userName: "ann"}, {userName: "dan"}, {userName: "cat"}],
            onConflict: {constraint: user_user_name_key, updateColumns: []}
        ) { affectedRows returning { userName } } }"""
    )
    assert data == {"insertUser": {"affectedRows": 1, "returning": [{"userName": "dan"}]}}
    assert row_counts() == {"user": 4, "twoot": 6}


def test_write_with_a_whole_where_variable_is_planned_per_value(seed, row_counts):
    update = """mutation($w: TwootBoolExp!, $s: TwootSetInput) {
        updateTwoot(where: $w, _set: $s) { affectedRows returning { id } }
    }"""
    first = seed.graphql(update, {"w": {"userId": {"_eq": 2}}, "s": {"content": "bob's"}})
    second = seed.graphql(update, {"w": {"id": {"_in": [1, 6]}}, "s": {"postedAt": None}})
    assert first == {"updateTwoot": {"affectedRows": 2, "returning": [{"id": 4}, {"id": 5}]}}
    assert second == {"updateTwoot": {"affectedRows": 2, "returning": [{"id": 1}, {"id": 6}]}}
    delete = "mutation($w: TwootBoolExp!) { deleteTwoot(where: $w) { affectedRows } }"
    assert seed.graphql(delete, {"w": {"postedAt": {"_isNull": True}}}) == {
        "deleteTwoot": {"affectedRows": 3}
    }
    assert seed.graphql(delete, {"w": {"content": {"_eq": "bob's"}}}) == {
        "deleteTwoot": {"affectedRows": 1}
    }
    assert twoots(seed) == [(2, 1, "Second post"), (3, 1, "third")]
    assert row_counts() == {"user": 3, "twoot": 2}


def test_returning_selects_nested_relationships_with_their_arguments(seed):
    data = seed.graphql(
        """mutation { updateUser(where: {userName: {_in: ["ann", "bob"]}}, _set: {joinedAt: null}) {
            returning {
                userName joinedAt
                twoots(orderBy: [{id: DESC}], limit: 1) { id }
                twootsAggregate { aggregate { count } }
            }
        } }"""
    )
    assert data["updateUser"]["returning"] == [
        {
            "userName": "ann",
            "joinedAt": None,
            "twoots": [{"id": 3}],
            "twootsAggregate": {"aggregate": {"count": 3}},
        },
        {
            "userName": "bob",
            "joinedAt": None,
            "twoots": [{"id": 5}],
            "twootsAggregate": {"aggregate": {"count": 2}},
        },
    ]
