"""Every generated name has its home here: GraphQL types, fields, roots and REST resources.

``graphql-default`` follows Hasura's naming convention of the same name (PascalCase types,
camelCase fields, UPPER_CASE built-in enum values); ``hasura-default`` keeps Hasura's
snake_case names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in spaced.split("_") if w]


def camel(name: str) -> str:
    """``user_name`` → ``userName`` (leading underscores are kept: ``_is_null`` → ``_isNull``)."""
    lead = name[: len(name) - len(name.lstrip("_"))]
    words = _words(name)
    if not words:
        return name
    return (
        lead
        + words[0][:1].lower()
        + words[0][1:]
        + "".join(w[:1].upper() + w[1:] for w in words[1:])
    )


def pascal(name: str) -> str:
    """``user_profile`` → ``UserProfile``."""
    return "".join(w[:1].upper() + w[1:] for w in _words(name))


def plural(word: str) -> str:
    """A plain English plural: ``twoot`` → ``twoots``, ``category`` → ``categories``."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class Naming:
    """One naming convention; ``camel_case`` selects graphql-default."""

    camel_case: bool

    @classmethod
    def named(cls, convention: str) -> Naming:
        return cls(camel_case=convention == "graphql-default")

    def field(self, attr: str) -> str:
        """A column, relationship or argument name: ``user_name`` → ``userName``."""
        return camel(attr) if self.camel_case else attr

    def operator(self, op: str) -> str:
        """A comparison operator: ``_is_null`` → ``_isNull``."""
        return camel(op) if self.camel_case else op

    def root(self, *parts: str) -> str:
        """A root field: ``root("insert", "twoot", "one")`` → ``insertTwootOne``."""
        joined = "_".join(p for p in parts if p)
        return camel(joined) if self.camel_case else joined

    def type(self, base: str, *suffix: str) -> str:
        """A type: ``type("twoot", "bool_exp")`` → ``TwootBoolExp`` / ``twoot_bool_exp``."""
        if self.camel_case:
            return pascal(base) + "".join(pascal(s) for s in suffix)
        return "_".join((base, *suffix))

    def scalar(self, hasura_name: str) -> str:
        """A scalar: Hasura's ``timestamp`` is ``Timestamp`` under graphql-default."""
        if hasura_name in ("Int", "Float", "String", "Boolean", "ID"):
            return hasura_name
        return pascal(hasura_name) if self.camel_case else hasura_name

    def enum_value(self, value: str) -> str:
        """A built-in enum value: ``asc_nulls_first`` → ``ASC_NULLS_FIRST``."""
        return value.upper() if self.camel_case else value

    @staticmethod
    def resource(table: str) -> str:
        """The REST resource of a table: ``twoot`` → ``twoots``."""
        return plural(table)
