"""The query engine: neutral read requests compiled once into SQL that builds the JSON."""

from __future__ import annotations

from .boolexp import And, BoolExp, Compare, Not, Or, Param, Related
from .caller import ANONYMOUS, Caller
from .compile import Compiler
from .engine import QueryEngine, ReadPlan
from .execute import Prepared
from .keys import key_equals, keys_in
from .ordering import OrderTerm
from .request import ReadRequest
from .selection import (
    AggregateField,
    AggregateSelection,
    ArrayField,
    ColumnAggregate,
    ColumnField,
    ConstField,
    Count,
    ListArgs,
    ObjectField,
    Selection,
)

__all__ = [
    "ANONYMOUS",
    "AggregateField",
    "AggregateSelection",
    "And",
    "ArrayField",
    "BoolExp",
    "Caller",
    "ColumnAggregate",
    "ColumnField",
    "Compare",
    "Compiler",
    "ConstField",
    "Count",
    "ListArgs",
    "Not",
    "ObjectField",
    "Or",
    "OrderTerm",
    "Param",
    "Prepared",
    "QueryEngine",
    "ReadPlan",
    "ReadRequest",
    "Related",
    "Selection",
    "key_equals",
    "keys_in",
]
