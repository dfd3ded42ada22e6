"""Models of every supported column kind and key shape, for round-trip tests."""

from __future__ import annotations

from omega_gql.orm import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Model,
    Numeric,
    String,
    Table,
    relationship,
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


sample_table = Table(
    "sample",
    Model.metadata,
    Column("sensor", String, nullable=False),
    Column("taken_at", DateTime, nullable=False),
    Column("value", Float),
)


class Sample(Model):
    """A table without a primary-key constraint, keyed by the mapper (as views are)."""

    __table__ = sample_table
    __mapper_args__ = {"primary_key": [sample_table.c.sensor, sample_table.c.taken_at]}


class Author(Model):
    __tablename__ = "author"
    id = Column(Integer, primary_key=True)
    name = Column(String, nullable=False)
    detail = relationship("AuthorDetail", uselist=False, back_populates="author")


class AuthorDetail(Model):
    """The child side of a one-to-one: its key is also its foreign key to the author."""

    __tablename__ = "author_detail"
    id = Column(Integer, ForeignKey("author.id"), primary_key=True)
    bio = Column(String, nullable=False)
    author = relationship(Author, back_populates="detail")
