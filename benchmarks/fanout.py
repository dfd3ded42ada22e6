"""WebSocket fan-out: N live subscribers on one server process, events at a fixed rate.

Usage: python -m benchmarks.fanout [--subscribers 1000,10000] [--scenario same,distinct]
       [--only omega|peer] [--duration 10] [--warmup 2] [--rate 10] [--drain 10]

Measures omega_gql (``examples.twooter.app:app``) and a plain strawberry server
(``benchmarks.fanout_peer:app``) with the same client and prints one table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson

from benchmarks import data, servers
from benchmarks.wrk import LOAD_CPU

APPS = {"omega": "examples.twooter.app:app", "peer": "benchmarks.fanout_peer:app"}
SCENARIOS = ("same", "distinct")
QUERIES = {
    "same": "subscription { twoot(orderBy: {id: DESC}, limit: 20) "
    "{ id content postedAt user { userName } } }",
    "distinct": "subscription($u: Int!) { twoot(where: {userId: {_eq: $u}}, "
    "orderBy: {id: DESC}, limit: 5) { id content } }",
}
MUTATION = (
    "mutation($c: String!, $u: Int!) { insertTwootOne(object: {content: $c, userId: $u}) { id } }"
)
#: users the "same" scenario's events are spread over (in "distinct" there is one per subscriber)
SAME_USERS = 100
SEED_TWOOTS = 20
#: what every event's content starts with; seeded rows never contain it
MARK = b"fanout "
#: WebSocket handshakes (and first results) under way at once while connecting
CONNECTING_AT_ONCE = 100


# ==== the load process: N subscribers on raw sockets ==================================
#
# One asyncio Protocol per socket with a hand-written WebSocket client (RFC 6455 frames,
# no extensions): the least work per received message a Python client can do, so that the
# client process keeps up with the server's fan-out. A message is timestamped once per
# socket read and parsed only as far as the newest row's content ("fanout <seq> <ns>").


def _client_frame(text: bytes, opcode: int = 0x1) -> bytes:
    """A client frame: masked, as clients must, with the all-zero key (payload as is)."""
    n = len(text)
    if n < 126:
        head = bytes((0x80 | opcode, 0x80 | n))
    elif n < 65536:
        head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
    return head + b"\0\0\0\0" + text


class Stats:
    """What all subscribers of the load process received."""

    def __init__(self) -> None:
        # Reset by "measure": from then on, every message carrying an event (the window's
        # messages, whichever event they show) and how many show a measured event.
        self.measure_from = 1 << 62
        self.delays = array("q")  # ns, receipt minus send, of each message
        self.measured = 0
        self.last_ns = 0
        self.errors: dict[str, int] = {}
        self.disconnects = 0
        self.quitting = False
        self.cpu_at_measure = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Subscriber(asyncio.Protocol):
    __slots__ = (
        "stats", "request", "subscribe", "user", "transport", "buf", "state",
        "ready", "top_seq", "target", "fragments",
    )  # fmt: skip

    def __init__(self, stats: Stats, request: bytes, subscribe: bytes, user: int) -> None:
        self.stats = stats
        self.request = request
        self.subscribe = subscribe
        self.user = user
        self.transport: asyncio.Transport | None = None
        self.buf = b""
        self.state = "handshake"  # then "init", "subscribed", "live", "closed"
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.top_seq = -1  # the event on top of the latest result
        self.target = -1
        self.fragments: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.state != "closed" and not self.stats.quitting:
            self.stats.disconnects += 1
        self._fail("connection lost")
        self.state = "closed"

    def _fail(self, reason: str) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(reason))

    def abort(self) -> None:
        self.state = "closed"
        if self.transport is not None:
            self.transport.abort()

    def data_received(self, data: bytes) -> None:
        now = time.time_ns()
        if self.buf:
            data = self.buf + data
            self.buf = b""
        if self.state == "handshake":
            end = data.find(b"\r\n\r\n")
            if end < 0:
                self.buf = data
                return
            head = data[:end].lower()
            if not head.startswith(b"http/1.1 101") or b"graphql-transport-ws" not in head:
                self.stats.error("handshake refused")
                self._fail(data[: data.find(b"\r\n")].decode(errors="replace"))
                self.abort()
                return
            data = data[end + 4 :]
            self.state = "init"
            assert self.transport is not None
            self.transport.write(_client_frame(b'{"type":"connection_init"}'))
        pos, n = 0, len(data)
        while n - pos >= 2:
            length = data[pos + 1] & 0x7F
            start = pos + 2
            if length == 126:
                if n - pos < 4:
                    break
                length = int.from_bytes(data[pos + 2 : pos + 4], "big")
                start = pos + 4
            elif length == 127:
                if n - pos < 10:
                    break
                length = int.from_bytes(data[pos + 2 : pos + 10], "big")
                start = pos + 10
            end = start + length
            if end > n:
                break
            self._frame(data[pos], data[start:end], now)
            pos = end
        if pos < n:
            self.buf = data[pos:]

    def _frame(self, b0: int, payload: bytes, now: int) -> None:
        opcode = b0 & 0x0F
        if opcode == 0x1 and b0 & 0x80:
            self._text(payload, now)
        elif opcode in (0x0, 0x1):  # a fragmented message
            self.fragments.append(payload)
            if b0 & 0x80:
                self._text(b"".join(self.fragments), now)
                self.fragments = []
        elif opcode == 0x9:  # ping: pong with the same payload
            assert self.transport is not None
            self.transport.write(_client_frame(payload, 0xA))
        elif opcode == 0x8:  # close
            code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            if not self.stats.quitting:
                self.stats.error(f"closed by server ({code})")
                self.stats.disconnects += 1
            self._fail(f"closed by server ({code})")
            self.abort()

    def _text(self, payload: bytes, now: int) -> None:
        if self.state == "live":
            i = payload.find(MARK)
            if i >= 0:
                j = payload.find(b'"', i)
                seq_text, _, ns_text = payload[i + 7 : j].partition(b" ")
                seq = int(seq_text)
                self.top_seq = seq
                stats = self.stats
                stats.delays.append(now - int(ns_text))
                stats.last_ns = now
                if seq >= stats.measure_from:
                    stats.measured += 1
                return
        try:
            message = orjson.loads(payload)
            kind = message.get("type")
        except (orjson.JSONDecodeError, AttributeError):
            self.stats.error("not JSON")
            return
        if kind == "ping":
            assert self.transport is not None
            self.transport.write(_client_frame(b'{"type":"pong"}'))
        elif kind == "pong":
            pass
        elif kind == "connection_ack" and self.state == "init":
            self.state = "subscribed"
            assert self.transport is not None
            self.transport.write(self.subscribe)
        elif kind == "next" and self.state == "subscribed":
            errors = message.get("payload", {}).get("errors")
            if errors:
                self.stats.error("errors in the first result")
                self._fail(str(errors)[:200])
                return
            i = payload.find(MARK)
            if i >= 0:
                self.top_seq = int(payload[i + 7 : payload.find(b" ", i + 7)])
            self.state = "live"
            if not self.ready.done():
                self.ready.set_result(None)
        elif kind == "next":
            self.stats.error("result without an event")
        elif kind in ("error", "complete"):
            self.stats.error(f"{kind} message")
            self._fail(str(message)[:200])
        else:
            self.stats.error(f"unexpected {kind!r} message")


class Load:
    """The load process: subscribers connected on command, figures reported on command."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.stats = Stats()
        self.subscribers: list[Subscriber] = []

    async def connect(self, n: int, timeout: float) -> dict[str, Any]:
        cfg = self.config
        host, port = "127.0.0.1", cfg["port"]
        request = (
            f"GET /graphql HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: ZmFub3V0LWJlbmNobWFyaw==\r\n"
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        ).encode()
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(CONNECTING_AT_ONCE)
        failures: dict[str, int] = {}
        started = time.monotonic()
        deadline = started + timeout

        async def one(i: int) -> None:
            user = i + 1 if cfg["scenario"] == "distinct" else 0
            payload: dict[str, Any] = {"query": cfg["query"]}
            if user:
                payload["variables"] = {"u": user}
            message = {"id": "1", "type": "subscribe", "payload": payload}
            sub = Subscriber(self.stats, request, _client_frame(orjson.dumps(message)), user)
            async with gate:
                try:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError
                    async with asyncio.timeout(left):
                        await loop.create_connection(lambda: sub, host, port)
                        await sub.ready
                except (OSError, TimeoutError) as exc:
                    reason = "timeout" if isinstance(exc, TimeoutError) else str(exc)[:120]
                    failures[reason] = failures.get(reason, 0) + 1
                    sub.abort()
                    return
            self.subscribers.append(sub)

        await asyncio.gather(*(one(i) for i in range(n)))
        return {
            "connected": len(self.subscribers),
            "failed": sum(failures.values()),
            "failures": failures,
            "seconds": round(time.monotonic() - started, 2),
        }

    async def wait(self, targets: list[list[int]], timeout: float) -> dict[str, Any]:
        """Until every subscriber shows the event its final result should have on top (those
        that no event of the phase concerns expect nothing: target -1)."""
        target = dict(map(tuple, targets))  # type: ignore[arg-type]
        for sub in self.subscribers:
            sub.target = target.get(sub.user, -1)
        started = time.monotonic()
        while True:
            late = [
                s
                for s in self.subscribers
                if s.target >= 0 and s.top_seq != s.target and s.state != "closed"
            ]
            elapsed = time.monotonic() - started
            if not late or elapsed >= timeout:
                return {
                    "done": not late,
                    "pending": len(late),
                    "seconds": round(elapsed, 3),
                    # [user, event on top, event expected] of a few late ones, to tell why
                    "sample": [[s.user, s.top_seq, s.target] for s in late[:5]],
                }
            await asyncio.sleep(0.02)

    def report(self) -> dict[str, Any]:
        st = self.stats
        delays = sorted(st.delays)

        def pct(p: float) -> float | None:
            if not delays:
                return None
            return delays[min(len(delays) - 1, int(p * len(delays)))] / 1e6

        return {
            "messages": len(delays),
            "measured": st.measured,
            # messages of events sent before the measured ones (a backlog still delivered)
            "stale": len(delays) - st.measured,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": delays[-1] / 1e6 if delays else None,
            "last_ns": st.last_ns,
            "errors": st.errors,
            "disconnects": st.disconnects,
            "open": sum(1 for s in self.subscribers if s.state == "live"),
            # this process's CPU since "measure": near 1 s/s, the client may be what limits
            "client_cpu_s": round(time.process_time() - st.cpu_at_measure, 2),
        }

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                break
            cmd = json.loads(line)
            name = cmd["cmd"]
            if name == "connect":
                reply = await self.connect(cmd["n"], cmd["timeout"])
            elif name == "wait":
                reply = await self.wait(cmd["targets"], cmd["timeout"])
            elif name == "measure":
                st = self.stats
                st.measure_from, st.delays, st.measured, st.last_ns = cmd["from"], array("q"), 0, 0
                st.cpu_at_measure = time.process_time()
                reply = {"ok": True}
            elif name == "report":
                reply = self.report()
            elif name == "quit":
                break
            else:
                reply = {"error": f"unknown command {name!r}"}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
        self.stats.quitting = True
        for sub in self.subscribers:
            sub.abort()
        sys.stdout.write('{"bye": true}\n')
        sys.stdout.flush()


def client_main(config_json: str) -> int:
    config = json.loads(config_json)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = config["n"] + 64
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            print(f"open files limited to {hard}; {want} needed", file=sys.stderr)
            return 2
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops this process
    asyncio.run(Load(config).serve())
    return 0


# ==== the orchestrating process ======================================================


class LoadProcess:
    """``python -m benchmarks.fanout --load-process`` pinned to the load CPU, driven by JSON
    lines on its stdin and answering on its stdout; stopped by its pid."""

    def __init__(self, config: dict[str, Any], log: Path) -> None:
        cmd = ["taskset", "-c", LOAD_CPU, sys.executable, "-m", "benchmarks.fanout",
               "--load-process", json.dumps(config)]  # fmt: skip
        with log.open("ab") as err:
            self.proc = subprocess.Popen(
                cmd,
                cwd=servers.REPO_ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
            )
        self._buf = b""

    def ask(self, command: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(command).encode() + b"\n")
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"the load process did not answer {command['cmd']!r}")
            readable, _, _ = select.select([fd], [], [], left)
            if readable:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise RuntimeError(f"the load process ended (exit {self.proc.wait(5)})")
                self._buf += chunk
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)  # type: ignore[no-any-return]

    def stop(self) -> None:
        """Ask it to quit; SIGTERM then SIGKILL by its pid if it does not."""
        if self.proc.poll() is None:
            try:
                self.ask({"cmd": "quit"}, 15)
                self.proc.wait(timeout=15)
            except (OSError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
                servers.stop(self.proc)


@contextmanager
def server(
    app: str, env: dict[str, str], log: Path, ws: str
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """Run ``uvicorn app`` pinned to the server CPU; yield (port, process); stop by pid."""
    port = servers.free_port()
    cmd = [
        "taskset", "-c", servers.SERVER_CPU,
        sys.executable, "-m", "uvicorn", app,
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--no-access-log", "--log-level", "warning",
        "--ws", ws, "--ws-per-message-deflate", "false", "--backlog", "4096",
    ]  # fmt: skip
    with log.open("wb") as out:
        # taskset execs uvicorn, so this pid is the server's own.
        proc = subprocess.Popen(
            cmd, cwd=servers.REPO_ROOT, env={**os.environ, **env}, stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            servers.check_alive(proc, log)
            try:
                httpx.get(f"http://127.0.0.1:{port}/graphql", timeout=2.0)
                break  # any HTTP answer means it is up
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise servers.ServerError("did not answer within 60 s", log) from None
                time.sleep(0.1)
        yield port, proc
    finally:
        servers.stop(proc)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_busy() -> float:
    """Seconds the server's CPU has been busy (all processes), from /proc/stat."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{servers.SERVER_CPU} "):
                ticks = [int(v) for v in line.split()[1:]]
                idle = ticks[3] + ticks[4]  # idle, iowait
                return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    return 0.0


def _others_on_server_cpu(before: float, after: float, server: float) -> float:
    """What else ran on the server's CPU meanwhile (the kernel's work for the server's
    sockets counts as the server's own only in part)."""
    return max(0.0, after - before - server)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def build_database(path: Path, users: int) -> None:
    """A fresh file: the Twooter tables, ``users`` users, ``SEED_TWOOTS`` twoots, WAL."""
    from sqlalchemy import create_engine

    from examples.twooter.models import Twoot, User  # noqa: F401 - registers the tables
    from omega_gql.orm import Model

    data.remove_database(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    try:
        Model.metadata.create_all(engine)
    finally:
        engine.dispose()
    con = sqlite3.connect(path)
    try:
        con.executemany(
            'INSERT INTO "user" (id, user_name, joined_at) VALUES (?, ?, ?)',
            [(i, f"user{i:05d}", "2026-01-01 00:00:00") for i in range(1, users + 1)],
        )
        con.executemany(
            "INSERT INTO twoot (id, content, posted_at, user_id) VALUES (?, ?, ?, ?)",
            [
                (i, f"seed twoot #{i}", f"2026-01-01 00:00:{i:02d}", (i - 1) % users + 1)
                for i in range(1, SEED_TWOOTS + 1)
            ],
        )
        con.execute("CREATE INDEX IF NOT EXISTS ix_twoot_user_id ON twoot (user_id)")
        con.commit()
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


class Writer:
    """Posts the events: ``insertTwootOne`` whose content is ``fanout <seq> <send ns>``.

    Open loop: each event is sent at its time whether or not the previous ones have been
    answered (a server that falls behind gets a backlog, not a slower writer)."""

    def __init__(self, url: str, users: int, rate: float, timeout: float = 30.0) -> None:
        self.url = url
        self.users = users
        self.rate = rate
        self.timeout = timeout
        self.ids: dict[int, int] = {}  # seq -> the inserted row's id
        self.latencies_ms: list[float] = []
        self.errors: dict[str, int] = {}

    def user_of(self, seq: int) -> int:
        return (seq - 1) % self.users + 1

    async def _post(self, client: httpx.AsyncClient, seq: int) -> None:
        sent = time.time_ns()
        variables = {"c": f"fanout {seq} {sent}", "u": self.user_of(seq)}
        try:
            r = await client.post(self.url, json={"query": MUTATION, "variables": variables})
            row = r.json().get("data", {}).get("insertTwootOne") if r.status_code == 200 else None
            if row is None:
                self._error(f"HTTP {r.status_code}: {r.text[:120]}")
            else:
                self.ids[seq] = int(row["id"])
        except (httpx.HTTPError, ValueError, AttributeError, KeyError, TypeError) as exc:
            self._error(type(exc).__name__)
        self.latencies_ms.append((time.time_ns() - sent) / 1e6)

    def _error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    async def _events(self, first: int, count: int) -> float:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        async with httpx.AsyncClient(timeout=self.timeout, limits=limits) as client:
            started = time.monotonic()
            tasks = []
            for k in range(count):
                pause = started + k / self.rate - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
                tasks.append(asyncio.ensure_future(self._post(client, first + k)))
            sent = time.monotonic() - started
            await asyncio.gather(*tasks)
        return sent

    def events(self, first: int, count: int) -> float:
        """``count`` events from ``first`` at ``rate`` per second; returns once all are
        answered (or timed out), with the seconds the sending took."""
        return asyncio.run(self._events(first, count))

    def targets(self, first: int, last: int, distinct: bool) -> list[list[int]]:
        """[user, seq] of the event a subscriber's final result shows on top: the committed
        one with the highest id (its user's, in "distinct"; user 0 stands for everyone)."""
        newest: dict[int, tuple[int, int]] = {}
        for seq in range(first, last + 1):
            row_id = self.ids.get(seq)
            if row_id is None:
                continue  # not committed, or not known to be
            key = self.user_of(seq) if distinct else 0
            if key not in newest or row_id > newest[key][0]:
                newest[key] = (row_id, seq)
        return [[key, seq] for key, (_, seq) in newest.items()]

    def committed(self, first: int, last: int) -> int:
        return sum(1 for seq in range(first, last + 1) if seq in self.ids)


def prime(port: int, scenario: str, writer: Writer) -> None:
    """One subscriber that gets its first result and leaves, and one event (seq 0): what a
    server builds once per document (plans, caches) is then not counted per connection."""
    from websockets.sync.client import connect

    payload: dict[str, Any] = {"query": QUERIES[scenario]}
    if scenario == "distinct":
        payload["variables"] = {"u": 1}
    with connect(
        f"ws://127.0.0.1:{port}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        compression=None,
        open_timeout=10,
    ) as ws:
        ws.send(json.dumps({"type": "connection_init"}))
        ack = json.loads(ws.recv(timeout=10))
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"no connection_ack: {ack}")
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        first = json.loads(ws.recv(timeout=10))
        if first.get("type") != "next" or first["payload"].get("errors"):
            raise RuntimeError(f"the subscription was refused: {str(first)[:300]}")
    writer.events(0, 1)
    if writer.errors:
        raise RuntimeError(f"the mutation failed: {writer.errors}")


def measure(name: str, scenario: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    """One server, one scenario, n subscribers: a fresh database and server process."""
    users = n if scenario == "distinct" else SAME_USERS
    reach = 1 / users if scenario == "distinct" else 1.0
    row: dict[str, Any] = {"server": name, "scenario": scenario, "subscribers": n,
                           "reach": reach, "problem": None}  # fmt: skip
    tag = f"fanout-{name}-{scenario}-{n}"
    db = data.DATA_DIR / f"{tag}.db"
    build_database(db, max(users, SAME_USERS))
    env = {"OMEGA_DATABASE_URL": f"sqlite:///{db}", "FANOUT_PEER_DB": str(db)}
    log = data.DATA_DIR / f"{tag}.log"
    warm = round(args.warmup * args.rate)
    count = max(1, round(args.duration * args.rate))
    connect_timeout = args.connect_timeout or 60 + n / 100
    load: LoadProcess | None = None
    try:
        with server(APPS[name], env, log, args.ws) as (port, proc):
            pid = proc.pid
            writer = Writer(f"http://127.0.0.1:{port}/graphql", users, args.rate)
            prime(port, scenario, writer)
            time.sleep(0.5)
            rss_before = rss_kib(pid)
            config = {"port": port, "scenario": scenario, "query": QUERIES[scenario],
                      "users": users, "n": n}  # fmt: skip
            load = LoadProcess(config, log)
            conn = load.ask({"cmd": "connect", "n": n, "timeout": connect_timeout},
                            connect_timeout + 30)  # fmt: skip
            row["connect"] = conn
            failed = f", {conn['failed']:,} failed {conn['failures']}" if conn["failed"] else ""
            print(f"  {conn['connected']:,} connected in {conn['seconds']:.1f} s{failed}")
            servers.check_alive(proc, log)
            if not conn["connected"]:
                row["problem"] = "no subscriber connected"
                return row
            time.sleep(1.0)  # let the server settle before reading its memory
            row["rss_before_kib"] = rss_before
            row["rss_idle_kib"] = rss_kib(pid)
            row["kib_per_idle_conn"] = (row["rss_idle_kib"] - rss_before) / conn["connected"]
            distinct = scenario == "distinct"
            if warm:
                writer.events(1, warm)
                targets = writer.targets(1, warm, distinct)
                w = load.ask({"cmd": "wait", "targets": targets, "timeout": args.drain},
                             args.drain + 30)  # fmt: skip
                row["warmup_drained"] = w["done"]
                row["warmup_wait"] = w
                if not w["done"]:
                    print(f"  warm-up not delivered to {w['pending']:,} subscribers "
                          f"within {args.drain:g} s")  # fmt: skip
            writer.latencies_ms.clear()
            first, last = warm + 1, warm + count
            load.ask({"cmd": "measure", "from": first}, 10)
            cpu0, cpu0_stat, t0 = cpu_seconds(pid), _cpu_busy(), time.time_ns()
            row["send_seconds"] = writer.events(first, count)
            targets = writer.targets(first, last, distinct)
            w = load.ask({"cmd": "wait", "targets": targets, "timeout": args.drain},
                         args.drain + 30)  # fmt: skip
            cpu1, t1 = cpu_seconds(pid), time.time_ns()
            rep = load.ask({"cmd": "report"}, 60)
            servers.check_alive(proc, log)
            row["rss_end_kib"] = rss_kib(pid)
            row["drained"] = w["done"]
            row["wait"] = w
            row["pending_at_end"] = w["pending"]
            row["events_acknowledged"] = writer.committed(first, last)
            others = _others_on_server_cpu(cpu0_stat, _cpu_busy(), cpu1 - cpu0)
            row["other_cpu0_s"] = others
            if others > 0.05 * (t1 - t0) / 1e9:
                print(f"  WARNING: other work used CPU {servers.SERVER_CPU} for {others:.1f} s "
                      "of the window; the server's figures may be skewed")  # fmt: skip
            row.update(_figures(rep, cpu1 - cpu0, t0, t1, count, n, users, scenario))
            row["report"] = rep
            lat = sorted(writer.latencies_ms)
            row["mutation_p50_ms"] = lat[len(lat) // 2] if lat else None
            row["writer_errors"] = dict(writer.errors)
    except (servers.ServerError, RuntimeError, TimeoutError, OSError) as exc:
        print(f"ERROR: {name} {scenario} {n}: {exc}")
        reason = exc.reason if isinstance(exc, servers.ServerError) else str(exc)
        row["problem"] = (f"server {reason}" if isinstance(exc, servers.ServerError)
                          else reason.splitlines()[0][:200])  # fmt: skip
    finally:
        if load is not None:
            load.stop()
        data.remove_database(db)
    return row


def _figures(
    rep: dict[str, Any], cpu: float, t0: int, t1: int, events: int, n: int, users: int,
    scenario: str,
) -> dict[str, Any]:  # fmt: skip
    # Every message received in the window counts for the rate, the delays and the CPU;
    # "delivered" of "expected" only those showing a measured event. Expected: one message
    # per event per subscriber it reaches (omega_gql may merge a backlog into one).
    messages = rep["messages"]
    expected = events * n if scenario == "same" else events * (n // users)
    end = rep["last_ns"] or t1
    window = max(1e-9, (end - t0) / 1e9)
    return {
        "events": events,
        "expected": expected,
        "messages": messages,
        "delivered": rep["measured"],
        "stale": rep["stale"],
        "delivered_per_s": messages / window,
        "delivery_window_s": window,
        "p50_ms": rep["p50_ms"],
        "p99_ms": rep["p99_ms"],
        "max_ms": rep["max_ms"],
        "server_cpu_s": cpu,
        "cpu_us_per_msg": cpu * 1e6 / messages if messages else None,
        "errors": sum(rep["errors"].values()),
        "disconnects": rep["disconnects"],
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.fanout", description=__doc__.split("\n")[0]
    )
    p.add_argument("--subscribers", default="1000,10000", help="comma-separated counts")
    p.add_argument("--scenario", default="same,distinct", help="same, distinct or both")
    p.add_argument("--only", choices=("omega", "peer"), help="one server only")
    p.add_argument("--duration", type=float, default=10, help="measured seconds of events")
    p.add_argument("--warmup", type=float, default=2, help="seconds of events before")
    p.add_argument("--rate", type=float, default=10, help="events per second")
    p.add_argument("--drain", type=float, default=10,
                   help="seconds to wait for deliveries after the last event")  # fmt: skip
    p.add_argument("--connect-timeout", type=float, default=0,
                   help="seconds to connect all subscribers (default 60 + N/100)")  # fmt: skip
    p.add_argument("--ws", default="websockets-sansio",
                   help="uvicorn's --ws implementation for both servers")  # fmt: skip
    args = p.parse_args(argv)
    try:
        args.counts = [int(c.replace("_", "")) for c in args.subscribers.split(",") if c.strip()]
    except ValueError:
        p.error("--subscribers takes comma-separated integers, e.g. 1000,10000")
    if not args.counts or min(args.counts) < 1:
        p.error("--subscribers must name at least one count >= 1")
    args.scenarios = [s.strip() for s in args.scenario.split(",") if s.strip()]
    if not args.scenarios or any(s not in SCENARIOS for s in args.scenarios):
        p.error(f"--scenario takes {', '.join(SCENARIOS)} (comma-separated)")
    if args.duration <= 0 or args.rate <= 0 or args.warmup < 0 or args.drain < 0:
        p.error("--duration and --rate must be > 0, --warmup and --drain >= 0")
    args.servers = [args.only] if args.only else list(APPS)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--load-process"]:
        return client_main(argv[1])
    args = parse_args(argv)
    if shutil.which("taskset") is None:
        print("taskset not found; install it with: apt-get install -y util-linux")
        return 2
    # Children inherit the limit: each side of 10,000 sockets needs as many descriptors.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = max(args.counts) + 256
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            print(f"open files are limited to {hard}; {need} are needed (ulimit -Hn)")
            return 2
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    os.sched_setaffinity(0, {int(LOAD_CPU)})  # the writer runs here: on the load CPU
    load = args.load_before = os.getloadavg()[0]
    if load > 0.5:
        print(f"WARNING: load average {load:.2f} before the run; other processes may skew it")
    started = time.monotonic()
    rows = []
    for name in args.servers:
        for scenario in args.scenarios:
            for n in args.counts:
                print(f"\n== {name} {scenario} {n:,} subscribers")
                r = measure(name, scenario, n, args)
                rows.append(r)
                if r.get("delivered") is not None:
                    print(f"  {r['delivered']:,} of {r['expected']:,} messages, "
                          f"{r['delivered_per_s']:,.0f}/s, p50 {_ms(r['p50_ms'])} ms, "
                          f"p99 {_ms(r['p99_ms'])} ms, {_us(r)} µs CPU/msg")  # fmt: skip
    print()
    print_table(rows)
    out = data.DATA_DIR / "fanout.json"
    settings = {
        "duration_s": args.duration, "warmup_s": args.warmup, "rate_per_s": args.rate,
        "drain_s": args.drain, "ws": args.ws, "per_message_deflate": False,
        "server_cpu": servers.SERVER_CPU, "load_cpu": LOAD_CPU,
        "python": platform.python_version(), "load_average_before": args.load_before,
        "seconds": round(time.monotonic() - started, 1), "code": _code_version(),
    }  # fmt: skip
    out.write_text(json.dumps({"settings": settings, "rows": rows}, indent=2) + "\n")
    print(f"\nfigures written to {out} ({settings['seconds']:.0f} s)")
    return 0


def _code_version() -> str:
    """The commit measured, with "+changes" if the package differs from it."""
    try:

        def git(*a: str) -> str:
            return subprocess.run(["git", *a], cwd=servers.REPO_ROOT, capture_output=True,
                                  text=True, timeout=10, check=True).stdout.strip()  # fmt: skip

        dirty = git("status", "--porcelain", "--", "omega_gql", "examples")
        return git("rev-parse", "--short", "HEAD") + ("+changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _ms(v: float | None) -> str:
    return "-" if v is None else f"{v:,.1f}"


def _us(r: dict[str, Any]) -> str:
    v = r.get("cpu_us_per_msg")
    return "-" if v is None else f"{v:,.1f}"


def print_table(rows: list[dict[str, Any]]) -> None:
    head = ["server", "scenario", "subscribers", "reach/event", "delivered msg/s",
            "delivered/expected", "p50 ms", "p99 ms", "CPU µs/msg", "KiB/idle conn",
            "errors"]  # fmt: skip
    body = []
    for r in rows:
        reach = "all" if r["reach"] == 1 else f"1/{round(1 / r['reach']):,}"
        if r.get("delivered") is None:
            cells = [r["server"], r["scenario"], f"{r['subscribers']:,}", reach,
                     *(["-"] * 6), r.get("problem") or "-"]  # fmt: skip
        else:
            errors = f"{r['errors']}"
            if r["disconnects"]:
                errors += f" ({r['disconnects']} disconnects)"
            if r["writer_errors"]:
                errors += f" (writer {sum(r['writer_errors'].values())})"
            if r["connect"]["failed"]:
                errors += f" ({r['connect']['failed']} not connected)"
            kib = r.get("kib_per_idle_conn")
            cells = [
                r["server"], r["scenario"], f"{r['subscribers']:,}", reach,
                f"{r['delivered_per_s']:,.0f}",
                f"{100 * r['delivered'] / r['expected']:.0f}%" if r["expected"] else "-",
                _ms(r["p50_ms"]), _ms(r["p99_ms"]), _us(r),
                "-" if kib is None else f"{kib:,.1f}", errors,
            ]  # fmt: skip
        body.append(cells)
    widths = [max(len(str(c)) for c in col) for col in zip(head, *body, strict=True)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for cells in body:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)) + " |")
    notes = []
    for r in rows:
        what = f"{r['server']} {r['scenario']} {r['subscribers']:,}"
        if r.get("stale"):
            share = 100 * r["stale"] / r["messages"]
            notes.append(f"{what}: {share:.0f}% of the window's messages were of warm-up "
                         "events still queued")  # fmt: skip
        if r.get("warmup_drained") is False:
            notes.append(f"{what}: the warm-up was not delivered within --drain")
        if r.get("other_cpu0_s", 0) > 0.05 * r.get("delivery_window_s", 1e9):
            notes.append(f"{what}: other work used the server's CPU for "
                         f"{r['other_cpu0_s']:.1f} s of the window")  # fmt: skip
    for note in notes:
        print(f"  note: {note}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # servers and load processes were stopped on the way out
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
