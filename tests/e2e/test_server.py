"""The real server: ``omega run`` and ``python -m examples.twooter`` on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


def start(
    command: list[str], port: int, tmp_path: Path, database_url: str | None = None
) -> subprocess.Popen[bytes]:
    url = database_url or f"sqlite:///{tmp_path / 'e2e.db'}"
    env = {**os.environ, "OMEGA_DATABASE_URL": url}
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text()
            pytest.fail(f"server exited early:\n{output}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/graphql?query={{__typename}}", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    pytest.fail("server did not answer within 20 s")


@pytest.fixture(params=["omega run", "python -m"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    if request.param == "omega run":
        command = [
            sys.executable,
            "-m",
            "omega_gql.cli",
            "run",
            "examples.twooter.app:app",
            "--port",
            str(port),
        ]
    else:
        command = [sys.executable, "-m", "examples.twooter", "--port", str(port)]
    process = start(command, port, tmp_path)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
