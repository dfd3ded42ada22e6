"""The GraphQL surface: a Hasura-compatible schema over the query engine and write service."""

from __future__ import annotations

from .builder import RootSpec, build_schema
from .engine import GraphQLEngine
from .views import Context

__all__ = ["Context", "GraphQLEngine", "RootSpec", "build_schema"]
