"""Documents are parsed and validated once; later requests reuse the cached plan."""

from __future__ import annotations

import pytest

import omega_gql.graphql.engine as engine_module
from omega_gql import OmegaApp
from omega_gql.testing import OmegaClient


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every document the engine parses (the real parser still runs)."""
    seen: list[str] = []
    real_parse = engine_module.parse

    def recording_parse(source: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(source)
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(engine_module, "parse", recording_parse)
    return seen


def test_the_same_document_is_parsed_once(seed: OmegaClient, parses: list[str]) -> None:
    query = "query($id: Int!) { twootByPk(id: $id) { content } }"
    answers = [seed.graphql(query, {"id": i})["twootByPk"]["content"] for i in (1, 4, 1)]
    assert answers == ["hello world", "hi from bob", "hello world"]
    assert parses == [query]


def test_a_full_cache_evicts_the_oldest_document(
    app: OmegaApp, seed: OmegaClient, parses: list[str]
) -> None:
    app.graphql._documents.size = 2
    documents = [f"{{ twoot(limit: {n}) {{ id }} }}" for n in (1, 2, 3)]
    for document in documents + documents[-1:] + documents[:1]:
        seed.graphql(document)
    # the third document evicted the first, which had to be parsed again
    assert parses == documents + documents[:1]


def test_the_document_cache_is_bounded_by_the_text_it_holds(
    app: OmegaApp, seed: OmegaClient
) -> None:
    documents = app.graphql._documents
    assert documents.budget == 512 * 2048
    budget = documents.budget = 200_000
    # Documents carrying long literal lists: three times the budget in all.
    big = [
        "{ twoot(where: {id: {_in: [1, 2, 3, 4, 5, 6, "
        + ",".join(str(i) for i in range(10_000 * n, 10_000 * n + 8000))
        + "]}}) { id } }"
        for n in range(1, 1 + 3 * budget // 48_000)
    ]
    for query in big:
        assert len(seed.graphql(query)["twoot"]) == 6
    assert documents.weight <= budget
    assert 0 < len(documents) < len(big)
    # A document larger than the whole budget answers without being kept.
    huge = "{ twoot(limit: 1) { id } }" + " " * (budget + 1)
    assert seed.graphql(huge) == {"twoot": [{"id": 1}]}
    assert (huge, None) not in documents


def test_list_variables_of_any_length_share_one_plan(app: OmegaApp, seed: OmegaClient) -> None:
    query = "query($ids: [Int!]) { twoot(where: {id: {_in: $ids}}) { id } }"
    for ids in ([1], [1, 2, 3], list(range(500))):
        assert seed.graphql(query, {"ids": ids})["twoot"]
    [doc] = [d for key, d in app.graphql._documents.items() if key[0] == query]
    assert len(doc.plans) == 1
