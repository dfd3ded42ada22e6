"""Every column kind goes in and comes out with the same value, on every database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omega_gql import create_app
from omega_gql.testing import OmegaClient, serve
from tests.kinds import Gadget

FIELDS = "id name active price weight serial madeOn seenAt specs"


@pytest.fixture
def gadgets(db_url: str) -> Iterator[OmegaClient]:
    with serve(create_app(models=[Gadget], database_url=db_url)) as client:
        yield client


def test_every_kind_round_trips(gadgets: OmegaClient) -> None:
    gadget = {
        "name": "lamp",
        "active": True,
        "price": 12.5,
        "weight": 0.75,
        "serial": 9007199254740993,
        "madeOn": "2024-03-01",
        "seenAt": "2024-03-01T12:30:45",
        "specs": {"watts": 40, "tags": ["warm"]},
    }
    inserted = gadgets.graphql(
        f"mutation($g: GadgetInsertInput!) {{ insertGadgetOne(object: $g) {{ {FIELDS} }} }}",
        {"g": gadget},
    )["insertGadgetOne"]
    assert inserted == {"id": 1, **gadget}
    listed = gadgets.graphql(f"{{ gadget {{ {FIELDS} }} }}")["gadget"]
    assert listed == [inserted]


def test_nulls_and_false_are_kept_apart(gadgets: OmegaClient) -> None:
    gadgets.graphql(
        'mutation { insertGadget(objects: [{name: "a", active: false}, {name: "b"}]) { affectedRows } }'
    )
    rows = gadgets.graphql("{ gadget(orderBy: [{id: ASC}]) { name active price specs } }")["gadget"]
    assert rows == [
        {"name": "a", "active": False, "price": None, "specs": None},
        {"name": "b", "active": None, "price": None, "specs": None},
    ]
    inactive = gadgets.graphql("{ gadget(where: {active: {_eq: false}}) { name } }")["gadget"]
    assert inactive == [{"name": "a"}]


def test_aggregates_over_numeric_and_date_columns(gadgets: OmegaClient) -> None:
    gadgets.graphql(
        """mutation { insertGadget(objects: [
            {name: "a", weight: 1.5, madeOn: "2024-01-01"},
            {name: "b", weight: 2.5, madeOn: "2024-06-01"}]) { affectedRows } }"""
    )
    data = gadgets.graphql(
        "{ gadgetAggregate { aggregate { count sum { weight } avg { weight } min { madeOn } max { madeOn name } } } }"
    )
    assert data["gadgetAggregate"]["aggregate"] == {
        "count": 2,
        "sum": {"weight": 4.0},
        "avg": {"weight": 2.0},
        "min": {"madeOn": "2024-01-01"},
        "max": {"madeOn": "2024-06-01", "name": "b"},
    }


def test_a_malformed_date_is_refused_as_validation_failed(gadgets: OmegaClient) -> None:
    body = gadgets.graphql_response(
        'mutation { insertGadgetOne(object: {name: "x", madeOn: "tomorrow"}) { id } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "validation-failed"
    assert gadgets.graphql("{ gadgetAggregate { aggregate { count } } }") == {
        "gadgetAggregate": {"aggregate": {"count": 0}}
    }
