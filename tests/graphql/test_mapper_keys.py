"""A model keyed by ``__mapper_args__`` (a table or view without a primary-key constraint)
is served like any other: lists, by-key fields, inserts, updates and deletes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from omega_gql import create_app
from omega_gql.testing import OmegaClient, serve
from tests.kinds import Sample


@pytest.fixture
def samples(db_url: str) -> Iterator[OmegaClient]:
    with serve(create_app(models=[Sample], database_url=db_url)) as client:
        client.graphql(
            """mutation { insertSample(objects: [
                {sensor: "a", takenAt: "2024-01-01T00:00:00", value: 1.5},
                {sensor: "a", takenAt: "2024-01-02T00:00:00", value: 2.5},
                {sensor: "b", takenAt: "2024-01-01T00:00:00", value: 9}]) { affectedRows } }"""
        )
        yield client


def test_a_mapper_keyed_model_is_listed_and_read_by_its_key(samples: OmegaClient) -> None:
    data = samples.graphql(
        '{ sample(where: {sensor: {_eq: "a"}}) { takenAt value }'
        ' one: sampleByPk(sensor: "b", takenAt: "2024-01-01T00:00:00") { value }'
        ' none: sampleByPk(sensor: "b", takenAt: "2024-01-02T00:00:00") { value } }'
    )
    assert data == {
        "sample": [
            {"takenAt": "2024-01-01T00:00:00", "value": 1.5},
            {"takenAt": "2024-01-02T00:00:00", "value": 2.5},
        ],
        "one": {"value": 9.0},
        "none": None,
    }


def test_a_mapper_keyed_model_is_updated_and_deleted_by_its_key(samples: OmegaClient) -> None:
    data = samples.graphql(
        'mutation { updateSampleByPk(pkColumns: {sensor: "a", takenAt: "2024-01-02T00:00:00"},'
        " _set: {value: 3}) { value } }"
    )
    assert data == {"updateSampleByPk": {"value": 3.0}}
    data = samples.graphql(
        'mutation { deleteSampleByPk(sensor: "a", takenAt: "2024-01-01T00:00:00") { value } }'
    )
    assert data == {"deleteSampleByPk": {"value": 1.5}}
    left = samples.graphql("{ sample(orderBy: [{sensor: ASC}]) { sensor value } }")
    assert left == {"sample": [{"sensor": "a", "value": 3.0}, {"sensor": "b", "value": 9.0}]}


def test_a_mapper_keyed_model_offers_no_upsert_on_a_constraint_it_lacks(
    samples: OmegaClient,
) -> None:
    body = samples.graphql_response(
        'mutation { insertSampleOne(object: {sensor: "c", takenAt: "2024-01-01T00:00:00"},'
        " onConflict: {constraint: sample_pkey, updateColumns: []}) { sensor } }"
    )
    assert body["errors"][0]["extensions"]["code"] == "validation-failed"
