"""Answer checks made before load: fetch one answer, compare it with the floor's."""

from __future__ import annotations

import difflib
import json
from typing import Any

import httpx
import orjson

from benchmarks.workloads import Workload


class AnswerError(RuntimeError):
    """The server answered with an HTTP error, GraphQL errors, or not JSON."""


def fetch(url: str, workload: Workload) -> Any:
    """POST the workload's body once (as wrk will) and return the parsed JSON answer."""
    # A generous timeout: a server may compile a document's plan on first sight.
    resp = httpx.post(
        url,
        content=workload.body(),
        headers={"Content-Type": "application/json"},
        timeout=30.0,
    )
    try:
        answer = orjson.loads(resp.content)
    except orjson.JSONDecodeError:
        raise AnswerError(f"HTTP {resp.status_code}, not JSON: {resp.text[:200]!r}") from None
    if resp.status_code != 200 or not isinstance(answer, dict) or "errors" in answer:
        raise AnswerError(f"HTTP {resp.status_code}: {resp.text[:300]}")
    return answer


def m1_problem(answer: Any) -> str | None:
    """None if ``answer`` is ``{"data": {"insertTwootOne": {"id": <int>}}}``."""
    try:
        new_id = answer["data"]["insertTwootOne"]["id"]
        shape_ok = answer == {"data": {"insertTwootOne": {"id": new_id}}}
    except (KeyError, TypeError):
        shape_ok, new_id = False, None
    if shape_ok and type(new_id) is int:
        return None
    return f"expected {{'data': {{'insertTwootOne': {{'id': <int>}}}}}}, got {_short(answer)}"


def diff(expected: Any, got: Any, limit: int = 16) -> list[str]:
    """A short unified diff of two parsed answers; empty if they are equal."""
    if expected == got:
        return []
    a = json.dumps(expected, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    b = json.dumps(got, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    lines = list(difflib.unified_diff(a, b, "floor", "omega", n=1, lineterm=""))
    if len(lines) > limit:
        lines = lines[:limit] + [f"... {len(lines) - limit} more diff lines"]
    return lines


def key_order_differs(expected: Any, got: Any) -> bool:
    """True if two equal answers list object keys in different orders."""
    return orjson.dumps(expected) != orjson.dumps(got)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:200] + "..."
