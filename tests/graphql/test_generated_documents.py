"""Documents generated from the schema (hypothesis-graphql), queries and mutations with
any arguments the schema admits: every one is answered, with data or with an error a
client can act on, never a server error or ``unexpected``."""

from __future__ import annotations

import datetime

from graphql import print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from omega_gql.testing import OmegaClient

CODES = {
    "validation-failed",
    "parse-failed",
    "constraint-violation",
    "not-found",
    "bad-request",
    "limit-exceeded",
}

TIMESTAMPS = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2200, 1, 1)
).map(lambda moment: nodes.String(moment.isoformat()))


def test_generated_documents_are_answered_without_server_errors(seed: OmegaClient) -> None:
    schema = print_schema(seed.app.schema)  # type: ignore[attr-defined]

    @settings(
        max_examples=75,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(schema, custom_scalars={"Timestamp": TIMESTAMPS}))
    def answered(document: str) -> None:
        response = seed.post("/graphql", json={"query": document})
        assert response.status_code == 200, (document, response.text)
        body = response.json()
        for error in body.get("errors") or ():
            assert error["extensions"]["code"] in CODES, (document, error)

    answered()
