"""Order terms, with the nulls variants, on columns or through object relationships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Direction = Literal[
    "asc", "asc_nulls_first", "asc_nulls_last", "desc", "desc_nulls_first", "desc_nulls_last"
]
DIRECTIONS: tuple[str, ...] = get_args(Direction)


@dataclass(frozen=True)
class OrderTerm:
    """Order by ``path[-1]``, reached through the object relationships ``path[:-1]``.

    As in PostgreSQL and Hasura, ``asc`` puts nulls last and ``desc`` puts them first,
    on every database.
    """

    path: tuple[str, ...]
    direction: Direction
    #: Order by an aggregate of the array relationship ``path[-1]``: ``("count", None)`` or
    #: ``(function, column)``, as in ``{twootsAggregate: {max: {postedAt: DESC}}}``.
    aggregate: tuple[str, str | None] | None = None

    @property
    def descending(self) -> bool:
        return self.direction.startswith("desc")

    @property
    def nulls_first(self) -> bool:
        if self.direction.endswith("nulls_first"):
            return True
        if self.direction.endswith("nulls_last"):
            return False
        return self.descending
