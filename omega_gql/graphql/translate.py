"""GraphQL arguments and selections → the query engine's neutral objects.

A variable used where a scalar goes becomes a ``Param``, so one compiled statement serves
every value; a variable that shapes the query (an input object, a list, a Boolean, an enum,
``@skip``/``@include``) is read now and recorded in ``structural``: plans are cached per
value of those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLObjectType,
    InlineFragmentNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    SelectionSetNode,
    Undefined,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_leaf_type,
    value_from_ast,
)

from ..errors import ValidationFailed
from ..query.boolexp import And, BoolExp, Compare, Not, Or, Param, Related, conjoin
from ..query.ordering import OrderTerm
from ..query.selection import (
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
from ..registry import ModelInfo, Registry
from ..service import Nested, OnConflict

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()


class Argument(NamedTuple):
    """An argument's (or input field's) value and its nullable GraphQL type."""

    value: Any
    type: Any


def fields_by_role(type_: GraphQLInputObjectType, value: Mapping[str, Any]) -> dict[Any, Argument]:
    """An input object's fields by what they mean, whatever the naming convention calls them."""
    return {
        omega(field): Argument(value.get(name), get_nullable_type(field.type))  # type: ignore[type-var]
        for name, field in type_.fields.items()
    }


def _null_instead(comparison: GraphQLInputObjectType, op: Any) -> str:
    """What to write instead of a null operand of ``op``."""
    is_null = next((n for n, f in comparison.fields.items() if omega(f) == "is_null"), "_isNull")
    if op == "is_null":
        return f"{is_null} takes true or false"
    return f"to match null, use {is_null}: true"


def response_key(node: FieldNode) -> str:
    """The key a field's value has in the response: its alias, else its name."""
    return node.alias.value if node.alias else node.name.value


def merged(nodes: Sequence[FieldNode]) -> FieldNode:
    """One field node standing for ``nodes`` (one response key): the first's name,
    arguments and alias, and the subfields of all."""
    if len(nodes) == 1:
        return nodes[0]
    first = nodes[0]
    selections = tuple(
        sel for node in nodes if node.selection_set for sel in node.selection_set.selections
    )
    return FieldNode(
        alias=first.alias,
        name=first.name,
        arguments=first.arguments,
        directives=(),
        selection_set=SelectionSetNode(selections=selections) if selections else None,
        loc=first.loc,
    )


def omega(definition: Any) -> Any:
    return (definition.extensions or {}).get("omega")


def _bindable(type_: Any) -> bool:
    """Whether a variable of this type binds as a statement parameter: scalars but
    booleans (``_isNull`` shapes the query) and enums (orderings, columns do)."""
    return (
        is_leaf_type(type_) and not isinstance(type_, GraphQLEnumType) and type_.name != "Boolean"
    )


class Translator:
    """Translates the fields of one operation, given its variables and fragments."""

    def __init__(
        self,
        registry: Registry,
        variables: Mapping[str, Any],
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.registry = registry
        self.variables = variables
        self.fragments = fragments
        self.structural: set[str] = set()
        self.params: set[str] = set()

    # ---- values ---------------------------------------------------------------------

    def variable(self, name: str) -> Any:
        self.structural.add(name)
        return self.variables.get(name)

    def materialize(self, node: ValueNode, type_: GraphQLInputType) -> Any:
        """A Python value for ``node``; scalar variables stay ``Param``s."""
        nullable = get_nullable_type(type_)  # type: ignore[type-var]
        if isinstance(node, VariableNode):
            name = node.name.value
            # Whether a scalar variable is omitted, null or set changes the query (an omitted
            # input field is absent); its value does not, so it stays a Param.
            self.params.add(name)
            if name not in self.variables:
                return ABSENT
            if self.variables[name] is None:
                return None
            if _bindable(nullable) or (
                # A list of scalars (``_in``) binds as one value: any length, one plan.
                isinstance(nullable, GraphQLList) and _bindable(get_nullable_type(nullable.of_type))  # type: ignore[type-var]
            ):
                return Param(name)
            return self.variable(name)
        if isinstance(node, NullValueNode):
            return None
        if isinstance(nullable, GraphQLList):
            items = node.values if isinstance(node, ListValueNode) else (node,)
            values = [self.materialize(item, nullable.of_type) for item in items]
            return [None if v is ABSENT else v for v in values]
        if isinstance(nullable, GraphQLInputObjectType) and isinstance(node, ObjectValueNode):
            out = {}
            for f in node.fields:
                value = self.materialize(f.value, nullable.fields[f.name.value].type)
                if value is not ABSENT:
                    out[f.name.value] = value
            for name, field in nullable.fields.items():
                if name not in out and field.default_value is not Undefined:
                    out[name] = field.default_value
            return out
        return value_from_ast(node, nullable)  # type: ignore[arg-type]

    def arguments(self, field_def: GraphQLField, node: FieldNode) -> dict[str, Any]:
        given = {a.name.value: a.value for a in node.arguments or ()}
        out: dict[str, Any] = {}
        for name, arg in field_def.args.items():
            value = self.materialize(given[name], arg.type) if name in given else ABSENT
            if value is not ABSENT:
                out[name] = value
            elif arg.default_value is not Undefined:
                out[name] = arg.default_value
            else:
                out[name] = None
        return out

    # ---- selections -----------------------------------------------------------------

    def collect(
        self, selection_set: SelectionSetNode | None, directives: bool = True
    ) -> list[FieldNode]:
        """Fields of a selection set, through fragments, honouring ``@skip``/``@include``
        unless ``directives`` is false; fields of one response key merge into one, with
        all their subfields (the spec's field collection: validation has made sure they
        are the same field with the same arguments)."""
        by_key: dict[str, list[FieldNode]] = {}
        self._gather(selection_set, directives, by_key)
        return [merged(nodes) for nodes in by_key.values()]

    def _gather(
        self,
        selection_set: SelectionSetNode | None,
        directives: bool,
        by_key: dict[str, list[FieldNode]],
    ) -> None:
        for sel in selection_set.selections if selection_set else ():
            if directives and not self.included(sel):
                continue
            if isinstance(sel, FieldNode):
                by_key.setdefault(response_key(sel), []).append(sel)
            elif isinstance(sel, InlineFragmentNode):
                self._gather(sel.selection_set, directives, by_key)
            elif isinstance(sel, FragmentSpreadNode):
                fragment = self.fragments[sel.name.value]
                self._gather(fragment.selection_set, directives, by_key)

    def included(self, node: Any) -> bool:
        for directive in node.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            arg = next((a.value for a in directive.arguments if a.name.value == "if"), None)
            if isinstance(arg, VariableNode):
                value = bool(self.variable(arg.name.value))
            else:
                value = bool(getattr(arg, "value", False))
            if (name == "skip") == value:
                return False
        return True

    def selection(
        self, info: ModelInfo, type_: GraphQLObjectType, selection_set: SelectionSetNode | None
    ) -> Selection:
        fields: list[Any] = []
        for node in self.collect(selection_set):
            key = response_key(node)
            name = node.name.value
            if name == "__typename":
                fields.append(ConstField(key, type_.name))
                continue
            field_def = type_.fields[name]
            meta = omega(field_def)
            kind, attr = meta[0], meta[1]
            if kind == "column":
                fields.append(ColumnField(key, attr))
                continue
            target = self.registry.target(info, attr)
            target_type = get_named_type(field_def.type)
            if kind == "object":
                fields.append(
                    ObjectField(key, attr, self.selection(target, target_type, node.selection_set))
                )  # type: ignore[arg-type]
            elif kind == "array":
                args = self.list_args(target, field_def, node)
                fields.append(
                    ArrayField(
                        key, attr, args, self.selection(target, target_type, node.selection_set)
                    )
                )  # type: ignore[arg-type]
            elif kind == "aggregate":
                args = self.list_args(target, field_def, node)
                fields.append(
                    AggregateField(
                        key, attr, args, self.aggregate(target, target_type, node.selection_set)
                    )
                )  # type: ignore[arg-type]
        return Selection(tuple(fields))

    def aggregate(
        self, info: ModelInfo, type_: GraphQLObjectType, selection_set: SelectionSetNode | None
    ) -> AggregateSelection:
        aggregates: list[tuple[str, tuple[Any, ...]]] = []
        nodes: list[tuple[str, Selection]] = []
        extra = []
        for node in self.collect(selection_set):
            key = response_key(node)
            name = node.name.value
            if name == "__typename":
                extra.append(ConstField(key, type_.name))
            elif name == "nodes":
                node_type: GraphQLObjectType = get_named_type(type_.fields[name].type)  # type: ignore[assignment]
                nodes.append((key, self.selection(info, node_type, node.selection_set)))
            elif name == "aggregate":
                agg_type: GraphQLObjectType = get_named_type(type_.fields[name].type)  # type: ignore[assignment]
                aggregates.append((key, tuple(self.aggregate_fields(agg_type, node.selection_set))))
        return AggregateSelection(tuple(aggregates), tuple(nodes), tuple(extra))

    def aggregate_fields(
        self, type_: GraphQLObjectType, selection_set: SelectionSetNode | None
    ) -> list[Any]:
        out: list[Any] = []
        for node in self.collect(selection_set):
            key = response_key(node)
            name = node.name.value
            if name == "__typename":
                out.append(ConstField(key, type_.name))
                continue
            field_def = type_.fields[name]
            meta = omega(field_def)
            if meta[0] == "count":
                args = self.arguments(field_def, node)
                out.append(Count(key, tuple(args.get("columns") or ()), bool(args.get("distinct"))))
            else:
                fn_type: GraphQLObjectType = get_named_type(field_def.type)  # type: ignore[assignment]
                columns = []
                typename = ""
                for sub in self.collect(node.selection_set):
                    sub_key = response_key(sub)
                    if sub.name.value == "__typename":
                        typename = fn_type.name
                        continue
                    columns.append((sub_key, omega(fn_type.fields[sub.name.value])[1]))
                out.append(ColumnAggregate(key, meta[1], tuple(columns), typename))
        return out

    # ---- arguments ------------------------------------------------------------------

    def roles(self, field_def: GraphQLField, node: FieldNode) -> dict[Any, Argument]:
        """The field's arguments by what they mean (``where``, ``order_by``, ``("pk", col)``),
        whatever the naming convention calls them."""
        values = self.arguments(field_def, node)
        return {
            omega(arg): Argument(values[name], get_nullable_type(arg.type))  # type: ignore[type-var]
            for name, arg in field_def.args.items()
        }

    def list_args(self, info: ModelInfo, field_def: GraphQLField, node: FieldNode) -> ListArgs:
        args = self.roles(field_def, node)
        where = args["where"]
        return ListArgs(
            where=self.bool_exp(where.type, where.value) if where.value is not None else None,
            order_by=self.order(get_named_type(args["order_by"].type), args["order_by"].value),  # type: ignore[arg-type]
            limit=args["limit"].value,
            offset=args["offset"].value,
            distinct_on=tuple(args["distinct_on"].value or ()),
        )

    def bool_exp(
        self,
        type_: GraphQLInputObjectType,
        value: Mapping[str, Any],
        path: tuple[str, ...] = ("where",),
    ) -> BoolExp:
        """The bool-exp ``value`` means; errors name the input field by its ``path``."""
        parts: list[BoolExp] = []
        for name, item in value.items():
            if item is None:
                continue
            field = type_.fields[name]
            meta = omega(field)
            kind = meta[0]
            at = (*path, name)
            if kind == "and" or kind == "or":
                items = tuple(self.bool_exp(type_, v, (*at, str(i))) for i, v in enumerate(item))
                parts.append(And(items) if kind == "and" else Or(items))
            elif kind == "not":
                parts.append(Not(self.bool_exp(type_, item, at)))
            elif kind == "relation":
                parts.append(
                    Related(meta[1], self.bool_exp(get_nullable_type(field.type), item, at))  # type: ignore[arg-type]
                )
            else:
                comparison: GraphQLInputObjectType = get_nullable_type(field.type)  # type: ignore[assignment]
                for op_name, operand in item.items():
                    op = omega(comparison.fields[op_name])
                    if operand is None:
                        raise ValidationFailed(
                            f"{op_name} does not take null; {_null_instead(comparison, op)}",
                            path=(*at, op_name),
                        )
                    parts.append(Compare(meta[1], op, operand))
        return conjoin(*parts) if parts else And(())

    def order(self, type_: GraphQLInputObjectType, value: Any) -> tuple[OrderTerm, ...]:
        terms: list[OrderTerm] = []
        for item in value or ():
            terms.extend(self._order_item(type_, item, ()))
        return tuple(terms)

    def _order_item(
        self, type_: GraphQLInputObjectType, item: Mapping[str, Any], path: tuple[str, ...]
    ) -> list[OrderTerm]:
        terms: list[OrderTerm] = []
        for name, direction in item.items():
            if direction is None:
                continue
            field = type_.fields[name]
            meta = omega(field)
            if meta[0] == "relation":
                terms.extend(
                    self._order_item(get_nullable_type(field.type), direction, (*path, meta[1]))
                )  # type: ignore[arg-type]
            elif meta[0] == "aggregate":
                terms.extend(
                    self._aggregate_order(
                        get_nullable_type(field.type), direction, (*path, meta[1])
                    )  # type: ignore[arg-type]
                )
            else:
                terms.append(OrderTerm((*path, meta[1]), direction))
        return terms

    def _aggregate_order(
        self, type_: GraphQLInputObjectType, item: Mapping[str, Any], path: tuple[str, ...]
    ) -> list[OrderTerm]:
        terms: list[OrderTerm] = []
        for name, value in item.items():
            if value is None:
                continue
            field = type_.fields[name]
            meta = omega(field)
            if meta[0] == "count":
                terms.append(OrderTerm(path, value, ("count", None)))
                continue
            columns: GraphQLInputObjectType = get_nullable_type(field.type)  # type: ignore[assignment]
            for column_name, direction in value.items():
                if direction is not None:
                    column = omega(columns.fields[column_name])[1]
                    terms.append(OrderTerm(path, direction, (meta[1], column)))
        return terms

    # ---- mutation inputs ------------------------------------------------------------

    def insert_rows(self, type_: GraphQLInputObjectType, rows: Any) -> list[dict[str, Any]]:
        return [self.insert_row(type_, row) for row in rows or ()]

    def insert_row(self, type_: GraphQLInputObjectType, row: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in row.items():
            field = type_.fields[name]
            kind, attr = omega(field)
            if kind == "column":
                out[attr] = value
            elif value is not None:
                rel_type: GraphQLInputObjectType = get_nullable_type(field.type)  # type: ignore[assignment]
                parts = fields_by_role(rel_type, value)
                data_type: GraphQLInputObjectType = get_named_type(parts["data"].type)  # type: ignore[assignment]
                data = parts["data"].value
                rows = data if isinstance(data, list) else [data]
                conflict = parts.get("on_conflict")
                out[attr] = Nested(
                    tuple(self.insert_row(data_type, r) for r in rows),
                    self.on_conflict(conflict.type, conflict.value) if conflict else None,
                )
        return out

    def on_conflict(self, type_: GraphQLInputObjectType, value: Any) -> OnConflict | None:
        if value is None:
            return None
        parts = fields_by_role(type_, value)
        where = parts["where"]
        return OnConflict(
            parts["constraint"].value,
            tuple(parts["update_columns"].value or ()),
            self.bool_exp(where.type, where.value) if where.value is not None else None,
        )

    def columns(self, type_: GraphQLInputObjectType, value: Any) -> dict[str, Any]:
        """``_set``/``_inc``/``pkColumns`` values keyed by column attribute."""
        return {omega(type_.fields[name])[1]: v for name, v in (value or {}).items()}
