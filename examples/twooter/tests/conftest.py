from __future__ import annotations

import pytest

from examples.twooter.app import app
from omega_gql import OmegaApp


@pytest.fixture
def omega_app() -> OmegaApp:
    return app
