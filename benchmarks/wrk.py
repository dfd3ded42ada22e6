"""Drive ``wrk``: write its Lua scripts, run it pinned to CPU 1, parse its report."""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.workloads import Workload

LOAD_CPU = "1"
_STATIC = """-- {name}: the same POST for every request
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
"""
# The counter makes each insert's content distinct ("bench <n>"); init() takes the
# first n from the command line so warm-up and measured runs do not repeat contents.
_COUNTER = """-- {name}: a POST whose variables vary per request
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local prefix, suffix = [==[{prefix}]==], [==[{suffix}]==]
local n = 0
function init(args)
  n = tonumber(args[1]) or 0
end
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, prefix .. n .. suffix)
end
"""
_GET = """-- {name}: the same GET for every request
wrk.method = "GET"
"""
_MARK = 987654321


@dataclass(frozen=True)
class WrkResult:
    """One wrk run's figures."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "errors": self.errors}


def write_script(workload: Workload, directory: Path) -> Path:
    """Write the Lua script that sends ``workload`` and return its path."""
    if workload.method == "GET":
        text = _GET.format(name=workload.name)
    elif workload.mutation:
        # Split the body around a marker number, to splice the counter in its place.
        body = workload.body(workload.write_variables(_MARK)).decode()
        prefix, suffix = body.split(str(_MARK))
        text = _COUNTER.format(name=workload.name, prefix=prefix, suffix=suffix)
    else:
        text = _STATIC.format(name=workload.name, body=workload.body().decode())
    path = directory / f"{workload.name}.lua"
    path.write_text(text, encoding="utf-8")
    return path


def run(url: str, script: Path, duration: int, concurrency: int, first: int = 0) -> WrkResult:
    """Run wrk against ``url`` for ``duration`` seconds; raise RuntimeError on failure."""
    cmd = [
        "taskset", "-c", LOAD_CPU,
        "wrk", "-t1", f"-c{concurrency}", f"-d{duration}s", "--latency",
        "-s", str(script), url, "--", str(first),
    ]  # fmt: skip
    # Bounded even if wrk hangs: it is killed after its own duration plus a margin.
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk exited with {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return parse(proc.stdout)


_UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if m is None:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(m[1]) * _UNITS_MS[m[2]]


def parse(out: str) -> WrkResult:
    """Read requests/s, p50, p99 and error counts from wrk's ``--latency`` report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"^\s+(\d+) requests in", out, re.M)
    if not (rps and p50 and p99 and total):
        raise ValueError(f"unreadable wrk output:\n{out}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return WrkResult(
        requests_per_s=float(rps[1]),
        p50_ms=_ms(p50[1]),
        p99_ms=_ms(p99[1]),
        requests=int(total[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(g) for g in sock.groups()) if sock else 0,
    )
