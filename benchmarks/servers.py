"""Start one uvicorn server pinned to CPU 0, wait until it answers, and always stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SERVER_CPU = "0"
REPO_ROOT = Path(__file__).resolve().parent.parent


class ServerError(RuntimeError):
    """The server did not start, or stopped while being measured."""

    def __init__(self, reason: str, log: Path) -> None:
        super().__init__(f"{reason}; its log ends:\n{log_tail(log)}")
        self.reason = reason


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def log_tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextmanager
def running(
    app: str, env: dict[str, str], log: Path, ready_timeout: float = 60.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run ``uvicorn app`` and yield (base URL, process); stop it by its pid on exit."""
    port = free_port()
    cmd = [
        "taskset", "-c", SERVER_CPU,
        sys.executable, "-m", "uvicorn", app,
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1",  # explicit: WEB_CONCURRENCY could otherwise change it
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as out:
        # taskset execs uvicorn, so this pid is the server's own.
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(proc, base, log, ready_timeout)
        yield base, proc
    finally:
        stop(proc)


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"did not start (exit {proc.returncode})", log)
        try:
            httpx.get(f"{base}/graphql", timeout=2.0)  # any HTTP answer means it is up
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise ServerError(f"did not answer within {timeout:.0f} s", log)


def check_alive(proc: subprocess.Popen[bytes], log: Path) -> None:
    if proc.poll() is not None:
        raise ServerError(f"stopped (exit {proc.returncode})", log)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL after 10 s: only this process, by its pid."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
