"""The size limits of a GraphQL document, checked on the parsed document before validation
(which costs far more than this walk): depth, selected fields and list lengths.

Fragments are measured once each, so a document spreading fragments into each other many
times over is measured at its expanded size without being expanded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
)

from ..errors import LimitExceeded


@dataclass(frozen=True)
class GraphQLLimits:
    """The limits a GraphQL request must stay within (``Settings``'s values)."""

    max_depth: int = 24
    max_nodes: int = 5000
    max_list_length: int = 10_000
    max_response_size: int = 64 * 1024 * 1024


def check_document(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    limits: GraphQLLimits,
) -> None:
    """Raise ``LimitExceeded`` when ``operation`` is deeper, wider or carries longer lists
    than ``limits`` allow."""
    measure = _Measure(fragments, limits)
    depth, nodes = measure.selections(operation.selection_set)
    if depth > limits.max_depth:
        raise LimitExceeded(
            f"the operation nests fields {depth} deep", "max_depth", limits.max_depth
        )
    if nodes > limits.max_nodes:
        raise LimitExceeded(
            f"the operation selects {nodes:,} fields", "max_nodes", limits.max_nodes
        )


def check_response(size: int, limits: GraphQLLimits) -> None:
    """Raise ``LimitExceeded`` when a response of ``size`` bytes is too large to send."""
    if size > limits.max_response_size:
        raise LimitExceeded(
            f"the response would be {size:,} bytes", "max_response_size", limits.max_response_size
        )


def check_variables(variables: Mapping[str, Any], max_list_length: int) -> None:
    """Raise ``LimitExceeded`` when a variable holds a list longer than the limit."""
    stack: list[Any] = [v for v in variables.values() if isinstance(v, (list, dict))]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            _check_length(len(value), max_list_length)
            stack.extend(v for v in value if isinstance(v, (list, dict)))
        elif isinstance(value, dict):
            stack.extend(v for v in value.values() if isinstance(v, (list, dict)))


def _check_length(length: int, limit: int) -> None:
    if length > limit:
        raise LimitExceeded(f"a list has {length:,} items", "max_list_length", limit)


class _Measure:
    def __init__(
        self, fragments: Mapping[str, FragmentDefinitionNode], limits: GraphQLLimits
    ) -> None:
        self.fragments = fragments
        self.limits = limits
        self.measured: dict[str, tuple[int, int]] = {}
        self.open: set[str] = set()

    def selections(self, selection_set: SelectionSetNode | None) -> tuple[int, int]:
        """(depth, fields) of a selection set, fragments expanded."""
        if selection_set is None:
            return 0, 0
        depth = nodes = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                for argument in selection.arguments or ():
                    self.value(argument.value)
                inner_depth, inner_nodes = self.selections(selection.selection_set)
                depth = max(depth, 1 + inner_depth)
                nodes += 1 + inner_nodes
            elif isinstance(selection, InlineFragmentNode):
                inner_depth, inner_nodes = self.selections(selection.selection_set)
                depth, nodes = max(depth, inner_depth), nodes + inner_nodes
            elif isinstance(selection, FragmentSpreadNode):
                inner_depth, inner_nodes = self.fragment(selection.name.value)
                depth, nodes = max(depth, inner_depth), nodes + inner_nodes
            # Stop early: a document far past a limit is not walked to its end.
            if nodes > self.limits.max_nodes or depth > self.limits.max_depth:
                return depth, nodes
        return depth, nodes

    def fragment(self, name: str) -> tuple[int, int]:
        found = self.measured.get(name)
        if found is not None:
            return found
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return 0, 0  # unknown or cyclic: validation reports it
        self.open.add(name)
        found = self.selections(definition.selection_set)
        self.open.discard(name)
        self.measured[name] = found
        return found

    def value(self, value: ValueNode) -> None:
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, ListValueNode):
                _check_length(len(node.values), self.limits.max_list_length)
                stack.extend(node.values)
            elif isinstance(node, ObjectValueNode):
                stack.extend(f.value for f in node.fields)
