"""Data flows one way: registry → query engine → write service → surfaces → app.

Every module of the package (top-level modules included) may import only the layers listed
for its own; the engine's layers import no web or GraphQL library; surfaces never import
each other. Both ``from ... import`` and ``import omega_gql.x`` forms are checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "omega_gql"

BASE = {"errors", "config", "orm"}
ENGINE = {"registry", "events", "query", "database", "service"}
SURFACES = {"graphql", "rest", "browser", "realtime"}
# What each layer may import besides itself. ``realtime`` sits below the other surfaces:
# subscriptions are served by the GraphQL surface over it.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "orm": set(),
    "config": {"errors"},
    "registry": {"errors", "orm"},
    "events": {"errors", "config"},
    "query": {"errors", "registry"},
    "database": {"errors", "config", "query"},
    "service": BASE | {"registry", "events", "query", "database"},
    "security": BASE,
    "realtime": BASE | ENGINE,
    "graphql": BASE | ENGINE | {"realtime", "security"},
    "rest": BASE | ENGINE | {"security"},
    "browser": BASE | ENGINE | {"security"},
}
TOP = {"app", "cli", "testing", "__init__", "__main__"}  # may import any layer
NO_WEB_OR_GRAPHQL = {"graphql", "strawberry", "starlette"}


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports(source: str, where: str) -> tuple[set[str], set[str]]:
    """(layers of the package, third-party top-level packages) that ``source`` imports, were
    it the module at ``where`` (relative to the package)."""
    package_depth = len(Path(where).parts) - 1  # 0 for a top-level module
    own: set[str] = set()
    external: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0:
                parts = module.split(".")
                if parts[0] == "omega_gql":
                    names = [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
                    own.update(names)
                else:
                    external.add(parts[0])
                continue
            # Relative: climb to the package root, then the first part names the layer.
            up = node.level - 1
            if up < package_depth:
                continue  # within the same layer package
            parts = module.split(".") if module else []
            own.update([parts[0]] if parts else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "omega_gql" and len(parts) > 1:
                    own.add(parts[1])
                elif parts[0] != "omega_gql":
                    external.add(parts[0])
    return own, external


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_the_layers_below_its_own(path: Path) -> None:
    layer = layer_of(path)
    if layer in TOP:
        return
    assert layer in ALLOWED, f"{layer!r} is a new layer: give it a place in ALLOWED"
    own, external = imports(path.read_text(), str(path.relative_to(PACKAGE)))
    extra = own - ALLOWED[layer] - {layer}
    assert not extra, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(extra)}"
    if layer in ENGINE or layer in BASE:
        web = external & NO_WEB_OR_GRAPHQL
        assert not web, f"{path.relative_to(PACKAGE)} ({layer}) imports {sorted(web)}"


def test_surfaces_never_import_each_other() -> None:
    for surface in SURFACES:
        others = SURFACES - {surface} - ({"realtime"} if surface == "graphql" else set())
        assert not (ALLOWED[surface] & others), surface


@pytest.mark.parametrize(
    ("source", "where", "expected"),
    [
        ("import omega_gql.graphql.engine", "query/x.py", {"graphql"}),
        ("from omega_gql import graphql", "service/x.py", {"graphql"}),
        ("from ..graphql import engine", "query/x.py", {"graphql"}),
        ("from .. import graphql", "query/x.py", {"graphql"}),
        ("from .query import compile", "app.py", {"query"}),
        ("from .compile import Compiler", "query/x.py", set()),
    ],
)
def test_the_checker_sees_every_import_form(source: str, where: str, expected: set[str]) -> None:
    assert imports(source, where)[0] == expected
