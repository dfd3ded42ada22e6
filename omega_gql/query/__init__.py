"""The query engine: neutral filters, ordering and selections compiled to SQL."""

from __future__ import annotations

from .boolexp import And, BoolExp, Compare, Not, Or, Param, Related
from .compile import Compiler
from .execute import Prepared
from .ordering import OrderTerm
from .selection import ListArgs, Selection

__all__ = [
    "And",
    "BoolExp",
    "Compare",
    "Compiler",
    "ListArgs",
    "Not",
    "Or",
    "OrderTerm",
    "Param",
    "Prepared",
    "Related",
    "Selection",
]
