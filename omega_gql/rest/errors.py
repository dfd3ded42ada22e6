"""Errors as REST answers, once for the surface: Django REST framework's shapes.

A field's errors are ``{"field": ["message"]}`` (400); an error with no field is
``{"non_field_errors": [...]}``; the others are ``{"detail": "message"}`` with their status.
For a list of objects written at once, field errors come as a list with one object per item.
"""

from __future__ import annotations

from typing import Any

from ..errors import (
    BadRequest,
    ConstraintViolation,
    DatabaseBusy,
    LimitExceeded,
    NotFound,
    OmegaError,
    PermissionDenied,
    PreconditionFailed,
    ValidationFailed,
)


class HTTPProblem(Exception):
    """An answer other than an ``OmegaError``'s: wrong method, media type, malformed body."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def answer(error: OmegaError, items: int | None = None) -> tuple[int, Any, dict[str, str]]:
    """Status, JSON body and headers for ``error``; ``items`` is the length of a list body,
    whose errors' paths start with the item's index."""
    if isinstance(error, (ValidationFailed, ConstraintViolation, BadRequest)):
        return 400, _field_errors(error, items), {}
    if isinstance(error, NotFound):
        return 404, {"detail": error.message}, {}
    if isinstance(error, PreconditionFailed):
        return 412, {"detail": error.message}, {}
    if isinstance(error, PermissionDenied):
        return 403, {"detail": error.message}, {}
    if isinstance(error, DatabaseBusy):
        return 503, {"detail": error.message}, {"retry-after": "1"}
    if isinstance(error, LimitExceeded):
        status = 413 if error.extra.get("limit") == "max_body_size" else 400
        return status, {"detail": error.message}, {}
    return 500, {"detail": "unexpected error"}, {}


def _field_errors(error: OmegaError, items: int | None) -> Any:
    path = error.path
    if items is not None and path and path[0].isdigit():
        listed: list[dict[str, Any]] = [{} for _ in range(items)]
        listed[int(path[0])] = _keyed(error.message, path[1:])
        return listed
    if items is None and path and path[0] == "0" and len(path) > 1:
        path = path[1:]  # the service numbers rows; one object was written
    return _keyed(error.message, path)


def _keyed(message: str, path: tuple[str, ...]) -> dict[str, Any]:
    if not path:
        return {"non_field_errors": [message]}
    return {path[0]: [message]}


__all__ = ["HTTPProblem", "answer"]
