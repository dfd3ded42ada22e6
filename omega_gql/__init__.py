"""omega_gql: write SQLAlchemy models, get a Hasura-compatible GraphQL API."""

from __future__ import annotations

from .app import OmegaApp, create_app
from .config import Settings
from .errors import (
    BadRequest,
    ConfigurationError,
    ConstraintViolation,
    DatabaseBusy,
    LimitExceeded,
    NotFound,
    OmegaError,
    PermissionDenied,
    PreconditionFailed,
    ValidationFailed,
)
from .events import ChangeEvent
from .graphql import Context
from .orm import func, select
from .realtime import Broadcast

__version__ = "0.1.0"

__all__ = [
    "BadRequest",
    "Broadcast",
    "ChangeEvent",
    "ConfigurationError",
    "ConstraintViolation",
    "Context",
    "DatabaseBusy",
    "LimitExceeded",
    "NotFound",
    "OmegaApp",
    "OmegaError",
    "PermissionDenied",
    "PreconditionFailed",
    "Settings",
    "ValidationFailed",
    "create_app",
    "func",
    "select",
]
