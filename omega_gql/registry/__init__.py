"""The model registry: introspected models and the names generated from them."""

from __future__ import annotations

from .discovery import discover
from .info import ColumnInfo, ModelInfo, RelationInfo, UniqueInfo
from .naming import Naming
from .registry import Registry

__all__ = [
    "ColumnInfo",
    "ModelInfo",
    "Naming",
    "RelationInfo",
    "Registry",
    "UniqueInfo",
    "discover",
]
