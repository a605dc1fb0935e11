"""Benchmark: throughput and p50/p99 latency of `bookSeats`, on SQLite and on PostgreSQL.

What: N clients (default 32, one keep-alive connection each) send `bookSeats` back to back, on a
random one of 50 upcoming sessions ("spread") or all on one session ("contention"), against one
server process on a fresh SQLite file and two on one fresh PostgreSQL database (clients alternate).
The load comes from this script re-run with --worker in its own OS process; the first 2 s are
warm-up. "ok req/s" counts successful bookings, p50/p99 are their latencies. After each scenario
the database must hold: seats_taken = seats of HELD+CONFIRMED bookings <= capacity for every
session, and one new CONFIRMED booking per success answered.

Why: booking is the write path and serialises (per session on PostgreSQL, per database on SQLite),
so spread vs. contended load and the backend decide what it sustains. Figures come from one run,
because shared machines are noisy: compare them within a run, not across runs.

    .venv/bin/python bench/booking_throughput.py [--backends sqlite,postgresql] [--duration 10]
        [--clients 32] [--postgres-admin-url postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import json
import math
import os
import random
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from harness import operator_token

ROOT = Path(__file__).resolve().parent.parent
WARMUP = 2.0
SESSIONS_QUERY = """{ tours(first: 20) { edges { node { slug
  sessions(first: 10, onlyAvailable: true) { edges { node { id capacity seatsAvailable } } } } } } }"""
BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename
  ... on BookSeatsSuccess { booking { reference } } ... on UserError { code message } } }"""
CONFIRMED_SQL = "SELECT COUNT(*) FROM booking WHERE status = 'CONFIRMED'"
INVARIANT_SQL = """SELECT s.id, s.seats_taken, s.capacity, COALESCE((SELECT SUM(b.seats) FROM booking b
  WHERE b.session_id = s.id AND b.status IN ('HELD', 'CONFIRMED')), 0) FROM tour_session s"""

# ---- the load generator: its own process (--worker), configuration as JSON on stdin ----


async def book(http, url: str, session_id: str, samples: list[str]) -> str:
    """One bookSeats; its outcome: success, a UserError code, http_NNN, transport_*, graphql_error."""
    booking = {
        "sessionId": session_id,
        "tickets": [{"category": "ADULT", "quantity": 1}],
        "contact": {"name": "Bench"},
        "idempotencyKey": uuid.uuid4().hex,
    }
    try:
        response = await http.post(url, json={"query": BOOK, "variables": {"i": booking}})
    except Exception as exc:  # noqa: BLE001 - a failed exchange is an outcome too
        outcome, detail = f"transport_{type(exc).__name__}", repr(exc)
    else:
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        result = (body.get("data") or {}).get("bookSeats")
        if response.status_code != 200:
            outcome, detail = f"http_{response.status_code}", response.text
        elif body.get("errors") or not result:
            outcome, detail = "graphql_error", response.text
        else:
            return "success" if result["__typename"] == "BookSeatsSuccess" else result.get("code", "?")
    if len(samples) < 5:  # keep the first few unexpected answers to show
        samples.append(f"{outcome}: {detail[:400]}")
    return outcome


async def client(url: str, token: str, session_ids: list[str], warm_end: float, end: float, stats: dict) -> None:
    import httpx2

    limits = httpx2.Limits(max_connections=1, max_keepalive_connections=1)  # one keep-alive connection
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(limits=limits, headers=headers, timeout=60, trust_env=False) as http:
        while time.perf_counter() < end:
            started = time.perf_counter()
            outcome = await book(http, url, random.choice(session_ids), stats["samples"])
            finished = time.perf_counter()
            stats["all_successes"] += outcome == "success"  # warm-up and tail included, for the invariant
            if started >= warm_end and finished <= end:
                stats["outcomes"][outcome] = stats["outcomes"].get(outcome, 0) + 1
                if outcome == "success":
                    stats["latencies"].append(finished - started)


def percentile_ms(ascending: list[float], fraction: float) -> float:
    """Nearest-rank percentile of durations in seconds, in milliseconds (0 when empty)."""
    return ascending[max(1, math.ceil(fraction * len(ascending))) - 1] * 1000 if ascending else 0.0


async def generate(cfg: dict) -> dict:
    stats: dict = {"all_successes": 0, "outcomes": {}, "latencies": [], "samples": []}
    start = time.perf_counter()
    warm_end, end = start + cfg["warmup"], start + cfg["warmup"] + cfg["duration"]
    urls = cfg["urls"]  # client i talks to server i % len(urls): clients alternate between processes
    await asyncio.gather(
        *(
            client(urls[i % len(urls)], cfg["token"], cfg["sessions"], warm_end, end, stats)
            for i in range(cfg["clients"])
        )
    )
    lat = sorted(stats.pop("latencies"))
    return {**stats, "rps": len(lat) / cfg["duration"], "p50": percentile_ms(lat, 0.5), "p99": percentile_ms(lat, 0.99)}


# ---- orchestration: databases, server processes, scenarios, checks ----


def spawn(procs: list, log: Path, argv: list[str], env: dict | None = None, pipes: bool = False):
    """Start a child in its own session (so Ctrl-C reaches only us), its output going to `log`."""
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stderr=out,
            stdin=subprocess.PIPE if pipes else subprocess.DEVNULL,
            stdout=subprocess.PIPE if pipes else out,
            start_new_session=True,
        )
    procs.append(proc)
    return proc


def stop(procs: list) -> None:
    """Terminate every child, then kill those still running 10 s later."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    procs.clear()


async def pg(url: str, query: str) -> list[tuple]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await conn.fetch(query)]  # autocommits
    finally:
        await conn.close()


def sql(url: str, query: str) -> list[tuple]:
    """Run one statement directly on the database (sqlite3 or asyncpg), committed."""
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as conn, conn:
            return conn.execute(query).fetchall()
    return asyncio.run(pg(url, query))


def start_servers(procs: list, logs: list[Path], db_url: str) -> list[str]:
    """One server process per log, started together (they migrate and seed concurrently); their URLs."""
    ports = []
    for _ in logs:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    # One operator token drives all the load: lift the per-token mutation rate limit for the run.
    env = {"DATABASE_URL": db_url, "HOST": "127.0.0.1", "CRAFTWAY_MUTATIONS_PER_MINUTE": "100000000"}
    servers = [
        spawn(procs, log, [sys.executable, "server.py"], {**env, "PORT": str(port)})
        for log, port in zip(logs, ports, strict=True)
    ]
    deadline = time.monotonic() + 120
    for log, port, proc in zip(logs, ports, servers, strict=True):
        while True:
            health = f"http://127.0.0.1:{port}/healthz"
            with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not get ready:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
    return [f"http://127.0.0.1:{port}/graphql" for port in ports]


def pick_sessions(url: str, token: str, count: int = 50) -> list[str]:
    """`count` distinct upcoming bookable sessions, taken round-robin across tours."""
    request = urllib.request.Request(
        url,
        json.dumps({"query": SESSIONS_QUERY}).encode(),
        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result = json.load(response)
    if result.get("errors"):
        raise SystemExit(f"sessions query failed: {result['errors']}")
    tours = [[s["node"]["id"] for s in t["node"]["sessions"]["edges"]] for t in result["data"]["tours"]["edges"]]
    mixed = [ids[i] for i in range(max(map(len, tours), default=0)) for ids in tours if i < len(ids)]
    if len(mixed) < count:
        raise SystemExit(f"only {len(mixed)} bookable sessions, need {count}")
    return mixed[:count]


def numeric_id(global_id: str) -> int:
    """The database id in an opaque id: base64url of "Session:<id>" without padding."""
    kind, _, pk = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode().partition(":")
    assert kind == "Session", global_id
    return int(pk)


def check_invariant(db_url: str, confirmed_before: int, successes: int) -> str:
    bad = [row for row in sql(db_url, INVARIANT_SQL) if row[1] != row[3] or row[1] > row[2]]
    problems = [f"session {i}: seats_taken={t} capacity={c} held+confirmed seats={s}" for i, t, c, s in bad[:10]]
    new_confirmed = sql(db_url, CONFIRMED_SQL)[0][0] - confirmed_before
    if new_confirmed != successes:
        problems.append(f"{successes} successful responses but {new_confirmed} new CONFIRMED bookings")
    return "OK" if not problems else "MISMATCH: " + "; ".join(problems)


def run_scenario(name: str, cfg: dict, db_url: str, procs: list, workdir: Path) -> dict:
    """Drive the servers from a worker process with `cfg`, then check the database."""
    before = sql(db_url, CONFIRMED_SQL)[0][0]
    log = workdir / f"{name}.log"
    proc = spawn(procs, log, [sys.executable, __file__, "--worker"], pipes=True)
    out, _ = proc.communicate(json.dumps(cfg).encode(), timeout=cfg["warmup"] + cfg["duration"] + 120)
    if proc.returncode != 0:
        raise SystemExit(f"load generator failed ({proc.returncode}):\n{log.read_text()[-3000:]}")
    result = json.loads(out)
    for text in result["samples"]:
        print(f"{name}: unexpected answer: {text}")
    result["check"] = check_invariant(db_url, before, result["all_successes"])
    print(f"{name}: invariant after {result['all_successes']} successes (warm-up included): {result['check']}")
    return result


def run_backend(backend: str, args: argparse.Namespace, procs: list, workdir: Path) -> list[tuple]:
    name, admin_url = f"craftway_bench_{uuid.uuid4().hex[:10]}", args.postgres_admin_url
    if backend == "sqlite":
        db_url = f"sqlite:///{workdir / name}.db"  # goes with the temp directory
    else:
        db_url = urllib.parse.urlsplit(admin_url)._replace(path=f"/{name}").geturl()
        sql(admin_url, f'CREATE DATABASE "{name}"')
    try:
        logs = [workdir / f"{backend}-server{n}.log" for n in range(1 if backend == "sqlite" else 2)]
        urls = start_servers(procs, logs, db_url)
        print(f"\n{backend}: {db_url}, {len(urls)} server process(es) ready")
        token = operator_token(db_url, "Bench Tours")
        spread = pick_sessions(urls[0], token)
        ids = ",".join(str(numeric_id(s)) for s in spread)
        sql(db_url, f"UPDATE tour_session SET capacity = 1000000 WHERE id IN ({ids})")
        print(f"raised capacity to 1000000 directly in the database for the {len(spread)} sessions used: {ids}")
        cfg = {"urls": urls, "token": token, "clients": args.clients, "duration": args.duration, "warmup": WARMUP}
        rows = [
            (
                backend,
                scenario,
                run_scenario(f"{backend}-{scenario}", {**cfg, "sessions": sessions}, db_url, procs, workdir),
            )
            for scenario, sessions in (("spread", spread), ("contention", spread[:1]))
        ]
        for text in (log.read_text(errors="replace") for log in logs):
            if "Traceback" in text or "ERROR" in text:
                print(f"warning: a {backend} server's log has errors:\n{text[-4000:]}")
        return rows
    finally:
        stop(procs)
        if backend == "postgresql":
            sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def print_table(rows: list[tuple]) -> None:
    head = f"{'backend':<11}{'scenario':<11}{'ok req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'success':>9}  {'other':<24}"
    print(f"\n{head} check\n" + "-" * (len(head) + 6))
    for backend, scenario, r in rows:
        other = " ".join(f"{k}={v}" for k, v in sorted(r["outcomes"].items()) if k != "success") or "-"
        print(
            f"{backend:<11}{scenario:<11}{r['rps']:>9.1f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
            f"{r['outcomes'].get('success', 0):>9}  {other:<24} {'OK' if r['check'] == 'OK' else 'FAIL'}"
        )
    print("other: UserError codes, http_NNN (non-200), transport_* (failed exchanges), graphql_error")


def main() -> int:
    parser = argparse.ArgumentParser(description="bookSeats throughput and latency on SQLite and PostgreSQL")
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--postgres-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:  # the load generator's process
        import uvloop

        print(json.dumps(uvloop.run(generate(json.load(sys.stdin)))))
        return 0
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not backends or set(backends) - {"sqlite", "postgresql"}:
        parser.error("--backends takes sqlite, postgresql or both, comma-separated")
    print("command:", shlex.join(sys.orig_argv))
    print("python: ", sys.version.replace("\n", " "))
    print("cpus:   ", os.cpu_count())
    print("date:   ", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    print(f"load:    {args.clients} clients, {WARMUP:g} s warm-up + {args.duration:g} s measured per scenario")
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM cleans up like Ctrl-C
    with tempfile.TemporaryDirectory(prefix="craftway-booking-bench-") as workdir:
        procs: list = []
        rows: list[tuple] = []
        try:
            for backend in backends:
                rows += run_backend(backend, args, procs, Path(workdir))
            print_table(rows)
            return 0 if all(r["check"] == "OK" for _, _, r in rows) else 1
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        finally:
            stop(procs)


if __name__ == "__main__":
    sys.exit(main())
