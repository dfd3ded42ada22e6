"""The write service: validation, one transaction per request, events after commit."""

from __future__ import annotations

from .delete import delete
from .insert import Nested, OnConflict, insert
from .unit import Unit, WriteService
from .update import matching, update

__all__ = ["Nested", "OnConflict", "Unit", "WriteService", "delete", "insert", "matching", "update"]
