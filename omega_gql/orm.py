"""The declarative ``Model`` base and the SQLAlchemy names models use.

Models subclass ``Model`` and use SQLAlchemy's own columns and relationships::

    from omega_gql.orm import Model, Column, Integer, String

    class User(Model):
        __tablename__ = "user"
        id = Column(Integer, primary_key=True)
        user_name = Column(String, nullable=False, unique=True)
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, backref, relationship


class Model(DeclarativeBase):
    """Base class of the application's models."""

    __abstract__ = True


__all__ = [
    "JSON",
    "BigInteger",
    "Boolean",
    "CheckConstraint",
    "Column",
    "Date",
    "DateTime",
    "Float",
    "ForeignKey",
    "Index",
    "Integer",
    "Model",
    "Numeric",
    "SmallInteger",
    "String",
    "Table",
    "Text",
    "Time",
    "UniqueConstraint",
    "Uuid",
    "backref",
    "func",
    "relationship",
    "select",
]
