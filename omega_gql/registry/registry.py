"""The ``Registry``: the immutable set of models an app serves."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy.orm import configure_mappers

from ..errors import ConfigurationError
from .info import ModelInfo
from .introspect import introspect


class Registry:
    """Models by class name and table, built once by ``create_app``."""

    def __init__(self, models: Iterable[type]) -> None:
        configure_mappers()
        infos = [introspect(cls) for cls in models]
        self._by_name: dict[str, ModelInfo] = {}
        self._by_table: dict[str, ModelInfo] = {}
        for info in sorted(infos, key=lambda i: i.table):
            if info.table in self._by_table:
                raise ConfigurationError(f"two models map table {info.table!r}")
            self._by_name[info.name] = info
            self._by_table[info.table] = info
        for info in self:
            for rel in info.relations:
                if rel.target not in self._by_name:
                    raise ConfigurationError(
                        f"{info.name}.{rel.name} points to {rel.target}, which is not among the "
                        "app's models. Possible fix: import it in the module given to create_app()."
                    )

    def __iter__(self) -> Iterator[ModelInfo]:
        return iter(self._by_table.values())

    def __len__(self) -> int:
        return len(self._by_table)

    def model(self, name: str) -> ModelInfo:
        """A model by class name."""
        return self._by_name[name]

    def by_table(self, table: str) -> ModelInfo:
        return self._by_table[table]

    def of(self, cls: type) -> ModelInfo:
        """The model description of a mapped class."""
        return self._by_name[cls.__name__]

    def target(self, info: ModelInfo, relation: str) -> ModelInfo:
        """The model at the other end of ``info.relation``."""
        return self._by_name[info.relation(relation).target]
