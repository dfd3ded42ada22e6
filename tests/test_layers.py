"""Data flows one way: registry → query engine → write service → surfaces."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "omega_gql"

# A layer may import only the layers listed for it (and the shared top-level modules).
ALLOWED = {
    "registry": {"registry"},
    "events": {"events"},
    "query": {"query", "registry"},
    "service": {"service", "query", "registry", "events"},
    "graphql": {"graphql", "service", "query", "registry", "events"},
}
SHARED = {"errors", "config", "orm", "database"}


def imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            parts = (node.module or "").split(".")
            if node.level == 1:
                continue  # a sibling within the same layer
            found.add(parts[0] if parts[0] else "")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("omega_gql."):
            found.add(node.module.split(".")[1])  # type: ignore[union-attr]
    return found - SHARED - {""}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    for path in sorted((PACKAGE / layer).glob("*.py")):
        extra = imported_layers(path) - ALLOWED[layer]
        assert not extra, f"{path.relative_to(PACKAGE)} imports {sorted(extra)}"
