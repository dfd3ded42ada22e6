"""Errors raised by omega_gql.

Every failure a client can cause is an ``OmegaError``; its ``code`` is the
GraphQL ``extensions.code`` and each surface maps it once (``graphql/errors.py``)::

    OmegaError
    ├── BadRequest            bad-request          malformed request, unknown operation
    ├── ValidationFailed      validation-failed    input that does not fit the schema
    ├── ConstraintViolation   constraint-violation foreign key, unique or not-null refused
    ├── NotFound              not-found            no such row
    ├── PreconditionFailed    precondition-failed  the row is no longer as the writer last saw it
    ├── PermissionDenied      permission-denied    the role may not do this
    ├── DatabaseBusy          database-busy        the database stayed locked; retry later
    └── LimitExceeded         limit-exceeded       the request is larger or slower than a limit

``ConfigurationError`` is raised while building an app, never per request.
"""

from __future__ import annotations

from typing import Any, ClassVar


class OmegaError(Exception):
    """Base class of every error a request can cause."""

    code: ClassVar[str] = "unexpected"

    def __init__(self, message: str, *, path: tuple[str, ...] = (), **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.extra = extra


class BadRequest(OmegaError):
    """The request cannot be understood (malformed body, unknown operation)."""

    code = "bad-request"


class ValidationFailed(OmegaError):
    """Input does not fit the model; ``path`` names the offending field."""

    code = "validation-failed"


class ConstraintViolation(OmegaError):
    """The database refused a write (foreign key, unique or not-null constraint)."""

    code = "constraint-violation"


class NotFound(OmegaError):
    """No row matches."""

    code = "not-found"


class PreconditionFailed(OmegaError):
    """A conditional write found the row changed since the caller read it (REST's
    ``If-Match``); nothing was written."""

    code = "precondition-failed"


class PermissionDenied(OmegaError):
    """The caller's role may not perform this operation."""

    code = "permission-denied"


class DatabaseBusy(OmegaError):
    """The database stayed locked by another writer past the busy timeout; nothing was
    written, and the same request may be retried."""

    code = "database-busy"

    def __init__(self, message: str = "the database is busy; nothing was written, retry later"):
        super().__init__(message, retryable=True)


class LimitExceeded(OmegaError):
    """The request goes past one of the server's limits (``Settings``); nothing was written.

    ``extensions`` name the limit, its value and the setting that raises it.
    """

    code = "limit-exceeded"

    def __init__(self, what: str, limit: str, value: int, *, path: tuple[str, ...] = ()):
        setting = f"OMEGA_{limit.upper()}"
        super().__init__(
            f"{what}: the limit is {value:,} ({limit}; raise it with {setting})",
            path=path,
            limit=limit,
            value=value,
        )


class ConfigurationError(Exception):
    """The app cannot be built as configured; the message says how to fix it."""


__all__ = [
    "BadRequest",
    "ConfigurationError",
    "ConstraintViolation",
    "DatabaseBusy",
    "LimitExceeded",
    "NotFound",
    "OmegaError",
    "PermissionDenied",
    "PreconditionFailed",
    "ValidationFailed",
]
