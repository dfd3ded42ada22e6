"""A model with one column of every supported kind, for round-trip tests."""

from __future__ import annotations

from omega_gql.orm import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    Model,
    Numeric,
    String,
)


class Gadget(Model):
    __tablename__ = "gadget"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    active = Column(Boolean)
    price = Column(Numeric(10, 2))
    weight = Column(Float)
    serial = Column(BigInteger)
    made_on = Column(Date)
    seen_at = Column(DateTime)
    specs = Column(JSON)


class Membership(Model):
    """A model whose primary key has two columns."""

    __tablename__ = "membership"
    team = Column(String, primary_key=True)
    member = Column(String, primary_key=True)
    role = Column(String, nullable=False)
