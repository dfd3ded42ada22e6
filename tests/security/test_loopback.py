"""With no authentication configured, only this machine is served."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from examples.twooter.models import Twoot, User
from omega_gql import create_app

QUERY = {"query": "{ __typename }"}


def post_from(app, client_host: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(client_host, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://omega") as client:
            return await client.post("/graphql", json=QUERY)

    return asyncio.run(go())


@pytest.mark.parametrize("host", ["203.0.113.7", "2001:db8::1"], ids=["ipv4", "ipv6"])
def test_a_remote_client_is_refused_and_told_why(host: str) -> None:
    app = create_app(models=[User, Twoot], database_url="sqlite://")
    response = post_from(app, host)
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "permission-denied"
    assert "OMEGA_ALLOW_REMOTE" in error["message"]


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"], ids=["ipv4", "ipv6"])
def test_a_loopback_client_is_served(host: str) -> None:
    app = create_app(models=[User, Twoot], database_url="sqlite://")
    response = post_from(app, host)
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "query_root"}}


def test_allow_remote_serves_other_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMEGA_ALLOW_REMOTE", "true")
    app = create_app(models=[User, Twoot], database_url="sqlite://")
    assert post_from(app, "203.0.113.7").json() == {"data": {"__typename": "query_root"}}
