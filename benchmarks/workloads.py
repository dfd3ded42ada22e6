"""The four benchmark workloads: exact GraphQL documents, variables and request bodies."""

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


@dataclass(frozen=True)
class Workload:
    """One GraphQL request as sent by the load generator."""

    name: str
    query: str
    variables: dict[str, Any] | None = None
    mutation: bool = False

    def body(self, variables: dict[str, Any] | None = None) -> bytes:
        """The JSON request body; ``variables`` overrides the workload's own."""
        doc: dict[str, Any] = {"query": self.query, "operationName": self.name}
        chosen = self.variables if variables is None else variables
        if chosen is not None:
            doc["variables"] = chosen
        return orjson.dumps(doc)


def m1_variables(n: int) -> dict[str, Any]:
    """M1's variables for the ``n``-th insert (the content varies per request)."""
    return {"content": f"bench {n}", "userId": M1_USER_ID}


# Mutations run last so that their inserts cannot change a read's answer.
WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in (
        Workload("Q1", Q1),
        Workload("Q2", Q2),
        Workload("Q3", Q3, {"id": Q3_ID}),
        Workload("M1", M1, m1_variables(0), mutation=True),
    )
}
