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


def fetch(base: str, workload: Workload) -> Any:
    """Send the workload's request once (as wrk will) and return the parsed JSON answer,
    with ``base`` (which differs per server) taken out of the URLs a REST page links to."""
    # A generous timeout: a server may compile a document's plan on first sight.
    resp = httpx.request(
        workload.method,
        base + workload.path,
        content=workload.body() or None,
        headers={"Content-Type": "application/json"} if workload.method == "POST" else {},
        timeout=30.0,
    )
    try:
        answer = orjson.loads(resp.content)
    except orjson.JSONDecodeError:
        raise AnswerError(f"HTTP {resp.status_code}, not JSON: {resp.text[:200]!r}") from None
    expected = 201 if workload.rest and workload.mutation else 200
    if resp.status_code != expected or not isinstance(answer, dict) or "errors" in answer:
        raise AnswerError(f"HTTP {resp.status_code}: {resp.text[:300]}")
    for link in ("next", "previous"):
        if workload.rest and isinstance(answer.get(link), str):
            answer[link] = answer[link].removeprefix(base)
    return answer


def write_problem(workload: Workload, answer: Any) -> str | None:
    """None if a write answered its expected shape: M1 ``{"data": {"insertTwootOne":
    {"id": <int>}}}``, R3 the created twoot with its id, content and user."""
    if workload.rest:
        shape_ok = (
            isinstance(answer.get("id"), int)
            and str(answer.get("content", "")).startswith("bench ")
            and answer.get("user_id") == 7
            and set(answer) == {"id", "content", "posted_at", "user_id"}
        )
        return None if shape_ok else f"expected the created twoot, got {_short(answer)}"
    return m1_problem(answer)


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
