"""While a huge document is parsed, validated and planned, the server keeps answering."""

from __future__ import annotations

import concurrent.futures
import time
from pathlib import Path

import httpx

from tests.e2e.test_server import OMEGA_RUN, serving

# An _or of 10,000 items: seconds of parsing, validation and planning.
HUGE = {
    "query": "{ twoot(where: {_or: ["
    + ",".join(f"{{id: {{_eq: {i}}}}}" for i in range(10_000))
    + "]}) { id } }"
}


def test_a_huge_document_does_not_hold_up_other_requests(tmp_path: Path) -> None:
    with serving(OMEGA_RUN, tmp_path) as base:
        small = {"query": "{ twootAggregate { aggregate { count } } }"}
        assert httpx.post(f"{base}/graphql", json=small).status_code == 200
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pending = pool.submit(httpx.post, f"{base}/graphql", json=HUGE, timeout=60)
            time.sleep(0.3)  # the document is being worked on
            answered = 0
            while not pending.done() and answered < 5:
                response = httpx.post(f"{base}/graphql", json=small, timeout=1)
                assert response.json() == {"data": {"twootAggregate": {"aggregate": {"count": 0}}}}
                answered += 1
            assert answered >= 1, "the huge document finished before any other request was sent"
            assert pending.result(timeout=60).json() == {"data": {"twoot": []}}
