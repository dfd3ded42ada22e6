"""Database integrity errors → ``ConstraintViolation``, classified by the driver's structured
error (PostgreSQL's SQLSTATE and diagnostics, SQLite's extended result code) and naming the
field or constraint; the driver's own text never reaches a client."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ..errors import ConstraintViolation
from ..registry import ModelInfo, Registry

_SQLSTATE = {"23505": "unique", "23503": "foreign key", "23502": "not-null", "23514": "check"}
_SQLITE = {
    "SQLITE_CONSTRAINT_UNIQUE": "unique",
    "SQLITE_CONSTRAINT_PRIMARYKEY": "unique",
    "SQLITE_CONSTRAINT_FOREIGNKEY": "foreign key",
    "SQLITE_CONSTRAINT_NOTNULL": "not-null",
    "SQLITE_CONSTRAINT_CHECK": "check",
}


def violation(
    error: Exception, registry: Registry, info: ModelInfo | None = None
) -> ConstraintViolation:
    """A client-facing error naming the kind of constraint refused, and the field (in
    ``path``, as a model attribute) or constraint when the database says which.

    ``error`` is SQLAlchemy's ``IntegrityError`` or the driver's own; ``info`` is the model
    being written, used when the error names no table.
    """
    orig: Any = getattr(error, "orig", None) or error
    try:
        if getattr(orig, "sqlstate", None) is not None:
            return _postgresql(orig, registry, info)
        return _sqlite(orig, registry, info)
    except Exception:  # noqa: BLE001 - classification must never hide the refusal itself
        return ConstraintViolation("integrity constraint violated", constraint="integrity")


def _postgresql(orig: Any, registry: Registry, info: ModelInfo | None) -> ConstraintViolation:
    kind = _SQLSTATE.get(orig.sqlstate, "integrity")
    diag = orig.diag
    model = _model(registry, diag.table_name) or info
    name = diag.constraint_name
    attribute = None
    if model is not None:
        if kind == "not-null" and diag.column_name:
            attribute = _attribute(model, diag.column_name)
        elif kind == "unique":
            unique = next((u for u in model.uniques if u.name == name), None)
            attribute = unique.columns[0] if unique else None
        elif kind == "foreign key":
            attribute = _foreign_key_attribute(model, name)
    referencing = kind == "foreign key" and info is not None and model is not info
    return _error(kind, model, attribute, name, referencing)


def _sqlite(orig: Any, registry: Registry, info: ModelInfo | None) -> ConstraintViolation:
    kind = _SQLITE.get(getattr(orig, "sqlite_errorname", ""), "integrity")
    # SQLite's message lists the columns after the colon: "... failed: user.user_name, ..."
    listed = str(orig).partition(": ")[2]
    columns = [c.strip().split(".", 1) for c in listed.split(",") if "." in c]
    model = _model(registry, columns[0][0]) if columns else info
    attribute = None
    name = None
    if model is not None and columns:
        attributes = tuple(a for a in (_attribute(model, c) for _, c in columns) if a)
        attribute = attributes[0] if attributes else None
        if kind == "unique":
            unique = next((u for u in model.uniques if u.columns == attributes), None)
            name = unique.name if unique else None
    return _error(kind, model, attribute, name, False)


def _error(
    kind: str, model: ModelInfo | None, attribute: str | None, name: str | None, referencing: bool
) -> ConstraintViolation:
    what = model.name if model is not None else "row"
    if kind == "unique":
        detail = f"another {what} has the same {_quoted(attribute) or 'key'}"
    elif kind == "not-null" and attribute:
        detail = f"{_quoted(attribute)} may not be null"
    elif kind == "foreign key" and referencing:
        detail = f"rows of {what} still reference it"
    elif kind == "foreign key":
        detail = f"{_quoted(attribute) or 'a reference'} does not match an existing row"
    else:
        detail = f"the {what} was refused by the database"
    if name:
        detail += f" ({name})"
    extra: dict[str, Any] = {"constraint": kind}
    if name:
        extra["constraint_name"] = name
    path = (attribute,) if attribute and not referencing else ()
    return ConstraintViolation(f"{kind} constraint violated: {detail}", path=path, **extra)


def _quoted(attribute: str | None) -> str:
    return f"'{attribute}'" if attribute else ""


def _model(registry: Registry, table: str | None) -> ModelInfo | None:
    try:
        return registry.by_table(table) if table else None
    except KeyError:
        return None


def _attribute(model: ModelInfo, column_name: str) -> str | None:
    return next((c.name for c in model.columns if c.column_name == column_name), None)


def _foreign_key_attribute(model: ModelInfo, name: str | None) -> str | None:
    table: sa.Table = model.cls.__table__  # type: ignore[attr-defined]
    for fk in table.foreign_key_constraints:
        local = [c.name for c in fk.columns]
        default = f"{table.name}_{'_'.join(local)}_fkey"  # PostgreSQL's name for it
        if name in (fk.name, default):
            return _attribute(model, local[0])
    return None
