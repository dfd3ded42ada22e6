"""Fixtures for the GraphQL behaviour tests: row counts, and the ids a query returns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from omega_gql.testing import OmegaClient


@pytest.fixture
def row_counts(client: OmegaClient) -> Callable[[], dict[str, int]]:
    """Reads how many users and twoots exist (graphql-default names)."""

    def counts() -> dict[str, int]:
        data = client.graphql(
            "{ u: userAggregate { aggregate { count } } t: twootAggregate { aggregate { count } } }"
        )
        return {"user": data["u"]["aggregate"]["count"], "twoot": data["t"]["aggregate"]["count"]}

    return counts


@pytest.fixture
def twoot_ids(seed: OmegaClient) -> Callable[..., list[int]]:
    """The ids of the twoots a ``where`` selects, in id order; ``where`` is GraphQL text."""

    def ids(where: str, variables: dict[str, Any] | None = None, declare: str = "") -> list[int]:
        header = f"query{declare}" if declare else "query"
        data = seed.graphql(
            f"{header} {{ twoot(where: {where}, orderBy: [{{id: ASC}}]) {{ id }} }}", variables
        )
        return [row["id"] for row in data["twoot"]]

    return ids


@pytest.fixture
def fails_with(client: OmegaClient) -> Callable[..., dict[str, Any]]:
    """Runs a document that must fail; returns its one error after checking ``extensions.code``."""

    def run(query: str, code: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = client.graphql_response(query, variables)
        assert body.get("data") is None, body
        errors = body.get("errors") or []
        assert len(errors) == 1, body
        assert errors[0].get("extensions", {}).get("code") == code, errors[0]
        return errors[0]  # type: ignore[no-any-return]

    return run
