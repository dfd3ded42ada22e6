"""The README's curl commands for the REST API, run as written against ``omega run``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_server import OMEGA_RUN, ROOT, serving

#: The status each command of the README's REST block answers, in order.
EXPECTED = [200, 201, 201, 201, 200, 200, 200, 200, 200, 200, 200, 204, 400, 404, 405]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## The REST API", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    joined = block.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip().startswith("curl ")]


def test_the_readme_curl_commands_answer_as_documented(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    commands = readme_commands()
    assert len(commands) == len(EXPECTED), commands
    with serving(OMEGA_RUN, tmp_path) as base:
        statuses = []
        for command in commands:
            command = command.replace("http://127.0.0.1:8000", base)
            # The status on a last line of its own, after whatever the command prints.
            run = subprocess.run(
                command.replace("curl ", "curl -sS --max-time 10 -w '\\n%{http_code}' ", 1),
                shell=True,
                capture_output=True,
                text=True,
                timeout=20,
            )
            assert run.returncode == 0, (command, run.stderr)
            statuses.append(int(run.stdout.rsplit("\n", 1)[1]))
        assert statuses == EXPECTED, list(zip(commands, statuses, strict=True))
        # What the writes left: the second twoot edited twice, the third deleted.
        left = httpx.get(f"{base}/api/twoots/", timeout=10).json()
        assert [t["content"] for t in left["results"]] == ["hello world", "edited again"]
