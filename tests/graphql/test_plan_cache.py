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


def test_a_full_cache_evicts_the_oldest_document(app: OmegaApp, seed: OmegaClient, parses: list[str]) -> None:
    app.graphql._documents.size = 2
    documents = [f"{{ twoot(limit: {n}) {{ id }} }}" for n in (1, 2, 3)]
    for document in documents + documents[-1:] + documents[:1]:
        seed.graphql(document)
    # the third document evicted the first, which had to be parsed again
    assert parses == documents + documents[:1]
