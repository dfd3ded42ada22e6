"""Neutral write requests: what every surface (and app code) asks the write service to do.

Names are model attribute names. Leaf values may be ``Param``s, filled in per execution,
so that one prepared request serves every request of a GraphQL document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..query.boolexp import BoolExp
from ..query.caller import ANONYMOUS, Caller
from ..query.request import ReadRequest
from ..query.selection import Selection
from .insert import OnConflict

PK = tuple[Any, ...]


@dataclass(frozen=True)
class Insert:
    """Insert ``rows`` (related rows nest under relationship names as ``Nested``)."""

    table: str
    rows: tuple[Mapping[str, Any], ...]
    on_conflict: OnConflict | None = None
    returning: Selection = field(default_factory=Selection)
    caller: Caller = ANONYMOUS


@dataclass(frozen=True)
class Update:
    """Set and increment columns of the rows ``where`` selects (every row when None)."""

    table: str
    where: BoolExp | None
    set: Mapping[str, Any] = field(default_factory=dict)
    inc: Mapping[str, Any] = field(default_factory=dict)
    returning: Selection = field(default_factory=Selection)
    caller: Caller = ANONYMOUS


@dataclass(frozen=True)
class Delete:
    """Delete the rows ``where`` selects; ``returning`` reads them before they go."""

    table: str
    where: BoolExp | None
    returning: Selection = field(default_factory=Selection)
    caller: Caller = ANONYMOUS


WriteRequest = Insert | Update | Delete


@dataclass(frozen=True)
class Precondition:
    """Write only if the row with primary key ``key`` (attribute → value), locked for the
    rest of the transaction, reads as ``accept`` wants: ``read`` runs in the write's own
    transaction and ``accept`` gets its JSON text (``null`` when there is no such row).
    Otherwise ``PreconditionFailed``, and nothing is written."""

    key: Mapping[str, Any]
    read: ReadRequest
    accept: Callable[[str], bool]


@dataclass(frozen=True)
class WriteResult:
    """What a write did: the keys of the rows written (in key order for updates and
    deletes), how many rows it wrote (nested inserts included, as Hasura counts them), and
    the ``returning`` selection of those rows as JSON texts."""

    pks: list[PK]
    affected: int
    returning: list[str]


__all__ = ["Delete", "Insert", "Precondition", "Update", "WriteRequest", "WriteResult"]
