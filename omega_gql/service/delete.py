"""Deletes by bool-exp or primary key."""

from __future__ import annotations

import sqlalchemy as sa

from ..registry import ModelInfo
from .unit import PK, Unit
from .update import pk_condition


def delete(unit: Unit, info: ModelInfo, pks: list[PK]) -> list[PK]:
    """Delete the rows with these primary keys (found with ``update.matching``)."""
    if pks:
        table: sa.Table = info.cls.__table__  # type: ignore[attr-defined]
        unit.execute(sa.delete(table).where(pk_condition(unit, info, table, pks)), info=info)
        unit.record(info, "delete", pks)
    return pks
