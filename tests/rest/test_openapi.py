"""The OpenAPI 3.1 document: it validates, describes every resource, and the API answers as
it says (schemathesis, bounded and derandomized, against a real server)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openapi_spec_validator import validate

from omega_gql import create_app
from omega_gql.testing import OmegaClient, serve
from tests.kinds import Gadget, Membership


@pytest.fixture
def document(api: OmegaClient) -> dict[str, Any]:
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_every_resource_has_its_routes_and_schemas(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assert set(paths["/api/twoots/"]) == {"get", "post"}
    assert set(paths["/api/twoots/{key}"]) == {"parameters", "get", "put", "patch", "delete"}
    listed = {p["name"] for p in paths["/api/twoots/"]["get"]["parameters"]}
    assert {"limit", "offset", "ordering", "search", "where", "expand"} <= listed
    assert {"user_id", "user_id__gt", "content__ilike", "posted_at__isnull"} <= listed
    assert "id__ilike" not in listed  # text lookups only on text columns
    twoot = document["components"]["schemas"]["TwootInput"]
    assert twoot["required"] == ["content", "user_id"]
    assert twoot["properties"]["posted_at"]["type"] == ["string", "null"]


@pytest.fixture
def kinds(db_url: str) -> Iterator[OmegaClient]:
    with serve(create_app(models=[Gadget, Membership], database_url=db_url)) as client:
        yield client


def test_every_column_kind_and_composite_keys_validate(kinds: OmegaClient) -> None:
    document = kinds.get("/api/openapi.json").json()
    validate(document)
    gadget = document["components"]["schemas"]["Gadget"]["properties"]
    assert gadget["serial"]["type"] == ["integer", "null"]
    assert gadget["active"]["type"] == ["boolean", "null"]
    key = document["paths"]["/api/memberships/{key}"]["parameters"][0]
    assert "team, member, comma-separated" in key["description"]
