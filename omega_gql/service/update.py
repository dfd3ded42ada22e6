"""Updates by bool-exp or primary key, with ``_set`` and ``_inc``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..errors import ValidationFailed
from ..query.boolexp import BoolExp
from ..query.keys import keys_in
from ..registry import ModelInfo
from .unit import PK, Unit
from .validate import check_row


def matching(unit: Unit, info: ModelInfo, where: BoolExp | None) -> list[PK]:
    """Primary keys of the rows ``where`` selects, in key order."""
    stmt = unit.compiler().pks(info, where)
    stmt = stmt.order_by(*stmt.selected_columns)
    return [tuple(row) for row in unit.execute(stmt)]


def pk_condition(unit: Unit, info: ModelInfo, table: sa.Table, pks: list[PK]) -> Any:
    """SQL for "the row has one of these keys", on the table itself."""
    return unit.compiler().where(info, table, keys_in(info, pks))


def update(
    unit: Unit,
    info: ModelInfo,
    where: BoolExp | None,
    set_: Mapping[str, Any] | None,
    inc: Mapping[str, Any] | None,
    path: tuple[str, ...] = (),
) -> list[PK]:
    """Apply ``_set`` and ``_inc`` to the rows ``where`` selects; their primary keys."""
    values = check_row(info, set_ or {}, (*path, "_set"), require=False)
    increments = check_row(info, inc or {}, (*path, "_inc"), require=False)
    for name in increments:
        if not info.column(name).is_numeric:
            raise ValidationFailed(f"{name!r} is not numeric", path=(*path, "_inc", name))
        if name in values:
            raise ValidationFailed(
                f"{name!r} is both set and incremented", path=(*path, "_inc", name)
            )
    if not (values or increments):
        return []  # nothing to change: no row is updated, as Hasura answers
    pks = matching(unit, info, where)
    if not pks:
        return pks
    table: sa.Table = info.cls.__table__  # type: ignore[attr-defined]
    assignments: dict[str, Any] = {info.column(k).column_name: v for k, v in values.items()}
    for name, amount in increments.items():
        column = table.c[info.column(name).column_name]
        assignments[column.name] = column + amount
    unit.execute(
        sa.update(table).where(pk_condition(unit, info, table, pks)).values(assignments), info=info
    )
    if any(name in values or name in increments for name in info.primary_key):
        pks = [_moved(info, pk, values, increments) for pk in pks]
    unit.record(info, "update", pks)
    return pks


def _moved(info: ModelInfo, pk: PK, values: Mapping[str, Any], increments: Mapping[str, Any]) -> PK:
    """A row's primary key after an update that sets or increments part of it."""
    return tuple(
        values[name]
        if name in values
        else old + increments.get(name, 0)
        if name in increments
        else old
        for name, old in zip(info.primary_key, pk, strict=True)
    )
