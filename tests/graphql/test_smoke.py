from __future__ import annotations


def test_seeded_rows_are_listed_with_their_user(seed):
    data = seed.graphql("{ twoot(orderBy: [{id: ASC}], limit: 2) { id content user { userName } } }")
    assert data == {
        "twoot": [
            {"id": 1, "content": "hello world", "user": {"userName": "ann"}},
            {"id": 2, "content": "Second post", "user": {"userName": "ann"}},
        ]
    }
