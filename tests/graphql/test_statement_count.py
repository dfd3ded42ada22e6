"""Nested selections cost one SQL statement per root field, whatever the number of rows
(no N+1): counted at the driver on SQLite and on PostgreSQL."""

from __future__ import annotations

NESTED = """{
    user(orderBy: [{id: ASC}]) {
        userName
        twoots(orderBy: [{id: DESC}], limit: 2) { id user { userName } }
        twootsAggregate { aggregate { count max { id } } }
    }
}"""
TWO_ROOTS = """{
    user(orderBy: [{id: ASC}]) { id twoots(limit: 1, orderBy: [{id: ASC}]) { user { id } } }
    twootAggregate { aggregate { count } nodes { id user { twootsAggregate { aggregate { count } } } } }
}"""


def add_users(client, first: int, count: int, twoots_each: int = 3) -> None:
    objects = [
        {
            "userName": f"user{n:03d}",
            "twoots": {"data": [{"content": f"{n}-{k}"} for k in range(twoots_each)]},
        }
        for n in range(first, first + count)
    ]
    data = client.graphql(
        """mutation($objects: [UserInsertInput!]!) {
            insertUser(objects: $objects) { returning { id twootsAggregate { aggregate { count } } } }
        }""",
        {"objects": objects},
    )
    returned = data["insertUser"]["returning"]
    assert len(returned) == count
    assert all(u["twootsAggregate"]["aggregate"]["count"] == twoots_each for u in returned)


def measure(client, counter, query: str) -> tuple[int, dict]:
    counter.statements.clear()
    data = client.graphql(query)
    return counter.count, data


def test_nested_query_costs_one_statement_for_10_users_and_for_100(client, count_statements):
    add_users(client, 0, 10)
    small, data = measure(client, count_statements, NESTED)
    assert len(data["user"]) == 10
    add_users(client, 10, 90)
    large, data = measure(client, count_statements, NESTED)
    assert len(data["user"]) == 100
    # the answer is right as well as cheap: each user gets its own two newest twoots
    last = data["user"][-1]
    assert last["userName"] == "user099"
    assert [t["user"]["userName"] for t in last["twoots"]] == ["user099", "user099"]
    assert last["twootsAggregate"]["aggregate"] == {"count": 3, "max": {"id": 300}}
    assert [t["id"] for t in last["twoots"]] == [300, 299]
    assert small == large == 1, count_statements.statements


def test_each_root_field_costs_one_statement(client, count_statements):
    add_users(client, 0, 10)
    small, _ = measure(client, count_statements, TWO_ROOTS)
    add_users(client, 10, 90)
    large, data = measure(client, count_statements, TWO_ROOTS)
    assert len(data["user"]) == 100
    assert data["twootAggregate"]["aggregate"]["count"] == 300
    assert small == large == 2, count_statements.statements


def test_repeated_query_with_new_variable_values_still_costs_one_statement(
    client, count_statements
):
    add_users(client, 0, 20)
    query = """query($name: String!, $n: Int!) {
        user(where: {userName: {_gt: $name}}, orderBy: [{id: ASC}]) { userName twoots(limit: $n, orderBy: [{id: ASC}]) { id } }
    }"""
    counts = []
    for name, n in (("user009", 1), ("user014", 3)):
        count_statements.statements.clear()
        data = client.graphql(query, {"name": name, "n": n})
        counts.append(count_statements.count)
        assert len(data["user"]) == 19 - int(name[4:])
        assert all(len(u["twoots"]) == n for u in data["user"])
    assert counts == [1, 1], count_statements.statements
