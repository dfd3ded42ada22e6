"""Test helpers for apps built with omega_gql (a pytest plugin, loaded automatically).

Define an ``omega_app`` fixture returning your app; the ``omega_client`` fixture then
serves it on a fresh SQLite database under ``tmp_path``::

    @pytest.fixture
    def omega_app():
        from myproject.app import app
        return app

    def test_lists_twoots(omega_client):
        assert omega_client.graphql("{ twoot { id } }") == {"twoot": []}

``assert_schema_snapshot(app, path)`` compares the app's SDL with a committed file; run
with ``OMEGA_UPDATE_SNAPSHOTS=1`` to write the file on purpose.
"""

from __future__ import annotations

import difflib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # Starlette announces a move to the httpx2 package; httpx still works the same.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from .app import OmegaApp


class OmegaClient(TestClient):
    """Starlette's test client with a ``graphql`` helper."""

    def graphql_response(
        self, query: str, variables: dict[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        """The whole JSON response (``data`` and ``errors``) of one operation."""
        response = self.post("/graphql", json={"query": query, "variables": variables, **extra})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def graphql(self, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> Any:
        """``data`` of one operation; fails the test if it returned errors."""
        body = self.graphql_response(query, variables, **extra)
        assert not body.get("errors"), body["errors"]
        return body["data"]


def serve(app: OmegaApp, database_url: str | None = None) -> OmegaClient:
    """A client for ``app`` (running its start-up) on ``database_url`` if given."""
    if database_url is not None:
        app.use_database(database_url)
    return OmegaClient(app)


def assert_schema_snapshot(app: OmegaApp, path: str | os.PathLike[str]) -> None:
    """Fail with a diff if ``app``'s SDL differs from the file at ``path``."""
    snapshot = Path(path)
    actual = app.sdl().rstrip() + "\n"
    if os.environ.get("OMEGA_UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(actual)
        return
    if not snapshot.exists():
        pytest.fail(
            f"no schema snapshot at {snapshot}; run with OMEGA_UPDATE_SNAPSHOTS=1 to write it"
        )
    expected = snapshot.read_text()
    if expected != actual:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), str(snapshot), "schema"
            )
        )
        pytest.fail(
            f"the schema differs from its snapshot (OMEGA_UPDATE_SNAPSHOTS=1 updates it):\n{diff}"
        )


@pytest.fixture
def omega_client(omega_app: OmegaApp, tmp_path: Path) -> Iterator[OmegaClient]:
    """A started client for the ``omega_app`` fixture, on a SQLite file under ``tmp_path``."""
    with serve(omega_app, f"sqlite:///{tmp_path / 'omega.db'}") as client:
        yield client


__all__ = ["OmegaClient", "assert_schema_snapshot", "omega_client", "serve"]
