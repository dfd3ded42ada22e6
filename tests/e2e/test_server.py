"""The real server: ``omega run`` and ``python -m examples.twooter`` on a free loopback port."""

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
import pytest
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


OMEGA_RUN = [sys.executable, "-m", "omega_gql.cli", "run", "examples.twooter.app:app"]
PYTHON_M = [sys.executable, "-m", "examples.twooter"]


@contextmanager
def serving(command: list[str], tmp_path: Path, database_url: str | None = None) -> Iterator[str]:
    """Run ``command --port <free port>`` from the repository root until it answers; yield its
    base URL; stop it (by its pid) afterwards."""
    port = free_port()
    url = database_url or f"sqlite:///{tmp_path / 'e2e.db'}"
    env = {**os.environ, "OMEGA_DATABASE_URL": url}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_answering(process, port, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/graphql?query={{__typename}}", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not answer within 20 s")


@pytest.fixture(params=["omega run", "python -m"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    command = OMEGA_RUN if request.param == "omega run" else PYTHON_M
    with serving(command, tmp_path) as base_url:
        yield base_url


def test_curl_style_chat_post_is_readable_over_graphql(server: str) -> None:
    response = httpx.post(f"{server}/chat", data={"user": "ann", "message": "hi there"})
    assert response.status_code == 201
    response = httpx.post(
        f"{server}/graphql",
        json={
            "query": "query($u: String!) { twoot(where: {user: {userName: {_eq: $u}}}) { content user { userName } } }",
            "variables": {"u": "ann"},
        },
    )
    assert response.json() == {
        "data": {"twoot": [{"content": "hi there", "user": {"userName": "ann"}}]}
    }


def test_gql_client_inserts_and_reads_back(server: str) -> None:
    client = Client(
        transport=HTTPXTransport(url=f"{server}/graphql"), fetch_schema_from_transport=True
    )
    with client as session:
        inserted = session.execute(
            gql(
                'mutation { insertUserOne(object: {userName: "bob", twoots: {data: [{content: "one"}, {content: "two"}]}}) { id } }'
            )
        )
        user_id = inserted["insertUserOne"]["id"]
        request = gql(
            "query($id: Int!) { userByPk(id: $id) { userName twootsAggregate { aggregate { count } } } }"
        )
        request.variable_values = {"id": user_id}
        result = session.execute(request)
    assert result == {
        "userByPk": {"userName": "bob", "twootsAggregate": {"aggregate": {"count": 2}}}
    }


def test_omega_schema_prints_the_sdl() -> None:
    output = subprocess.run(
        [sys.executable, "-m", "omega_gql.cli", "schema", "examples.twooter.app:app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "twootByPk(id: Int!): Twoot" in output
    assert "insertTwootOne(" in output
