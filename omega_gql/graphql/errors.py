"""Errors → GraphQL error objects with ``extensions.code``; the one mapping for this surface."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError

from ..errors import OmegaError

log = logging.getLogger("omega_gql")


def error_dict(error: BaseException, path: list[str | int] | None = None) -> dict[str, Any]:
    """The spec's error object for any exception, with Hasura's ``extensions.code``."""
    if isinstance(error, GraphQLError):
        original = error.original_error
        if original is not None and not isinstance(original, GraphQLError):
            return error_dict(original, list(error.path) if error.path else path)
        out = error.formatted
        out.setdefault("extensions", {})["code"] = "validation-failed"
        return dict(out)
    if isinstance(error, OmegaError):
        out = {"message": error.message, "extensions": {"code": error.code, **error.extra}}
        if error.path:
            out["extensions"]["path"] = "$." + ".".join(error.path)
    else:
        log.exception("unexpected error while executing a GraphQL request", exc_info=error)
        out = {"message": "unexpected error", "extensions": {"code": "unexpected"}}
    if path:
        out["path"] = path
    return out
