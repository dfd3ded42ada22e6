"""``ReadRequest``: what every surface asks the query engine for, in neutral terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .caller import ANONYMOUS, Caller
from .selection import AggregateSelection, ListArgs, Selection

Shape = Literal["list", "one", "aggregate", "page"]


@dataclass(frozen=True)
class ReadRequest:
    """Rows of ``table`` filtered, ordered and paged by ``args``, shaped by ``shape``:

    - ``list``: a JSON array of the selected objects;
    - ``one``: the first object, or ``null`` (a lookup by key);
    - ``aggregate``: the ``{aggregate, nodes}`` object of ``selection`` (an
      ``AggregateSelection``);
    - ``page``: ``{"count": <rows matching, before paging>, "rows": [...]}`` from one
      statement, so the count and the page agree.

    Leaf values in ``args`` may be ``Param``s, bound per execution: one plan then serves
    every value.
    """

    table: str
    shape: Shape = "list"
    args: ListArgs = field(default_factory=ListArgs)
    selection: Selection | AggregateSelection = field(default_factory=Selection)
    caller: Caller = ANONYMOUS

    def __hash__(self) -> int:
        # Kept once computed: a request the surfaces reuse is looked up per execution, and
        # hashing its whole tree each time costs as much as the rest of the lookup.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.table, self.shape, self.args, self.selection, self.caller))
            object.__setattr__(self, "_hash", cached)
        return cached


__all__ = ["ReadRequest", "Shape"]
