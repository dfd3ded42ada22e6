"""Pattern matching that SQLite lacks: POSIX-style regular expressions and ``SIMILAR TO``,
as PostgreSQL (and Hasura's ``_regex``/``_similar``) define them.

Matched by RE2, in time linear in the text: a backtracking engine would let one pattern
(``(a+)+$``) hold the server for minutes. A pattern RE2 cannot take (backreferences,
lookaround) is refused."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2  # type: ignore[import-untyped]

from ..errors import ValidationFailed


@lru_cache(maxsize=256)
def _compiled(kind: str, pattern: str) -> Any:
    options = re2.Options()
    options.log_errors = False
    if kind == "iregex":
        options.case_sensitive = False
    if kind == "similar":
        options.dot_nl = True
        return re2.compile(_similar_to_regex(pattern), options)
    return re2.compile(pattern, options)


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
            out.append(re2.escape(next(chars, "\\")))
        elif char == ".":
            out.append("\\.")
        else:
            out.append(char)
    return "".join(out) + r"\z"


def check_pattern(kind: str, pattern: Any, path: tuple[str, ...]) -> None:
    """Refuse a pattern that cannot be compiled, naming the field."""
    try:
        _compiled(kind, str(pattern))
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValidationFailed(f"invalid pattern {pattern!r}: {reason}", path=path) from None


def omega_match(kind: str, pattern: Any, value: Any) -> int | None:
    """SQL function: 1 when ``value`` matches, 0 when not, NULL for NULL input."""
    if pattern is None or value is None:
        return None
    compiled = _compiled(kind, str(pattern))
    if kind == "similar":
        return 1 if compiled.match(str(value)) else 0
    return 1 if compiled.search(str(value)) else 0
