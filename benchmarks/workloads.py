"""The benchmark workloads: exact GraphQL documents and REST requests, with their bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

Q1 = (
    "query Q1 { twoot(orderBy: [{postedAt: DESC}, {id: DESC}], limit: 100) "
    "{ id content postedAt user { id userName } } }"
)
Q2 = (
    "query Q2 { user(orderBy: [{id: ASC}], limit: 20) { id userName "
    "twoots(orderBy: [{postedAt: DESC}, {id: DESC}], limit: 10) { id content } } }"
)
Q3 = "query Q3($id: Int!) { twootByPk(id: $id) { id content user { userName } } }"
M1 = (
    "mutation M1($content: String!, $userId: Int!) "
    "{ insertTwootOne(object: {content: $content, userId: $userId}) { id } }"
)

Q3_ID = 12345
M1_USER_ID = 7


# REST: the same reads and write, as Django REST framework's conventions spell them.
R1_PATH = "/api/twoots/?limit=100&ordering=-posted_at,-id&expand=user"
R2_PATH = f"/api/twoots/{Q3_ID}"
R3_PATH = "/api/twoots/"


@dataclass(frozen=True)
class Workload:
    """One request as sent by the load generator: a GraphQL POST to ``/graphql``, or a
    REST request (``rest``) of ``method`` to ``path``."""

    name: str
    query: str = ""
    variables: dict[str, Any] | None = None
    mutation: bool = False
    rest: bool = False
    method: str = "POST"
    path: str = "/graphql"

    def body(self, variables: dict[str, Any] | None = None) -> bytes:
        """The JSON request body; ``variables`` overrides the workload's own. A REST
        write's body is its variables themselves; a REST read has none."""
        chosen = self.variables if variables is None else variables
        if self.rest:
            return orjson.dumps(chosen) if self.method == "POST" else b""
        doc: dict[str, Any] = {"query": self.query, "operationName": self.name}
        if chosen is not None:
            doc["variables"] = chosen
        return orjson.dumps(doc)

    def write_variables(self, n: int) -> dict[str, Any]:
        """The variables of the ``n``-th write (the content varies per request)."""
        if self.rest:
            return {"content": f"bench {n}", "user_id": M1_USER_ID}
        return m1_variables(n)


def m1_variables(n: int) -> dict[str, Any]:
    """M1's variables for the ``n``-th insert (the content varies per request)."""
    return {"content": f"bench {n}", "userId": M1_USER_ID}


# Writes run last so that their inserts cannot change a read's answer.
WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in (
        Workload("Q1", Q1),
        Workload("Q2", Q2),
        Workload("Q3", Q3, {"id": Q3_ID}),
        Workload("R1", rest=True, method="GET", path=R1_PATH),
        Workload("R2", rest=True, method="GET", path=R2_PATH),
        Workload("M1", M1, m1_variables(0), mutation=True),
        Workload(
            "R3",
            "",
            {"content": "bench 0", "user_id": M1_USER_ID},
            mutation=True,
            rest=True,
            path=R3_PATH,
        ),  # fmt: skip
    )
}
