"""Turns SQLAlchemy mappers into ``ModelInfo``; the only caller of ``sqlalchemy.inspect``."""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import MANYTOONE, Mapper, RelationshipProperty

from ..errors import ConfigurationError
from .info import ColumnInfo, ColumnKind, ModelInfo, RelationInfo, UniqueInfo
from .naming import Naming

_BY_PYTHON_TYPE: tuple[tuple[type, ColumnKind], ...] = (
    (bool, "bool"),
    (int, "int"),
    (float, "float"),
    (decimal.Decimal, "numeric"),
    (str, "string"),
    (datetime.datetime, "datetime"),
    (datetime.date, "date"),
    (datetime.time, "time"),
    (uuid.UUID, "uuid"),
    (dict, "json"),
    (list, "json"),
)


def column_kind(model: str, attr: str, sa_type: sa.types.TypeEngine[object]) -> ColumnKind:
    """Map a SQLAlchemy type to a column kind, or say which column cannot be served."""
    if isinstance(sa_type, sa.BigInteger):
        return "bigint"
    if isinstance(sa_type, sa.JSON):
        return "json"
    if isinstance(sa_type, sa.Float):
        return "float"
    try:
        python_type = sa_type.python_type
    except NotImplementedError:
        python_type = None
    for base, kind in _BY_PYTHON_TYPE:
        if python_type is not None and issubclass(python_type, base):
            return kind
    raise ConfigurationError(
        f"{model}.{attr}: column type {sa_type!r} has no GraphQL scalar. "
        "Possible fix: use a standard SQLAlchemy type, or exclude the column from the model."
    )


def introspect(cls: type) -> ModelInfo:
    """Describe one mapped class."""
    mapper: Mapper[object] = sa.inspect(cls)
    table = mapper.local_table
    if not isinstance(table, sa.Table):
        raise ConfigurationError(f"{cls.__name__}: only models mapped to one table are supported")
    name = cls.__name__
    attr_of: dict[Any, str] = {
        col: prop.key for prop in mapper.column_attrs for col in prop.columns
    }

    # The mapper's key: the table's, or one given by ``__mapper_args__ = {"primary_key":
    # [...]}`` for a table (or view) without a primary-key constraint.
    key_columns = [c for c in mapper.primary_key if c in attr_of]
    columns = []
    for prop in mapper.column_attrs:
        col = prop.columns[0]
        if not isinstance(col, sa.Column):
            continue
        autoinc = col.primary_key and col is table.autoincrement_column
        columns.append(
            ColumnInfo(
                name=prop.key,
                column_name=col.name,
                kind=column_kind(name, prop.key, col.type),
                sa_type=col.type,
                nullable=bool(col.nullable),
                has_default=bool(
                    col.default is not None or col.server_default is not None or autoinc
                ),
                primary_key=col in key_columns,
            )
        )
    if not key_columns:
        raise ConfigurationError(
            f"{name}: a model needs a primary key. Possible fix: mark its key columns "
            "primary_key=True, or name them in __mapper_args__ = {'primary_key': [...]}"
        )
    primary_key = tuple(attr_of[c] for c in key_columns)

    relations = []
    for rel in mapper.relationships:
        relations.append(_relation(name, rel, attr_of))

    pk_name = table.primary_key.name
    # A key only the mapper knows has no constraint an upsert could name.
    uniques = (
        [UniqueInfo(pk_name if isinstance(pk_name, str) else f"{table.name}_pkey", primary_key)]
        if table.primary_key.columns
        else []
    )
    for cons in table.constraints:
        if isinstance(cons, sa.UniqueConstraint):
            cols = tuple(attr_of[c] for c in cons.columns)
            cname = cons.name if isinstance(cons.name, str) else None
            uniques.append(
                UniqueInfo(
                    cname or f"{table.name}_{'_'.join(c.name for c in cons.columns)}_key", cols
                )
            )
    for col in table.columns:
        if col.unique and not any(u.columns == (attr_of[col],) for u in uniques):
            uniques.append(UniqueInfo(f"{table.name}_{col.name}_key", (attr_of[col],)))
    return ModelInfo(
        cls=cls,
        table=table.name,
        columns=tuple(columns),
        primary_key=primary_key,
        relations=tuple(relations),
        uniques=tuple(uniques),
        resource=_resource(cls, table.name),
    )


def _resource(cls: type, table: str) -> str:
    name = getattr(cls, "__resource__", None)
    if name is None:
        return Naming.resource(table)
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise ConfigurationError(
            f"{cls.__qualname__}.__resource__ = {name!r}: a resource name is letters, digits, "
            "'_' and '-'"
        )
    return name


def _relation(
    model: str, rel: RelationshipProperty[object], attr_of: dict[Any, str]
) -> RelationInfo:
    if rel.secondary is not None:
        raise ConfigurationError(
            f"{model}.{rel.key}: many-to-many relationships (secondary=) are not supported yet. "
            "Possible fix: map the association table as a model with two many-to-one relationships."
        )
    target_mapper = rel.mapper
    target_attr: dict[Any, str] = {c: p.key for p in target_mapper.column_attrs for c in p.columns}
    pairs = tuple((attr_of[local], target_attr[remote]) for local, remote in rel.local_remote_pairs)
    return RelationInfo(
        name=rel.key,
        target=target_mapper.local_table.name,  # type: ignore[attr-defined]
        is_array=bool(rel.uselist),
        pairs=pairs,
        owns_foreign_key=rel.direction is MANYTOONE,
    )
