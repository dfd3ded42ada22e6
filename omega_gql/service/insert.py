"""Inserts: many rows or one, nested object and array relationships, and ``onConflict``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..errors import ConstraintViolation, ValidationFailed
from ..query.boolexp import BoolExp
from ..registry import ModelInfo
from .unit import PK, Unit
from .validate import check_columns, check_row


@dataclass(frozen=True)
class OnConflict:
    """On a clash over ``constraint``: update ``update_columns`` (where ``where`` holds) or skip."""

    constraint: str
    update_columns: tuple[str, ...] = ()
    where: BoolExp | None = None


@dataclass(frozen=True)
class Nested:
    """Related rows inserted with their parent, under a relationship name in an input row.

    A plain dict (object relationship) or list of dicts (array relationship) is read as
    ``Nested`` without ``on_conflict``.
    """

    rows: tuple[Mapping[str, Any], ...]
    on_conflict: OnConflict | None = None


def insert(
    unit: Unit,
    info: ModelInfo,
    rows: list[Mapping[str, Any]],
    on_conflict: OnConflict | None = None,
    path: tuple[str, ...] = (),
) -> list[PK]:
    """Insert ``rows`` (with nested relationships); the primary keys of the rows written."""
    pks: list[PK] = []
    for index, row in enumerate(rows):
        record = _insert_one(unit, info, row, on_conflict, (*path, str(index)))
        if record is not None and record[1]:
            pks.append(record[0])
    return pks


def _insert_one(
    unit: Unit,
    info: ModelInfo,
    row: Mapping[str, Any],
    on_conflict: OnConflict | None,
    path: tuple[str, ...],
    parent_values: Mapping[str, Any] | None = None,
) -> tuple[PK, bool, Mapping[str, Any]] | None:
    """Insert one row; ``(pk, written, column values)``, or None when skipped on conflict.

    ``parent_values`` are the foreign-key columns an enclosing array insert sets.
    """
    values = dict(parent_values or {})
    related = [name for name in row if info.has_relation(name)]
    if related:
        row = {k: _as_nested(info, k, v) for k, v in row.items()}
    for name in related:
        nested = row[name]
        relation = info.relation(name)
        if not relation.is_array and (not isinstance(nested, Nested) or len(nested.rows) != 1):
            raise ValidationFailed(f"{name!r} takes one object", path=(*path, name))
        if relation.owns_foreign_key:
            # The related row first: this row's foreign key is filled from it.
            target = unit.registry.target(info, name)
            for local, _ in info.relation(name).pairs:
                if local in row:
                    raise ValidationFailed(
                        f"{local!r} is set by the nested {name!r}; give one or the other",
                        path=(*path, local),
                    )
            parent = _insert_one(
                unit, target, nested.rows[0], nested.on_conflict, (*path, name, "data")
            )
            if parent is None:
                raise ValidationFailed(
                    f"the related {target.name} was not inserted", path=(*path, name)
                )
            for local, remote in info.relation(name).pairs:
                values[local] = parent[2][remote]
    # Columns set by a related insert (either way) need not be given.
    checked = check_row(info, row, path, filled=values)
    values.update(checked)

    table: sa.Table = info.cls.__table__  # type: ignore[attr-defined]
    found: Any
    try:
        if on_conflict is None:
            found = _plain_insert(unit, info, table, values)
        else:
            stmt = _insert_statement(unit, info, table, on_conflict, path).values(
                {info.column(k).column_name: v for k, v in values.items()}
            )
            found = unit.execute(stmt.returning(*table.c), info=info).mappings().first()
    except ConstraintViolation as error:
        if error.path:  # the refused field, under this row's path
            error.path = (*path, *error.path)
        raise
    written = found is not None
    if found is None:
        if on_conflict is None:
            return None
        found = _existing(unit, info, table, on_conflict, values)
        if found is None:
            return None
    stored = {c.name: found[c.column_name] for c in info.columns}
    pk = tuple(stored[name] for name in info.primary_key)
    if written:
        unit.written[(info.table, pk)] = stored
        unit.record(info, "insert", [pk])

    for name in related:
        # Rows referring to this one (an array, or a one-to-one's other side) come after it.
        if not info.relation(name).owns_foreign_key:
            _insert_children(unit, info, name, row[name], stored, (*path, name))
    return pk, written, stored


def _insert_children(
    unit: Unit,
    info: ModelInfo,
    name: str,
    nested: Any,
    parent: Mapping[str, Any],
    path: tuple[str, ...],
) -> None:
    """Insert the rows of the array relationship ``name`` under the stored ``parent``."""
    if not isinstance(nested, Nested):
        raise ValidationFailed(f"{name!r} takes a list of objects", path=path)
    target = unit.registry.target(info, name)
    fk = {remote: parent[local] for local, remote in info.relation(name).pairs}
    for index, child in enumerate(nested.rows):
        for remote in fk:
            if remote in child:
                raise ValidationFailed(
                    f"{remote!r} is set by the parent {info.name}; leave it out",
                    path=(*path, "data", str(index), remote),
                )
        _insert_one(unit, target, child, nested.on_conflict, (*path, "data", str(index)), fk)


def _as_nested(info: ModelInfo, name: str, value: Any) -> Any:
    """Plain dicts and lists under a relationship name, as Python callers write them."""
    if not info.has_relation(name) or isinstance(value, Nested):
        return value
    if isinstance(value, Mapping):
        return Nested((value,))
    if isinstance(value, (list, tuple)) and all(isinstance(v, Mapping) for v in value):
        return Nested(tuple(value))
    return value


def _plain_insert(
    unit: Unit, info: ModelInfo, table: sa.Table, values: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """The common insert, compiled once per set of columns given."""
    names = tuple(sorted(values))

    def build() -> sa.Executable:
        binds = {
            info.column(n).column_name: sa.bindparam(
                f"v_{n}", type_=table.c[info.column(n).column_name].type
            )
            for n in names
        }
        return sa.insert(table).values(binds).returning(*table.c)

    rows = unit.run_prepared(("insert", info.table, names), build, dict(values), info)
    if not rows:
        return None
    # Raw driver values: they only serve to link keys, which need no type processing.
    return {c.name: v for c, v in zip(table.c, rows[0], strict=True)}


def _insert_statement(
    unit: Unit,
    info: ModelInfo,
    table: sa.Table,
    on_conflict: OnConflict | None,
    path: tuple[str, ...],
) -> Any:
    dialect = unit.connection.dialect.name
    if on_conflict is None:
        return sa.insert(table)
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        dialect_insert: Any = pg_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        dialect_insert = sqlite_insert
    unique = next((u for u in info.uniques if u.name == on_conflict.constraint), None)
    if unique is None:
        raise ValidationFailed(
            f"{info.name} has no constraint {on_conflict.constraint!r}", path=(*path, "onConflict")
        )
    check_columns(info, on_conflict.update_columns, (*path, "onConflict"))
    stmt = dialect_insert(table)
    index = [info.column(c).column_name for c in unique.columns]
    if not on_conflict.update_columns:
        return stmt.on_conflict_do_nothing(index_elements=index)
    set_ = {
        info.column(c).column_name: stmt.excluded[info.column(c).column_name]
        for c in on_conflict.update_columns
    }
    where = None
    if on_conflict.where is not None:
        where = unit.compiler().where(info, table, on_conflict.where)
    return stmt.on_conflict_do_update(index_elements=index, set_=set_, where=where)


def _existing(
    unit: Unit, info: ModelInfo, table: sa.Table, on_conflict: OnConflict, values: Mapping[str, Any]
) -> Any:
    """The row an insert clashed with, so a nested insert can link to it."""
    unique = next(u for u in info.uniques if u.name == on_conflict.constraint)
    if any(c not in values for c in unique.columns):
        return None
    cond = sa.and_(*(table.c[info.column(c).column_name] == values[c] for c in unique.columns))
    return unit.execute(sa.select(*table.c).where(cond)).mappings().first()
