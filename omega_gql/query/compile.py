"""Neutral selections → SQLAlchemy statements that build the JSON response.

Every read is one statement whose rows are JSON texts: object relationships are LEFT JOINs
(or correlated scalar subqueries), array relationships correlated ``LIMIT`` subqueries
aggregated into arrays, aggregates scalar subqueries. The row count never changes the
statement count.

A selection nesting relationships deeper than one statement can hold (SQLite's parser and
SQLAlchemy's compiler both give out) is split: past ``MAX_NESTING`` levels a relationship
answers its row's key as a placeholder, and a ``Cut`` records where, to be filled by a
statement of its own for all rows at once (``query/continuation.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..registry import ModelInfo
from .boolexp import BoolExp
from .filters import Expr, Filters, ParamSpec, Table
from .selection import (
    AggregateField,
    AggregateSelection,
    ArrayField,
    ColumnAggregate,
    ColumnField,
    ConstField,
    Count,
    ListArgs,
    ObjectField,
    Selection,
)

Joins = list[tuple[sa.Alias, Expr]]
__all__ = ["KEYS", "MAX_NESTING", "Compiler", "Cut", "ParamSpec"]

#: Relationship levels one statement holds; SQLite's parser gives out at eight.
MAX_NESTING = 5
#: The variable a continuation statement reads its parent rows' keys from.
KEYS = "__omega_keys"


@dataclass(frozen=True)
class Cut:
    """A relationship answered by a statement of its own: ``path`` leads (through the
    response keys of objects and lists) from each result object to the objects holding the
    placeholder, which are rows of ``info``; the last key is the field's own."""

    path: tuple[str, ...]
    info: ModelInfo
    field: ObjectField | ArrayField | AggregateField


class Compiler(Filters):
    """Builds read statements (and the key lookups of writes) for one registry on one dialect.

    ``params`` collects the ``Param`` names a statement reads, with their columns, so the
    executor can coerce and bind values per request.
    """

    def __init__(self, registry: Any, dialect: str, max_rows: int | None = None) -> None:
        super().__init__(registry, dialect, max_rows)
        self.cuts: list[Cut] = []
        self._nesting = 0
        self._path: tuple[str, ...] = ()

    # ---- entry points --------------------------------------------------------------

    def continuation(self, cut: Cut) -> sa.Select[Any]:
        """Rows ``(k, j)`` for the parent rows whose keys are in the ``KEYS`` variable (a
        JSON list of key arrays): ``k`` the key array, ``j`` ``{<field key>: <value>}``."""
        alias = self.alias(cut.info)
        pk = [alias.c[c.column_name] for c in cut.info.pk_columns]
        joins: Joins = []
        obj = self.object(cut.info, alias, Selection((cut.field,)), joins)
        self.params[KEYS] = ParamSpec(None)
        keys = sa.bindparam(f"v_{KEYS}", None, type_=sa.String, required=False)
        return (
            sa.select(self.json.key_text(pk).label("k"), self.json.text(obj).label("j"))
            .select_from(self.joined(alias, joins))
            .where(self.json.key_in(pk, keys))
        )

    def list_rows(self, info: ModelInfo, args: ListArgs, selection: Selection) -> sa.Select[Any]:
        """Rows of one column ``j``, each a JSON object, in the requested order."""
        return self._rows(info, args, selection, as_text=True)

    def _rows(
        self, info: ModelInfo, args: ListArgs, selection: Selection, as_text: bool
    ) -> sa.Select[Any]:
        alias = self.alias(info)
        joins: Joins = []
        obj = self.object(info, alias, selection, joins)
        if as_text:
            obj = self.json.text(obj)
        # Explicit FROM: a selection of nested fields only names the table in subqueries.
        stmt = sa.select(obj.label("j")).select_from(self.joined(alias, joins))
        return self.apply(info, alias, stmt, args)

    def aggregate(self, info: ModelInfo, args: ListArgs, agg: AggregateSelection) -> sa.Select[Any]:
        """One row with the aggregate JSON object."""
        return sa.select(self.json.text(self.aggregate_object(info, args, agg, None)))

    def page(self, info: ModelInfo, args: ListArgs, selection: Selection) -> sa.Select[Any]:
        """One row: ``{"count": <rows matching before paging>, "rows": [<page>]}``; a single
        statement, so the count and the page come from the same snapshot."""
        self._path = ("rows",)
        rows = self._rows(info, args, selection, as_text=False).subquery()
        self._path = ()
        counted = self.alias(info)
        count = sa.select(sa.func.count()).select_from(counted)
        if args.where is not None:
            count = count.where(self.where(info, counted, args.where))
        if args.distinct_on:
            count = count.where(self.distinct(info, counted, args))
        pairs: list[tuple[str, Expr]] = [
            ("count", count.scalar_subquery()),
            ("rows", sa.select(self.array(rows.c.j, args)).scalar_subquery()),
        ]
        return sa.select(self.json.text(self.json.object(pairs)))

    def pks(self, info: ModelInfo, where: BoolExp | None) -> sa.Select[Any]:
        """The primary keys of the rows matching ``where``: the first step of a bulk write."""
        alias = self.alias(info)
        stmt = sa.select(*(alias.c[c.column_name] for c in info.pk_columns))
        if where is not None:
            stmt = stmt.where(self.where(info, alias, where))
        return stmt

    # ---- selection -----------------------------------------------------------------

    def joined(self, alias: Table, joins: Joins) -> Any:
        """``alias`` LEFT JOINed to the object relationships its selection reads."""
        from_: Any = alias
        for target, on in joins:
            from_ = from_.outerjoin(target, on)
        return from_

    def object(
        self, info: ModelInfo, alias: Table, selection: Selection, joins: Joins | None = None
    ) -> Expr:
        """The JSON object of ``selection`` for a row of ``alias``.

        Object relationships to a primary key become LEFT JOINs appended to ``joins``
        (when given); others, and every array, are correlated subqueries.
        """
        pairs: list[tuple[str, Expr]] = []
        for f in selection.fields:
            if isinstance(f, ColumnField):
                col = info.column(f.column)
                pairs.append((f.key, self.json.value(col, alias.c[col.column_name])))
            elif isinstance(f, ConstField):
                pairs.append((f.key, self.json.string(f.value)))
            elif self._nesting >= MAX_NESTING:
                self.cuts.append(Cut((*self._path, f.key), info, f))
                pk = [alias.c[c.column_name] for c in info.pk_columns]
                pairs.append((f.key, self.json.key_array(pk)))
            else:
                outer = self._path
                self._nesting += 1
                self._path = (*outer, f.key)
                try:
                    pairs.append((f.key, self.relation(info, alias, f, joins)))
                finally:
                    self._nesting -= 1
                    self._path = outer
        return self.json.object(pairs)

    def relation(
        self,
        info: ModelInfo,
        alias: Table,
        f: ObjectField | ArrayField | AggregateField,
        joins: Joins | None,
    ) -> Expr:
        """The JSON value of one relationship field of a row of ``alias``."""
        if isinstance(f, AggregateField):
            target = self.registry.target(info, f.relation)
            return self.aggregate_object(target, f.args, f.aggregate, (info, alias, f.relation))
        target = self.registry.target(info, f.relation)
        talias = self.alias(target)
        if isinstance(f, ArrayField):
            inner_joins: Joins = []
            rows = (
                sa.select(self.object(target, talias, f.selection, inner_joins).label("j"))
                .select_from(self.joined(talias, inner_joins))
                .where(self.join(info, alias, f.relation, talias))
            )
            inner = self.apply(target, talias, rows, f.args).correlate(alias).subquery()
            return sa.select(self.array(inner.c.j, f.args)).scalar_subquery()
        remote = {r for _, r in info.relation(f.relation).pairs}
        # SQLite joins at most 64 tables: past a few dozen, correlated subqueries.
        if joins is not None and remote == set(target.primary_key) and len(joins) < 32:
            joins.append((talias, self.join(info, alias, f.relation, talias)))
            nested = self.object(target, talias, f.selection, joins)
            missing = talias.c[target.pk_columns[0].column_name].is_(None)
            return sa.case((missing, sa.null()), else_=nested)
        sub = (
            sa.select(self.object(target, talias, f.selection))
            .where(self.join(info, alias, f.relation, talias))
            .scalar_subquery()
        )
        return self.json.embed(sub)

    def aggregate_object(
        self,
        info: ModelInfo,
        args: ListArgs,
        agg: AggregateSelection,
        join: tuple[ModelInfo, Table, str] | None,
    ) -> Expr:
        def base(columns: bool) -> sa.Select[Any]:
            talias = self.alias(info)
            stmt = sa.select(talias) if columns else sa.select(sa.literal_column("1"))
            if join is not None:
                stmt = stmt.where(self.join(join[0], join[1], join[2], talias))
                stmt = stmt.correlate(join[1])
            # Aggregates count every matching row: no cap.
            return self.apply(info, talias, stmt, args, capped=False)

        pairs: list[tuple[str, Expr]] = []
        for extra in agg.extra:
            pairs.append((extra.key, self.json.string(extra.value)))
        for aggregate_key, aggregate_fields in agg.aggregates:
            sub = base(True).subquery()
            inner: list[tuple[str, Expr]] = []
            for f in aggregate_fields:
                if isinstance(f, ConstField):
                    inner.append((f.key, self.json.string(f.value)))
                elif isinstance(f, Count):
                    inner.append((f.key, self.count(info, sub, f)))
                elif isinstance(f, ColumnAggregate):
                    fields: list[tuple[str, Expr]] = []
                    if f.typename:
                        fields.append(("__typename", self.json.string(f.typename)))
                    for k, column in f.columns:
                        col = info.column(column)
                        expr: Expr = getattr(sa.func, f.function)(sub.c[col.column_name])
                        if f.function in ("min", "max"):
                            expr = self.json.value(col, expr)
                        fields.append((k, expr))
                    inner.append((f.key, self.json.object(fields)))
            stmt = sa.select(self.json.object(inner)).select_from(sub).scalar_subquery()
            pairs.append((aggregate_key, self.json.embed(stmt)))
        for nodes_key, nodes in agg.nodes:
            talias = self.alias(info)
            node_joins: Joins = []
            outer = self._path
            self._path = (*outer, nodes_key)
            # The aggregate's own subqueries count as a level of SQL nesting.
            self._nesting += 1
            try:
                nodes_object = self.object(info, talias, nodes, node_joins)
            finally:
                self._path = outer
                self._nesting -= 1
            rows = sa.select(nodes_object.label("j"))
            rows = rows.select_from(self.joined(talias, node_joins))
            if join is not None:
                rows = rows.where(self.join(join[0], join[1], join[2], talias)).correlate(join[1])
            inner_rows = self.apply(info, talias, rows, args).subquery()
            nodes_array = self.array(inner_rows.c.j, args)
            pairs.append((nodes_key, sa.select(nodes_array).scalar_subquery()))
        return self.json.object(pairs)

    def count(self, info: ModelInfo, sub: sa.Subquery, f: Count) -> Expr:
        cols = [sub.c[info.column(c).column_name] for c in f.columns]
        if not cols:
            return sa.func.count()
        if len(cols) == 1:
            return sa.func.count(cols[0].distinct()) if f.distinct else sa.func.count(cols[0])
        # As PostgreSQL counts a row value: rows where every column is non-null; distinct
        # combinations compared through one JSON text per row.
        present = sa.and_(*(c.is_not(None) for c in cols))
        if not f.distinct:
            return sa.func.count(sa.case((present, 1)))
        return sa.func.count(sa.distinct(sa.case((present, self.json.row_text(cols)))))
