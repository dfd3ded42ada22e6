"""The same documents in both naming conventions give the same answers: ``graphql-default``
(camelCase fields, UPPER_CASE enum values) and ``hasura-default`` (snake_case throughout).
Aliases keep the response keys equal, so one expectation serves both."""

from __future__ import annotations

import pytest

QUERIES = {
    "graphql-default": """query($pk: Int!, $w: TwootBoolExp, $o: [TwootOrderBy!]) {
        byPk: twootByPk(id: $pk) { id postedAt userId user { userName } }
        missing: twootByPk(id: 99) { id }
        newest: twoot(where: {postedAt: {_isNull: false}}, orderBy: [{postedAt: DESC_NULLS_LAST}], limit: 2) { id }
        undated: twoot(where: {postedAt: {_isNull: true}}) { id }
        byVariables: twoot(where: $w, orderBy: $o) { id }
        nullsLast: twoot(orderBy: [{postedAt: DESC_NULLS_LAST}], offset: 4) { id }
        throughUser: twoot(orderBy: [{user: {joinedAt: ASC_NULLS_FIRST}}, {id: ASC}], limit: 2) { id }
        firstPerUser: twoot(distinctOn: [userId], orderBy: [{userId: ASC}, {id: DESC}]) { id }
        counts: twootAggregate { aggregate { count(columns: [userId], distinct: true) max { postedAt } } }
        users: user(where: {twoots: {content: {_ilike: "%O%"}}}, orderBy: [{joinedAt: DESC_NULLS_LAST}]) {
            userName joinedAt
            twoots(orderBy: [{id: DESC}], limit: 1) { id }
            twootsAggregate { aggregate { count } }
        }
    }""",
    "hasura-default": """query($pk: Int!, $w: twoot_bool_exp, $o: [twoot_order_by!]) {
        byPk: twoot_by_pk(id: $pk) { id postedAt: posted_at userId: user_id user { userName: user_name } }
        missing: twoot_by_pk(id: 99) { id }
        newest: twoot(where: {posted_at: {_is_null: false}}, order_by: [{posted_at: desc_nulls_last}], limit: 2) { id }
        undated: twoot(where: {posted_at: {_is_null: true}}) { id }
        byVariables: twoot(where: $w, order_by: $o) { id }
        nullsLast: twoot(order_by: [{posted_at: desc_nulls_last}], offset: 4) { id }
        throughUser: twoot(order_by: [{user: {joined_at: asc_nulls_first}}, {id: asc}], limit: 2) { id }
        firstPerUser: twoot(distinct_on: [user_id], order_by: [{user_id: asc}, {id: desc}]) { id }
        counts: twoot_aggregate { aggregate { count(columns: [user_id], distinct: true) max { postedAt: posted_at } } }
        users: user(where: {twoots: {content: {_ilike: "%O%"}}}, order_by: [{joined_at: desc_nulls_last}]) {
            userName: user_name joinedAt: joined_at
            twoots(order_by: [{id: desc}], limit: 1) { id }
            twootsAggregate: twoots_aggregate { aggregate { count } }
        }
    }""",
}
QUERY_VARIABLES = {
    "graphql-default": {
        "pk": 4,
        "w": {"userId": {"_gte": 2}},
        "o": [{"postedAt": "ASC_NULLS_FIRST"}],
    },
    "hasura-default": {
        "pk": 4,
        "w": {"user_id": {"_gte": 2}},
        "o": [{"posted_at": "asc_nulls_first"}],
    },
}
QUERY_ANSWER = {
    "byPk": {"id": 4, "postedAt": "2024-01-05T10:00:00", "userId": 2, "user": {"userName": "bob"}},
    "missing": None,
    "newest": [{"id": 6}, {"id": 4}],
    "undated": [{"id": 5}],
    "byVariables": [{"id": 5}, {"id": 4}, {"id": 6}],
    "nullsLast": [{"id": 1}, {"id": 5}],
    "throughUser": [{"id": 6}, {"id": 1}],
    "firstPerUser": [{"id": 3}, {"id": 5}, {"id": 6}],
    "counts": {"aggregate": {"count": 3, "max": {"postedAt": "2024-01-06T10:00:00"}}},
    "users": [
        {
            "userName": "bob",
            "joinedAt": "2024-02-01T00:00:00",
            "twoots": [{"id": 5}],
            "twootsAggregate": {"aggregate": {"count": 2}},
        },
        {
            "userName": "ann",
            "joinedAt": "2024-01-01T00:00:00",
            "twoots": [{"id": 3}],
            "twootsAggregate": {"aggregate": {"count": 3}},
        },
        {
            "userName": "cat",
            "joinedAt": None,
            "twoots": [{"id": 6}],
            "twootsAggregate": {"aggregate": {"count": 1}},
        },
    ],
}

MUTATIONS = {
    "graphql-default": """mutation {
        added: insertTwoot(objects: [{content: "new", userId: 2}]) { affectedRows returning { content userId } }
        one: insertUserOne(object: {userName: "dan", twoots: {data: [{content: "dan's"}]}}) { userName twoots { content } }
        upsert: insertUser(objects: [{userName: "ann", joinedAt: "2030-01-01T00:00:00"}],
            onConflict: {constraint: user_user_name_key, updateColumns: [joinedAt]}) { affectedRows returning { joinedAt } }
        skipped: insertUser(objects: [{userName: "bob"}],
            onConflict: {constraint: user_user_name_key, updateColumns: []}) { affectedRows }
        changed: updateTwoot(where: {id: {_eq: 1}}, _set: {content: "changed"}, _inc: {userId: 1}) { affectedRows returning { userId } }
        byPk: updateTwootByPk(pkColumns: {id: 2}, _set: {postedAt: null}) { postedAt }
        gone: deleteTwoot(where: {content: {_eq: "third"}}) { affectedRows returning { id } }
        goneByPk: deleteTwootByPk(id: 6) { id }
    }""",
    "hasura-default": """mutation {
        added: insert_twoot(objects: [{content: "new", user_id: 2}]) { affectedRows: affected_rows returning { content userId: user_id } }
        one: insert_user_one(object: {user_name: "dan", twoots: {data: [{content: "dan's"}]}}) { userName: user_name twoots { content } }
        upsert: insert_user(objects: [{user_name: "ann", joined_at: "2030-01-01T00:00:00"}],
            on_conflict: {constraint: user_user_name_key, update_columns: [joined_at]}) { affectedRows: affected_rows returning { joinedAt: joined_at } }
        skipped: insert_user(objects: [{user_name: "bob"}],
            on_conflict: {constraint: user_user_name_key, update_columns: []}) { affectedRows: affected_rows }
        changed: update_twoot(where: {id: {_eq: 1}}, _set: {content: "changed"}, _inc: {user_id: 1}) { affectedRows: affected_rows returning { userId: user_id } }
        byPk: update_twoot_by_pk(pk_columns: {id: 2}, _set: {posted_at: null}) { postedAt: posted_at }
        gone: delete_twoot(where: {content: {_eq: "third"}}) { affectedRows: affected_rows returning { id } }
        goneByPk: delete_twoot_by_pk(id: 6) { id }
    }""",
}
MUTATION_ANSWER = {
    "added": {"affectedRows": 1, "returning": [{"content": "new", "userId": 2}]},
    "one": {"userName": "dan", "twoots": [{"content": "dan's"}]},
    "upsert": {"affectedRows": 1, "returning": [{"joinedAt": "2030-01-01T00:00:00"}]},
    "skipped": {"affectedRows": 0},
    "changed": {"affectedRows": 1, "returning": [{"userId": 2}]},
    "byPk": {"postedAt": None},
    "gone": {"affectedRows": 1, "returning": [{"id": 3}]},
    "goneByPk": {"id": 6},
}
CONVENTIONS = ["graphql-default", "hasura-default"]


@pytest.mark.parametrize("naming", CONVENTIONS)
def test_queries_answer_the_same_in_both_conventions(seed, naming):
    assert seed.graphql(QUERIES[naming], QUERY_VARIABLES[naming]) == QUERY_ANSWER


@pytest.mark.parametrize("naming", CONVENTIONS)
def test_mutations_answer_the_same_in_both_conventions(seed, naming):
    assert seed.graphql(MUTATIONS[naming]) == MUTATION_ANSWER
    count = (
        "{ twootAggregate { aggregate { count } } }"
        if naming == "graphql-default"
        else "{ twootAggregate: twoot_aggregate { aggregate { count } } }"
    )
    assert seed.graphql(count) == {"twootAggregate": {"aggregate": {"count": 6}}}


@pytest.mark.parametrize(
    ("naming", "query"),
    [
        ("graphql-default", "{ twoot_by_pk(id: 1) { id } }"),
        ("graphql-default", "{ twoot(order_by: [{id: asc}]) { id } }"),
        ("graphql-default", "{ twoot(where: {postedAt: {_is_null: true}}) { id } }"),
        ("hasura-default", "{ twootByPk(id: 1) { id } }"),
        ("hasura-default", "{ twoot(orderBy: [{id: ASC}]) { id } }"),
        ("hasura-default", "{ twoot(where: {posted_at: {_isNull: true}}) { id } }"),
        ("hasura-default", "{ twoot(order_by: [{id: ASC}]) { id } }"),
    ],
    ids=[
        "gd-by-pk",
        "gd-order-by",
        "gd-is-null",
        "hd-by-pk",
        "hd-order-by",
        "hd-is-null",
        "hd-enum-case",
    ],
)
def test_names_of_the_other_convention_are_unknown(seed, fails_with, naming, query):
    fails_with(query, "validation-failed")


@pytest.mark.parametrize(
    ("naming", "type_names"),
    [
        (
            "graphql-default",
            [
                "Twoot",
                "TwootBoolExp",
                "TwootOrderBy",
                "OrderBy",
                "TwootAggregate",
                "TwootMutationResponse",
            ],
        ),
        (
            "hasura-default",
            [
                "twoot",
                "twoot_bool_exp",
                "twoot_order_by",
                "order_by",
                "twoot_aggregate",
                "twoot_mutation_response",
            ],
        ),
    ],
    ids=CONVENTIONS,
)
def test_type_names_follow_the_convention(client, naming, type_names):
    data = client.graphql("{ __schema { types { name } } }")
    names = {t["name"] for t in data["__schema"]["types"]}
    assert set(type_names) <= names
