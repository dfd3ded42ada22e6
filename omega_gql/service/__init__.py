"""The write service: validation, one transaction per request, events after commit."""

from __future__ import annotations

from .delete import delete
from .insert import Nested, OnConflict, insert
from .plan import WritePlan
from .requests import Delete, Insert, Precondition, Update, WriteRequest, WriteResult
from .unit import Unit
from .update import matching, update
from .writes import WriteService, current_unit

__all__ = [
    "Delete",
    "Insert",
    "Nested",
    "OnConflict",
    "Precondition",
    "Unit",
    "Update",
    "WritePlan",
    "WriteRequest",
    "WriteResult",
    "WriteService",
    "current_unit",
    "delete",
    "insert",
    "matching",
    "update",
]
