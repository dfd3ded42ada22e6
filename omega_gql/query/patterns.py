"""Pattern matching that SQLite lacks: POSIX-style regular expressions and ``SIMILAR TO``,
as PostgreSQL (and Hasura's ``_regex``/``_similar``) define them, through Python's ``re``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..errors import ValidationFailed


@lru_cache(maxsize=256)
def _compiled(kind: str, pattern: str) -> re.Pattern[str]:
    if kind == "similar":
        return re.compile(_similar_to_regex(pattern), re.DOTALL)
    return re.compile(pattern, re.IGNORECASE if kind == "iregex" else 0)


def _similar_to_regex(pattern: str) -> str:
    """``SIMILAR TO`` → an anchored Python regex: ``%`` and ``_`` are wildcards, ``\\`` escapes,
    and the regex operators (``| * + ? {} () []``) keep their meaning."""
    out = []
    chars = iter(pattern)
    for char in chars:
        if char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        elif char == "\\":
            out.append(re.escape(next(chars, "\\")))
        elif char == ".":
            out.append("\\.")
        else:
            out.append(char)
    return "".join(out) + r"\Z"


def check_pattern(kind: str, pattern: Any, path: tuple[str, ...]) -> None:
    """Refuse a pattern that cannot be compiled, naming the field."""
    try:
        _compiled(kind, str(pattern))
    except re.error as error:
        raise ValidationFailed(f"invalid pattern {pattern!r}: {error}", path=path) from None


def omega_match(kind: str, pattern: Any, value: Any) -> int | None:
    """SQL function: 1 when ``value`` matches, 0 when not, NULL for NULL input."""
    if pattern is None or value is None:
        return None
    compiled = _compiled(kind, str(pattern))
    if kind == "similar":
        return 1 if compiled.match(str(value)) else 0
    return 1 if compiled.search(str(value)) else 0
