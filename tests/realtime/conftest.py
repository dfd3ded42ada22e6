"""The Twooter example under ``omega run`` for the protocol tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.test_server import OMEGA_RUN, serving


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Twooter example under ``omega run``, with a short init timeout and at most three
    operations per socket; yields its base URL."""
    tmp_path = tmp_path_factory.mktemp("ws")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMEGA_WS_INIT_TIMEOUT", "500")
        patch.setenv("OMEGA_MAX_SUBSCRIPTIONS", "3")
        with serving(OMEGA_RUN, tmp_path) as base:
            yield base
