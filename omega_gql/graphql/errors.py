"""Errors → GraphQL error objects with ``extensions.code``; the one mapping for this surface."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError

from ..errors import OmegaError
from ..query.execute import refused_value

log = logging.getLogger("omega_gql")


def error_dict(
    error: BaseException,
    path: list[str | int] | None = None,
    rename: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The spec's error object for any exception, with Hasura's ``extensions.code``.

    ``rename`` spells the engine's attribute names as this schema's field names.
    """
    if isinstance(error, GraphQLError):
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            return error_dict(original, list(error.path) if error.path else path, rename)
        formatted: dict[str, Any] = dict(error.formatted)
        formatted.setdefault("extensions", {})["code"] = "validation-failed"
        return formatted
    if not isinstance(error, OmegaError):
        # A driver's refusal of a value raised from app code, as generated fields report it.
        error = refused_value(error) or error  # type: ignore[arg-type]
    if isinstance(error, OmegaError):
        message, segments = error.message, list(error.path)
        if rename is not None:
            segments = [rename(s) if not s.isdigit() else s for s in error.path]
            for old, new in zip(error.path, segments, strict=True):
                message = message.replace(f"'{old}'", f"'{new}'")
        extensions: dict[str, Any] = {"code": error.code, **error.extra}
        if segments:
            extensions["path"] = "$." + ".".join(segments)
        out: dict[str, Any] = {"message": message, "extensions": extensions}
    else:
        log.exception("unexpected error while executing a GraphQL request", exc_info=error)
        out = {"message": "unexpected error", "extensions": {"code": "unexpected"}}
    if path:
        out["path"] = path
    return out
