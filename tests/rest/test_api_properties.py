"""The REST API tested from its own OpenAPI document (schemathesis, bounded and
derandomized) against a real server on each database: no 5xx, and every answer has a
documented status, content type, headers and body."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_app
from tests.realtime.test_sharing import serve_in_thread

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('properties') / 'api.db'}"
    else:
        url = request.getfixturevalue("pg_database")
    app = make_app(url)
    with serve_in_thread(app) as address:
        base = f"http://{address}"
        # Rows to read, change and refer to: ann and bob, and a twoot of each.
        import httpx

        httpx.post(
            f"{base}/api/users/", json=[{"user_name": "ann"}, {"user_name": "bob"}], timeout=10
        )
        httpx.post(
            f"{base}/api/twoots/",
            json=[{"content": "hello", "user_id": 1}, {"content": "hi", "user_id": 2}],
            timeout=10,
        )
        yield base


@pytest.fixture(scope="module")
def api_schema(served: str) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{served}/api/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented_and_none_is_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS, timeout=20)
