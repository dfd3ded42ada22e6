"""``Caller``: who a request runs for, carried from every surface down to the plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """A role and its session variables (as Hasura's ``x-hasura-*``), part of every plan's key,
    so that what one caller may see is never served to another."""

    role: str = "anonymous"
    session: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, role: str, session: Mapping[str, str] | None = None) -> Caller:
        """A caller with these session variables (names compared case-insensitively)."""
        items = sorted((k.lower(), str(v)) for k, v in (session or {}).items())
        return cls(role, tuple(items))

    def variable(self, name: str) -> str | None:
        """A session variable's value, or None."""
        return dict(self.session).get(name.lower())


ANONYMOUS = Caller()

__all__ = ["ANONYMOUS", "Caller"]
