"""The ``Registry``: the immutable set of models an app serves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy.orm import configure_mappers

from ..errors import ConfigurationError
from .info import ModelInfo
from .introspect import introspect


class Registry:
    """Models by mapped class and by table, built once by ``create_app``.

    Keyed by the class itself: two models may share a class name in different modules.
    """

    def __init__(self, models: Iterable[type]) -> None:
        configure_mappers()
        infos = [introspect(cls) for cls in models]
        self._by_class: dict[type, ModelInfo] = {}
        self._by_table: dict[str, ModelInfo] = {}
        self._by_resource: dict[str, ModelInfo] = {}
        for info in sorted(infos, key=lambda i: i.table):
            if info.table in self._by_table:
                raise ConfigurationError(f"two models map table {info.table!r}")
            if info.resource in self._by_resource:
                other = self._by_resource[info.resource].name
                raise ConfigurationError(
                    f"{info.name} and {other} are both the resource {info.resource!r}: "
                    "set __resource__ on one of them"
                )
            self._by_class[info.cls] = info
            self._by_table[info.table] = info
            self._by_resource[info.resource] = info
        for info in self:
            for rel in info.relations:
                if rel.target not in self._by_table:
                    raise ConfigurationError(
                        f"{info.name}.{rel.name} points to table {rel.target!r}, whose model is "
                        "not among the app's models. Possible fix: import it in the module given "
                        "to create_app()."
                    )

    def __iter__(self) -> Iterator[ModelInfo]:
        return iter(self._by_table.values())

    def __len__(self) -> int:
        return len(self._by_table)

    def by_table(self, table: str) -> ModelInfo:
        return self._by_table[table]

    def by_resource(self, resource: str) -> ModelInfo | None:
        """The model served as ``resource`` (REST, the admin), or None."""
        return self._by_resource.get(resource)

    def of(self, cls: type) -> ModelInfo:
        """The model description of a mapped class."""
        try:
            return self._by_class[cls]
        except KeyError:
            raise LookupError(f"{cls.__qualname__} is not among the app's models") from None

    def target(self, info: ModelInfo, relation: str) -> ModelInfo:
        """The model at the other end of ``info.relation``."""
        return self._by_table[info.relation(relation).target]
