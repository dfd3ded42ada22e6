"""Measure omega_gql against the hand-written floor and print a table.

Usage: python -m benchmarks.run [--duration 10] [--warmup 3] [--concurrency 16]
       [--users 1000] [--twoots 50000] [--only Q1,Q3] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks import check, data, servers, wrk
from benchmarks.workloads import WORKLOADS, Workload

FLOOR_APP = "benchmarks.floor:app"
FLOOR_PG_APP = "benchmarks.floor_pg:app"
OMEGA_APP = "examples.twooter.app:app"
# Distinct M1 contents per wrk run: "bench 1000001..." in warm-up, "bench 2000001..." measured.
WARMUP_FIRST, MEASURED_FIRST = 1_000_000, 2_000_000


@dataclass
class Outcome:
    """One workload on one server: figures, or why there are none or no ratio."""

    result: wrk.WrkResult | None = None
    problem: str | None = None
    mismatch: bool = False


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=int, default=10, help="measured seconds per workload")
    p.add_argument("--warmup", type=int, default=3, help="unmeasured seconds before each run")
    p.add_argument("--concurrency", type=int, default=16, help="wrk connections")
    p.add_argument("--users", type=int, default=1000)
    p.add_argument("--twoots", type=int, default=50000)
    p.add_argument("--only", default="", help="comma-separated workloads, e.g. Q1,Q3")
    p.add_argument("--db", type=Path, help="database file (default under benchmarks/.data/)")
    p.add_argument("--omega-app", default=OMEGA_APP, help="ASGI app measured against the floor")
    p.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="where both servers read and write (postgresql: on BENCH_PG_URL's server)",
    )
    args = p.parse_args(argv)
    if args.duration < 1 or args.warmup < 0 or args.concurrency < 1:
        p.error("--duration and --concurrency must be >= 1, --warmup >= 0")
    names = [n.strip().upper() for n in args.only.split(",") if n.strip()] or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        p.error(f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}")
    # Keep the canonical order whatever --only says: reads first, the mutation last.
    args.workloads = [w for n, w in WORKLOADS.items() if n in names]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool, package in (("wrk", "wrk"), ("taskset", "util-linux")):
        if shutil.which(tool) is None:
            print(f"{tool} not found; install it with: apt-get install -y {package}")
            return 2
    db: Path = args.db or data.default_path(args.users, args.twoots)
    if args.db and db.exists() and not data.has_size(db, args.users, args.twoots):
        print(f"{db} exists but has not {args.users} users and {args.twoots} twoots; "
              "not overwriting it", file=sys.stderr)  # fmt: skip
        return 2
    # Both cores are in use during a run: anything else running skews the figures.
    load = args.load_before = os.getloadavg()[0]
    if load > 0.5:
        print(f"WARNING: load average {load:.2f} before the run; other processes may skew it")
    built = data.ensure_database(db, args.users, args.twoots)
    print(f"database: {db} ({'built' if built else 'reused'})")
    floor_app = FLOOR_APP
    if args.database == "postgresql":
        from benchmarks import pg

        made = pg.ensure_template(db, args.users, args.twoots)
        args.template = pg.template_name(args.users, args.twoots)
        print(f"PostgreSQL: {args.template} on {pg.ADMIN_URL} ({'made' if made else 'reused'})")
        floor_app = FLOOR_PG_APP
    lua_dir = data.DATA_DIR / "lua"
    lua_dir.mkdir(parents=True, exist_ok=True)
    scripts = {w.name: wrk.write_script(w, lua_dir) for w in args.workloads}

    answers: dict[str, Any] = {}
    floor = measure("floor", floor_app, db, args, scripts, answers, None)
    omega = measure("omega", args.omega_app, db, args, scripts, {}, answers)
    rows = [row(w, floor[w.name], omega[w.name]) for w in args.workloads]
    print()
    print_table(rows)
    out = data.DATA_DIR / "last.json"
    out.write_text(json.dumps({"settings": settings(args, db), "workloads": rows}, indent=2) + "\n")
    print(f"\nfigures written to {out}")
    return 0


def measure(
    name: str,
    app: str,
    db: Path,
    args: argparse.Namespace,
    scripts: dict[str, Path],
    answers: dict[str, Any],
    reference: dict[str, Any] | None,
) -> dict[str, Outcome]:
    """Run every workload on one server, on its own copy of the database."""
    print(f"\n== {name} ({app})")
    # Both variables for either server, so that --omega-app may name the floor itself.
    if args.database == "postgresql":
        from benchmarks import pg

        copy_name = pg.fresh_copy(args.template, f"omega_bench_run_{name}")
        env = {
            "OMEGA_DATABASE_URL": pg.url(copy_name, sqlalchemy=True),
            "FLOOR_PG_URL": pg.url(copy_name),
        }
        copy = None
    else:
        copy = data.fresh_copy(db, f"run-{name}")
        env = {"OMEGA_DATABASE_URL": f"sqlite:///{copy}", "FLOOR_DB": str(copy)}
    log = data.DATA_DIR / f"{name}.log"
    outcomes: dict[str, Outcome] = {}
    try:
        with servers.running(app, env, log) as (base, proc):
            for w in args.workloads:
                outcomes[w.name] = measure_one(name, base, w, args, scripts,
                                               answers, reference)  # fmt: skip
                servers.check_alive(proc, log)
    except servers.ServerError as exc:
        print(f"ERROR: {name} server {exc}")
        reason = f"server {exc.reason}"
        for w in args.workloads:
            outcomes.setdefault(w.name, Outcome(problem=reason))
    finally:
        if copy is not None:
            data.remove_database(copy)
        else:
            pg.drop(copy_name)
    return outcomes


def measure_one(
    name: str,
    base: str,
    w: Workload,
    args: argparse.Namespace,
    scripts: dict[str, Path],
    answers: dict[str, Any],
    reference: dict[str, Any] | None,
) -> Outcome:
    """Check one workload's answer, then warm up and measure it with wrk."""
    outcome = Outcome()
    try:
        answer = check.fetch(base, w)
    except (check.AnswerError, httpx.HTTPError) as exc:
        print(f"ERROR: {name} {w.name} answered wrongly: {exc}")
        return Outcome(problem="bad answer")
    answers[w.name] = answer
    if w.mutation:
        problem = check.write_problem(w, answer)
        lines = [problem] if problem else []
    elif reference is None:
        lines = []  # the floor's answers are the reference
    elif w.name not in reference:
        lines = ["no floor answer to compare with"]
    else:
        lines = check.diff(reference[w.name], answer)
        if not lines and check.key_order_differs(reference[w.name], answer):
            print(f"NOTE: {name} {w.name} answers equal JSON with keys in another order")
    if lines:
        outcome.mismatch = True
        print(f"MISMATCH: {name} {w.name} (no ratio)")
        print("\n".join(f"    {line}" for line in lines))
    else:
        print(f"  {w.name}: answer ok")
    url = base + w.path
    try:
        if args.warmup:
            wrk.run(url, scripts[w.name], args.warmup, args.concurrency, WARMUP_FIRST)
        r = wrk.run(url, scripts[w.name], args.duration, args.concurrency, MEASURED_FIRST)
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
        print(f"ERROR: {name} {w.name} load run failed: {exc}")
        outcome.problem = "load run failed"
        return outcome
    outcome.result = r
    print(f"  {w.name}: {r.requests_per_s:,.0f} req/s, p50 {r.p50_ms:.2f} ms, "
          f"p99 {r.p99_ms:.2f} ms, errors {r.errors}")  # fmt: skip
    return outcome


def row(w: Workload, floor: Outcome, omega: Outcome) -> dict[str, Any]:
    """One table row as data (also what last.json holds)."""
    f, o = floor.result, omega.result
    ratio = o.requests_per_s / f.requests_per_s if f and o and f.requests_per_s else None
    note = ""
    if floor.problem or floor.mismatch:
        note, ratio = f"floor: {floor.problem or 'mismatch'}", None
    elif omega.problem:
        note, ratio = f"omega: {omega.problem}", None
    elif omega.mismatch:
        note, ratio = "omega: MISMATCH", None
    elif o and o.errors:
        note = "omega had errors"
    return {
        "workload": w.name,
        "floor": f.as_dict() if f else None,
        "omega": o.as_dict() if o else None,
        "ratio": ratio,
        "note": note,
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    head = ["workload", "floor req/s", "omega req/s", "ratio (omega/floor)",
            "omega p50 ms", "omega p99 ms", "errors"]  # fmt: skip
    body = [[r["workload"], _rps(r["floor"]), _rps(r["omega"]), _ratio(r),
             _num(r["omega"], "p50_ms"), _num(r["omega"], "p99_ms"), _errors(r)]
            for r in rows]  # fmt: skip
    widths = [max(len(str(c)) for c in col) for col in zip(head, *body, strict=True)]
    print("| " + " | ".join(h.ljust(n) for h, n in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (n + 2) for n in widths) + "|")
    for cells in body:
        print("| " + " | ".join(c.rjust(n) for c, n in zip(cells, widths, strict=True)) + " |")


def _rps(fig: dict[str, Any] | None) -> str:
    return f"{fig['requests_per_s']:,.0f}" if fig else "-"


def _num(fig: dict[str, Any] | None, key: str) -> str:
    return f"{fig[key]:.2f}" if fig else "-"


def _ratio(r: dict[str, Any]) -> str:
    if r["ratio"] is None:
        return r["note"] or "-"
    return f"{r['ratio']:.3f}" + (" *" if r["note"] else "")


def _errors(r: dict[str, Any]) -> str:
    parts = [f"{r['omega']['errors']}" if r["omega"] else "-"]
    if r["floor"] and r["floor"]["errors"]:
        parts.append(f"(floor {r['floor']['errors']})")
    return " ".join(parts)


def settings(args: argparse.Namespace, db: Path) -> dict[str, Any]:
    return {
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "concurrency": args.concurrency,
        "users": args.users,
        "twoots": args.twoots,
        "database": str(db) if args.database == "sqlite" else f"postgresql {args.template}",
        "omega_app": args.omega_app,
        "python": platform.python_version(),
        "load_average_before": args.load_before,
        "server_cpu": servers.SERVER_CPU,
        "load_cpu": wrk.LOAD_CPU,
    }


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # servers and wrk were already stopped on the way out
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
