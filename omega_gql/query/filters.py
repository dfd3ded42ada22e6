"""Filtering, ordering, paging and joins: the bool-exp and order terms as SQL conditions.

The base of ``Compiler``; writes use it alone for their ``where``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BooleanClauseList, Grouping

from ..errors import LimitExceeded, ValidationFailed
from ..registry import ColumnInfo, ModelInfo, Registry
from .boolexp import (
    LIST_OPERATORS,
    PATTERN_OPERATORS,
    And,
    BoolExp,
    Compare,
    Not,
    Or,
    Param,
    Related,
    Settled,
)
from .jsonsql import JsonSQL
from .ordering import OrderTerm
from .patterns import check_pattern
from .selection import ListArgs
from .values import coerce


@dataclass(frozen=True)
class ParamSpec:
    """How a ``Param`` is bound: coerced to ``column``'s type; a list when ``is_list``."""

    column: ColumnInfo | None
    is_list: bool = False
    is_page: bool = False
    maximum: int | None = None  # of a page value: ``max_rows`` for a limit
    #: SQLite's storage form of one list item, before the list is sent as JSON text
    item: Callable[[Any], Any] | None = None


Table = sa.TableClause | sa.Alias
Expr = sa.ColumnElement[Any]


class Filters:
    """SQL conditions and orderings for one registry on one dialect.

    ``params`` collects the ``Param`` names a statement reads, with their columns, so the
    executor can coerce and bind values per request.
    """

    def __init__(self, registry: Registry, dialect: str, max_rows: int | None = None) -> None:
        self.registry = registry
        self.json = JsonSQL(dialect)
        self.params: dict[str, ParamSpec] = {}
        self.max_rows = max_rows

    def alias(self, info: ModelInfo) -> sa.Alias:
        return info.cls.__table__.alias()  # type: ignore[attr-defined,no-any-return]

    def join(self, info: ModelInfo, alias: Table, relation: str, talias: Table) -> Expr:
        rel = info.relation(relation)
        target = self.registry.target(info, relation)
        return sa.and_(
            *(
                talias.c[target.column(remote).column_name]
                == alias.c[info.column(local).column_name]
                for local, remote in rel.pairs
            )
        )

    def apply(
        self,
        info: ModelInfo,
        alias: Table,
        stmt: sa.Select[Any],
        args: ListArgs,
        *,
        capped: bool = True,
    ) -> sa.Select[Any]:
        """``stmt`` filtered, ordered and paged by ``args``. When ``capped`` and no limit is
        given, at most ``max_rows + 1`` rows: one more than may be answered, to tell."""
        if args.where is not None:
            stmt = stmt.where(self.where(info, alias, args.where))
        order = self.order(info, alias, args.order_by) or [
            alias.c[c.column_name].asc() for c in info.pk_columns
        ]
        if args.distinct_on:
            stmt = stmt.where(self.distinct(info, alias, args))
        stmt = stmt.order_by(*order)
        if args.limit is not None:
            stmt = stmt.limit(self.page_value(args.limit, "limit"))
        elif capped and self.max_rows is not None:
            stmt = stmt.limit(self.max_rows + 1)
        if args.offset is not None:
            stmt = stmt.offset(self.page_value(args.offset, "offset"))
            if stmt._limit_clause is None and self.json.sqlite:
                stmt = stmt.limit(-1)
        return stmt

    def array(self, expr: Expr, args: ListArgs) -> Expr:
        """The JSON array of a nested list's rows; refused (``max_rows``) when it was asked
        without a limit and has more rows than that."""
        if args.limit is not None or self.max_rows is None:
            return self.json.array(expr)
        return self.json.capped_array(expr, self.max_rows)

    def page_value(self, value: Any, name: str) -> Any:
        maximum = self.max_rows if name == "limit" else None
        if isinstance(value, Param):
            self.params[value.name] = ParamSpec(None, is_page=True, maximum=maximum)
            return sa.bindparam(f"v_{value.name}", None, type_=sa.Integer, required=False)
        if not isinstance(value, int) or value < 0:
            raise ValidationFailed(f"{name} must be a non-negative integer", path=(name,))
        if maximum is not None and value > maximum:
            raise limit_too_large(value, maximum, (name,))
        return value

    def distinct(self, info: ModelInfo, alias: Table, args: ListArgs) -> Expr:
        leading = [t.path for t in args.order_by[: len(args.distinct_on)]]
        if args.order_by and sorted(p[0] for p in leading) != sorted(args.distinct_on):
            raise ValidationFailed(
                "distinctOn columns must match the leading orderBy columns", path=("distinctOn",)
            )
        inner_alias = self.alias(info)
        pk = [inner_alias.c[c.column_name] for c in info.pk_columns]
        ranked = sa.select(
            *pk,
            sa.func.row_number()
            .over(
                partition_by=[inner_alias.c[info.column(c).column_name] for c in args.distinct_on],
                order_by=self.order(info, inner_alias, args.order_by) or [p.asc() for p in pk],
            )
            .label("omega_rank"),
        )
        if args.where is not None:
            ranked = ranked.where(self.where(info, inner_alias, args.where))
        ranked_sub = ranked.subquery()
        firsts = sa.select(*(ranked_sub.c[c.column_name] for c in info.pk_columns)).where(
            ranked_sub.c.omega_rank == 1
        )
        outer = [alias.c[c.column_name] for c in info.pk_columns]
        if len(outer) == 1:
            return outer[0].in_(firsts)
        return sa.tuple_(*outer).in_(firsts)

    def order(self, info: ModelInfo, alias: Table, terms: tuple[OrderTerm, ...]) -> list[Any]:
        out: list[Any] = []
        for term in terms:
            expr = self.order_expr(info, alias, term.path, term.aggregate)
            ordered = expr.desc() if term.descending else expr.asc()
            plain = len(term.path) == 1 and term.aggregate is None
            if plain and not info.column(term.path[0]).nullable:
                # No nulls to place: a bare direction lets SQLite walk an index.
                out.append(ordered)
            else:
                out.append(ordered.nulls_first() if term.nulls_first else ordered.nulls_last())
        return out

    def order_expr(
        self,
        info: ModelInfo,
        alias: Table,
        path: tuple[str, ...],
        aggregate: tuple[str, str | None] | None = None,
    ) -> Expr:
        if len(path) == 1 and aggregate is not None:
            target = self.registry.target(info, path[0])
            talias = self.alias(target)
            function, column = aggregate
            value = (
                sa.func.count()
                if column is None
                else getattr(sa.func, function)(talias.c[target.column(column).column_name])
            )
            return (
                sa.select(value)
                .select_from(talias)
                .where(self.join(info, alias, path[0], talias))
                .scalar_subquery()
            )
        if len(path) == 1:
            return alias.c[info.column(path[0]).column_name]
        target = self.registry.target(info, path[0])
        talias = self.alias(target)
        inner = self.order_expr(target, talias, path[1:], aggregate)
        return (
            sa.select(inner)
            .where(self.join(info, alias, path[0], talias))
            .limit(1)
            .scalar_subquery()
        )

    def where(self, info: ModelInfo, alias: Table, exp: BoolExp) -> Expr:
        if isinstance(exp, And):
            return _balanced(sa.and_, [sa.true(), *(self.where(info, alias, e) for e in exp.items)])
        if isinstance(exp, Or):
            if not exp.items:
                return sa.true()
            return _balanced(sa.or_, [self.where(info, alias, e) for e in exp.items])
        if isinstance(exp, Not):
            return sa.not_(self.where(info, alias, exp.item))
        if isinstance(exp, Settled):
            return self.settled(info, alias, exp)
        if isinstance(exp, Related):
            target = self.registry.target(info, exp.relation)
            talias = self.alias(target)
            cond = sa.and_(
                self.join(info, alias, exp.relation, talias), self.where(target, talias, exp.where)
            )
            return sa.exists(sa.select(sa.literal_column("1")).select_from(talias).where(cond))
        return self.compare(info, alias, exp)

    def settled(self, info: ModelInfo, alias: Table, exp: Settled) -> Expr:
        if self.json.sqlite:
            return sa.true()
        col = info.column(exp.column)
        other = info.cls.__table__.alias("omega_settled")  # type: ignore[attr-defined]
        mine, theirs = alias.c[col.column_name], other.c[col.column_name]
        after = self.bind(col, theirs, exp.after)
        between = (
            sa.and_(theirs < after, theirs >= mine)
            if exp.descending
            else sa.and_(theirs > after, theirs <= mine)
        )
        # A row is recent when its inserting transaction is not older than the oldest one
        # still running; age() compares transaction ids across their wraparound.
        recent = sa.text(
            "age(omega_settled.xmin) <= age(((pg_snapshot_xmin(pg_current_snapshot())"
            "::text::bigint % 4294967296)::text)::xid)"
        )
        return sa.not_(
            sa.exists(sa.select(sa.literal_column("1")).select_from(other).where(between, recent))
        )

    def compare(self, info: ModelInfo, alias: Table, exp: Compare) -> Expr:
        col = info.column(exp.column)
        sa_col = alias.c[col.column_name]
        op = exp.op
        if op == "is_null":
            if isinstance(exp.value, Param):
                raise ValidationFailed("_isNull takes a literal boolean", path=(exp.column,))
            return sa_col.is_(None) if exp.value else sa_col.is_not(None)
        if op in LIST_OPERATORS and isinstance(exp.value, Param):
            matches = self.bind_list(col, sa_col, exp.value)
            return matches if op == "in" else sa.not_(matches)
        if op in LIST_OPERATORS:
            values = exp.value if isinstance(exp.value, (list, tuple)) else [exp.value]
            if len(values) > _INLINE_ITEMS:
                # One parameter for the whole list: PostgreSQL takes at most 65,535.
                matches = self.list_value(sa_col, [coerce(col, v) for v in values])
                return matches if op == "in" else sa.not_(matches)
            bound = [self.bind(col, sa_col, v) for v in values]
            if not bound:
                return sa.false() if op == "in" else sa.true()
            return sa_col.in_(bound) if op == "in" else sa_col.not_in(bound)
        value = self.bind(col, sa_col, exp.value)
        if op == "eq":
            return sa_col == value
        if op == "neq":
            return sa_col != value
        if op == "gt":
            return sa_col > value
        if op == "gte":
            return sa_col >= value
        if op == "lt":
            return sa_col < value
        if op == "lte":
            return sa_col <= value
        # Backslash escapes % and _ on every database, as it does by default on PostgreSQL.
        if op == "like":
            return sa_col.like(value, escape="\\")
        if op == "nlike":
            return sa_col.not_like(value, escape="\\")
        if op == "ilike":
            return sa_col.ilike(value, escape="\\")
        if op == "nilike":
            return sa_col.not_ilike(value, escape="\\")
        if op in PATTERN_OPERATORS:
            if self.json.sqlite and not isinstance(exp.value, Param):
                check_pattern(op.removeprefix("n"), exp.value, (exp.column, f"_{op}"))
            return self.json.pattern(op, sa_col, value)
        raise ValidationFailed(f"unknown operator {op!r}", path=(exp.column,))

    def bind_list(self, col: Any, sa_col: Expr, value: Param) -> Expr:
        """``column IN <list given at execution>``, one statement for any list length."""
        self.params[value.name] = ParamSpec(col, is_list=True, item=self.storage(sa_col))
        name = f"v_{value.name}"
        if self.json.sqlite:
            items = sa.func.json_each(sa.bindparam(name, None, type_=sa.String, required=False))
            return sa_col.in_(sa.select(sa.column("value")).select_from(items))
        from sqlalchemy.dialects.postgresql import ARRAY

        array = sa.bindparam(name, None, type_=ARRAY(sa_col.type), required=False)
        return sa_col == sa.any_(array)

    def storage(self, sa_col: Expr) -> Callable[[Any], Any] | None:
        """How SQLite stores a value of ``sa_col``'s type (dates and times as text), for
        values sent inside a JSON list rather than bound one by one."""
        if not self.json.sqlite:
            return None
        process = sa_col.type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
        if process is None:
            return None
        return lambda value: None if value is None else process(value)

    def list_value(self, sa_col: Expr, values: list[Any]) -> Expr:
        """``column IN <values>``, the values bound as one parameter."""
        if self.json.sqlite:
            store = self.storage(sa_col)
            if store is not None:
                values = [store(v) for v in values]
            text = orjson.dumps(values, default=str).decode()
            items = sa.func.json_each(sa.bindparam(None, text, type_=sa.String))
            return sa_col.in_(sa.select(sa.column("value")).select_from(items))
        from sqlalchemy.dialects.postgresql import ARRAY

        return sa_col == sa.any_(sa.bindparam(None, values, type_=ARRAY(sa_col.type)))

    def bind(self, col: Any, sa_col: Expr, value: Any) -> Expr:
        if isinstance(value, Param):
            self.params[value.name] = ParamSpec(col)
            return sa.bindparam(f"v_{value.name}", None, type_=sa_col.type, required=False)
        return sa.literal(coerce(col, value), type_=sa_col.type)


def _balanced(combine: Any, items: list[Expr]) -> Expr:
    """``combine(*items)`` (``sa.and_`` or ``sa.or_``) as a shallow tree of groups: SQLite
    refuses an expression nested 1,000 deep, which ``a OR b OR ...`` of that many terms is
    to its parser."""
    if len(items) <= _GROUP:
        return combine(*items)  # type: ignore[no-any-return]
    operator = operators.and_ if combine is sa.and_ else operators.or_
    while len(items) > _GROUP:
        # Built raw: ``sa.or_`` would flatten the groups back into one long list.
        items = [
            Grouping(BooleanClauseList._construct_raw(operator, items[i : i + _GROUP]))
            for i in range(0, len(items), _GROUP)
        ]
    return BooleanClauseList._construct_raw(operator, items)


_GROUP = 16
_SQLITE = sqlite.dialect()
# Lists longer than this are bound as one parameter rather than one per item.
_INLINE_ITEMS = 32


def limit_too_large(value: int, maximum: int, path: tuple[str, ...]) -> LimitExceeded:
    return LimitExceeded(
        f"limit {value:,} asks for more rows than a list may answer", "max_rows", maximum, path=path
    )


def rows_exceeded(maximum: int) -> LimitExceeded:
    """A list asked without a limit has more rows than ``maximum``."""
    return LimitExceeded(
        "a list has more rows than may be answered; ask for a page with limit and offset",
        "max_rows",
        maximum,
    )
