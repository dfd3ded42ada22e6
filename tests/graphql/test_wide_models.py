"""A model with more columns than one SQL function call takes arguments."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omega_gql import create_app
from omega_gql.orm import Column, Integer, Model
from omega_gql.testing import OmegaClient, serve

WIDTH = 120
Wide = type(
    "Wide",
    (Model,),
    {
        "__tablename__": "wide",
        "id": Column(Integer, primary_key=True),
        **{f"c{n:03d}": Column(Integer) for n in range(WIDTH)},
    },
)
FIELDS = " ".join(f"c{n:03d}" for n in range(WIDTH))


@pytest.fixture
def wide(db_url: str) -> Iterator[OmegaClient]:
    with serve(create_app(models=[Wide], database_url=db_url)) as client:
        yield client


def test_every_column_of_a_wide_row_comes_back_in_order(wide: OmegaClient) -> None:
    row = {f"c{n:03d}": n * 7 for n in range(WIDTH)}
    literal = ", ".join(f"{k}: {v}" for k, v in row.items())
    inserted = wide.graphql(
        f"mutation {{ insertWideOne(object: {{{literal}}}) {{ id {FIELDS} }} }}"
    )
    assert inserted["insertWideOne"] == {"id": 1, **row}
    listed = wide.graphql(f"{{ wide {{ {FIELDS} id }} }}")["wide"]
    assert list(listed[0]) == [*row, "id"]
    assert listed == [{**row, "id": 1}]
