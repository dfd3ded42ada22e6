"""Finds the models an app serves, starting from the module that calls ``create_app``."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from ..orm import Model


def is_model(obj: object) -> bool:
    return (
        isinstance(obj, type)
        and issubclass(obj, Model)
        and obj is not Model
        and not obj.__dict__.get("__abstract__", False)
        and "__table__" in obj.__dict__
    )


def discover(module_name: str) -> list[type]:
    """Models defined in or imported by ``module_name``, or by its sibling modules.

    ``create_app(__name__)`` in ``app.py`` thus finds the models of ``models.py`` whether
    they were imported by name, by ``from .models import *`` or as ``from . import models``.
    """
    module = sys.modules.get(module_name)
    if module is None:
        return []
    package = module_name.rpartition(".")[0] if not hasattr(module, "__path__") else module_name
    found: dict[str, type] = {}
    modules = [module] + [
        m
        for name, m in list(sys.modules.items())
        if package and m is not None and name.startswith(package + ".") and m is not module
    ]
    for mod in modules:
        for value in list(vars(mod).values()):
            if is_model(value):
                found.setdefault(f"{value.__module__}.{value.__qualname__}", value)
            elif isinstance(value, ModuleType) and value.__name__.startswith(package + "."):
                for inner in vars(value).values():
                    if is_model(inner):
                        found.setdefault(f"{inner.__module__}.{inner.__qualname__}", inner)
    return _with_related(list(found.values()))


def _with_related(models: list[type]) -> list[type]:
    """Add models reachable through relationships, so a model is never half-served."""
    from sqlalchemy import inspect
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    seen = {id(m): m for m in models}
    queue = list(models)
    while queue:
        cls = queue.pop()
        relationships: Any = inspect(cls).relationships
        for rel in relationships:
            target = rel.mapper.class_
            if id(target) not in seen and is_model(target):
                seen[id(target)] = target
                queue.append(target)
    return list(seen.values())
