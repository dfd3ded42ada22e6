"""Database integrity errors → ``ConstraintViolation``, on SQLite and PostgreSQL."""

from __future__ import annotations

from ..errors import ConstraintViolation


def violation(error: Exception) -> ConstraintViolation:
    """A client-facing error naming the kind of constraint the database refused.

    ``error`` is SQLAlchemy's ``IntegrityError`` or the driver's own.
    """
    orig = getattr(error, "orig", None)
    text = str(orig if orig is not None else error)
    lowered = text.lower()
    if "foreign key" in lowered:
        kind = "foreign key"
    elif "unique" in lowered or "duplicate key" in lowered:
        kind = "unique"
    elif "not null" in lowered or "null value" in lowered:
        kind = "not-null"
    elif "check" in lowered:
        kind = "check"
    else:
        kind = "integrity"
    detail = text.strip().splitlines()[0] if text.strip() else kind
    return ConstraintViolation(f"{kind} constraint violated: {detail}", constraint=kind)
