"""Benchmark: Craftway serving the mobile query, against the ceiling of its own HTTP stack.

What one run measures (ratio = Craftway req/s ÷ ceiling req/s, taken in the same round):
  (a) hot: the query mobile apps send most (up to 20 tours, each with its next 5 sessions), the
      same body every time;
  (b) cold: the same query with a new `startsAfter` on every request, so no cache can answer it;
  (c) page: `tours(first: 100)` with the same fields, cold, on the seed (13 tours) and grown data;
  (d) hot while a second client (its own process, one connection) books one seat after another,
      with unique idempotency keys, in a session the hot answer shows (capacity raised in the
      database); the bookings/s it achieved too. Its ceiling round runs without the booker;
  (e) growth: the cold query's p50 at one connection on the seed data and on 1,000 tours with
      200,000 sessions (bench/grow_catalog.py), and their ratio (target: at most 1.5);
  (f) each server process's peak RSS (VmHWM) and RSS after its runs, from /proc/<pid>/status.

Why ratios from one run: the machine is shared, small and noisy, so absolute requests/s move from
run to run; ceiling and Craftway back to back in the same round cancel most of that. The ceiling
(bench/ceiling.py) is a plain Starlette app on the same uvicorn stack returning the exact bytes
Craftway returned, so only Craftway's own work differs. Load comes from bench/loadgen.py, in its
own process, over loopback. `server.py` is started as a user starts it (it migrates and seeds),
with CRAFTWAY_MUTATIONS_PER_MINUTE lifted for the booker's single token, and restarted once the
catalogue is grown.

    .venv/bin/python bench/mobile_query.py [--database-url URL | --postgres-admin-url URL]
        [--duration 10] [--warmup 3] [--connections 32] [--skip-growth]

Without either URL a fresh temporary SQLite database is used and removed afterwards; with
--postgres-admin-url a fresh PostgreSQL database is created there and dropped afterwards. A
--database-url database should be empty: the run seeds it, books into it and grows it for good.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

from grow_catalog import Database, grow
from harness import BENCH, Processes, free_port, http, load_result, memory, operator_token, start_load

HANOI = dt.timezone(dt.timedelta(hours=7))
MOBILE_QUERY = """query Mobile($after: DateTime) { tours(first: 20) { totalCount edges { node {
  id slug title priceVnd durationMinutes languages
  village { name } center { name } district { name }
  sessions(first: 5, startsAfter: $after) { edges { node {
    id startsAt endsAt seatsAvailable availability } } }
} } } }"""
PAGE_QUERY = MOBILE_QUERY.replace("tours(first: 20)", "tours(first: 100)")
BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename
  ... on BookSeatsSuccess { booking { reference } } ... on UserError { code message } } }"""
VARY = "@VARY@"  # loadgen --vary replaces it by a new timestamp on every request


def body(query: str, after: str) -> bytes:
    return json.dumps({"query": query, "variables": {"after": after}}).encode()


def booking_body(session_pk: int) -> bytes:
    session_id = base64.urlsafe_b64encode(f"Session:{session_pk}".encode()).decode().rstrip("=")
    booking = {
        "sessionId": session_id,
        "tickets": [{"category": "ADULT", "quantity": 1}],
        "contact": {"name": "Bench"},
        "idempotencyKey": f"bench-{VARY}",
    }
    return json.dumps({"query": BOOK, "variables": {"i": booking}}).encode()


def check_answer(label: str, status: int, answer: bytes, first: int) -> int:
    """Fail unless the query answered cleanly; return the number of tours."""
    if status != 200:
        raise SystemExit(f"{label}: HTTP {status}: {answer[:2000]!r}")
    result = json.loads(answer)
    if result.get("errors"):
        raise SystemExit(f"{label}: errors: {json.dumps(result['errors'])[:2000]}")
    edges = result["data"]["tours"]["edges"]
    if not 0 < len(edges) <= first or any(len(e["node"]["sessions"]["edges"]) > 5 for e in edges):
        raise SystemExit(f"{label}: {len(edges)} tours (expected 1 to {first}), or a tour with over 5 sessions")
    return len(edges)


class Bench:
    """One run: its servers, the rows of results, and the `startsAfter` values handed out so far."""

    def __init__(self, args: argparse.Namespace, procs: Processes, database_url: str) -> None:
        self.args, self.procs, self.database_url = args, procs, database_url
        self.rows: list[tuple[str, str, dict, str]] = []
        self.warnings: list[str] = []
        self.memory: list[tuple[str, dict]] = []
        # Cold values: one second apart from now on; every run against Craftway gets values no
        # earlier request used, so no cache, in any process, has seen them.
        self.next_after = dt.datetime.now(HANOI).replace(microsecond=0) + dt.timedelta(minutes=1)
        self.hot_after = self.take(1)  # the hot query's one value
        self.first_after = self.next_after.isoformat()

    def take(self, count: int) -> str:
        first, self.next_after = self.next_after, self.next_after + dt.timedelta(seconds=count)
        return first.isoformat()

    def start_server(self, name: str) -> tuple[subprocess.Popen[bytes], str]:
        port, started = free_port(), time.monotonic()
        env = {"DATABASE_URL": self.database_url, "HOST": "127.0.0.1", "PORT": str(port)}
        env["CRAFTWAY_MUTATIONS_PER_MINUTE"] = "100000000"  # the booker's one token may book without limit
        server = self.procs.start(name, [sys.executable, "server.py"], env)
        self.procs.wait_ready(name, server, f"http://127.0.0.1:{port}/healthz")
        print(f"{name}: ready in {time.monotonic() - started:.1f} s (pid {server.pid})")
        return server, f"http://127.0.0.1:{port}/graphql"

    def stop_server(self, name: str, server: subprocess.Popen[bytes]) -> None:
        if server.poll() is not None:
            self.warnings.append(f"{name} exited early with {server.returncode}:\n{self.procs.log_tail(name)}")
        else:
            self.memory.append((name, memory(server.pid)))
        self.procs.stop(server)
        log = self.procs.log(name)
        if "Traceback" in log or "ERROR" in log:
            self.warnings.append(f"{name}'s log has errors (last 4000 characters):\n{log[-4000:]}")

    def load(self, name: str, url: str, data: bytes, **options: Any) -> dict:
        a = self.args
        options = {"connections": a.connections, "duration": a.duration, "warmup": a.warmup, **options}
        return self.finish(name, start_load(self.procs, name, url, self.procs.body_file(data), **options))

    def finish(self, name: str, child: subprocess.Popen[bytes]) -> dict:
        result = load_result(self.procs, name, child, self.args.warmup + self.args.duration + 60)
        problems = {k: result[k] for k in ("statuses", "error_samples", "bad_samples", "timed_out") if result[k]}
        if problems:
            self.warnings.append(f"{name}: {json.dumps(problems, ensure_ascii=False)[:1500]}")
        return result

    def compare(self, label: str, url: str, query: str, first: int, cold: bool, booker: Any = None) -> int:
        """A round: the ceiling with the bytes Craftway answers, then Craftway; returns the tours per answer."""
        after = self.take(1) if cold else self.hot_after
        status, answer = http(url, body(query, after))
        tours = check_answer(label, status, answer, first)
        ceiling_port = free_port()
        argv = [sys.executable, str(BENCH / "ceiling.py"), "--body-file", str(self.procs.body_file(answer)), "--port"]
        name = f"ceiling-{len(self.rows)}"
        ceiling = self.procs.start(name, [*argv, str(ceiling_port)])
        ceiling_url = f"http://127.0.0.1:{ceiling_port}/ceiling"
        data = body(query, VARY if cold else after)
        vary: dict[str, Any] = {"vary": VARY, "vary_start": self.next_after.isoformat()} if cold else {}
        try:
            self.procs.wait_ready(name, ceiling, ceiling_url)
            if http(ceiling_url, body(query, after))[1] != answer:
                raise SystemExit("the ceiling does not serve the same bytes as Craftway")
            top = self.load(f"{label}-ceiling", ceiling_url, data, reject='"errors"', **vary)
        finally:
            self.procs.stop(ceiling)
        if booker:
            booking = start_load(self.procs, "booker", url, self.procs.body_file(booker["body"]), **booker["options"])
        app = self.load(f"{label}-craftway", url, data, reject='"errors"', **vary)
        if cold:
            self.take(app["vary_used"])
        if booker:
            app["booker"] = self.finish("booker", booking)
        ratio = f"{app['rps'] / top['rps']:.3g}" if top["rps"] else "n/a"
        self.rows += [(label, "ceiling", top, ""), (label, "craftway", app, ratio)]
        return tours

    def p50(self, label: str, url: str) -> dict:
        """The cold mobile query at one connection, no ceiling."""
        status, answer = http(url, body(MOBILE_QUERY, self.take(1)))
        tours = check_answer(label, status, answer, 20)
        start = self.next_after.isoformat()
        result = self.load(label, url, body(MOBILE_QUERY, VARY), connections=1, vary=VARY, vary_start=start)
        self.take(result["vary_used"])
        return {**result, "tours": tours}


def prepare_booking(bench: Bench) -> dict[str, Any]:
    """An operator token, and a session the hot answer shows (first tour, booking open for 1 h+), capacity raised."""
    token = operator_token(bench.database_url, "Bench Tours")
    db = Database(bench.database_url)
    try:
        soon = db.literal(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
        rows = db.fetch(
            "SELECT id FROM tour_session WHERE tour_id = (SELECT MIN(id) FROM tour) AND status = 'SCHEDULED'"
            f" AND booking_closes_at > {soon} ORDER BY starts_at LIMIT 1"
        )
        if not rows:
            raise SystemExit("no bookable session in the first tour")
        db.execute(f"UPDATE tour_session SET capacity = 1000000 WHERE id = {rows[0][0]}")
    finally:
        db.close()
    options = {
        "connections": 1,
        "duration": bench.args.duration,
        "warmup": bench.args.warmup,
        "vary": VARY,
        "expect": "BookSeatsSuccess",
        "headers": {"Authorization": f"Bearer {token}"},
    }
    print(f"booker: session {rows[0][0]} (first tour), capacity raised to 1000000 in the database")
    return {"body": booking_body(rows[0][0]), "options": options}


def report(bench: Bench, p50s: dict[str, dict], tours: dict[str, int]) -> None:
    head = (
        f"{'scenario':<22} {'target':<9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-200':>7} "
        f"{'bad':>5} {'errors':>6} {'bytes':>7}  {'ratio':>6}"
    )
    print(f"\n{head}\n{'-' * len(head)}")
    for label, target, r, ratio in bench.rows:
        bad = r["count"] - r["good"]
        print(
            f"{label:<22} {target:<9} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['non_200']:>7} "
            f"{bad:>5} {r['errors']:>6} {r['response_bytes']:>7}  {ratio:>6}"
        )
    print('ratio = Craftway req/s ÷ ceiling req/s of the same round; bad = non-200 or a GraphQL "errors" answer')
    print(f"tours per answer: {', '.join(f'{k} {v}' for k, v in tours.items())}")
    print(f"startsAfter: hot {bench.hot_after}; cold values {bench.first_after} to {bench.take(0)}, each used once")
    for label, _, r, _ in bench.rows:
        if b := r.get("booker"):
            print(
                f"\n{label}: booking client (1 connection, own process): {b['good_rps']:.1f} bookings/s, "
                f"p50 {b['p50_ms']:.2f} ms, p99 {b['p99_ms']:.2f} ms, {b['count'] - b['good']} not successful "
                "(the ceiling round ran without it)"
            )
    if "seed" in p50s:
        seed = p50s["seed"]
        print("\n(e) cold mobile query, 1 connection:")
        for name, r in p50s.items():
            per = f"{r['rps']:.1f} req/s, {r['tours']} tours per answer"
            print(f"    {name:<5} p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, {per}")
        if grown := p50s.get("grown"):
            growth = grown["p50_ms"] / seed["p50_ms"] if seed["p50_ms"] else float("nan")
            print(f"    p50 grown ÷ p50 seed = {growth:.2f}")
            print(f"    target: at most 1.5 — {'met' if growth <= 1.5 else 'NOT met'}")
    print("\n(f) server memory after its runs (from /proc/<pid>/status):")
    for name, fields in bench.memory:
        print(f"    {name}: peak RSS (VmHWM) {fields['VmHWM'] / 1024:.1f} MB, RSS {fields['VmRSS'] / 1024:.1f} MB")
    for warning in bench.warnings:
        print(f"\nwarning: {warning}")


def run(bench: Bench) -> None:
    args, p50s, tours = bench.args, {}, {}
    print(f"load: {args.connections} connections, {args.warmup:g} s warm-up + {args.duration:g} s measured per run")
    server, url = bench.start_server("craftway-seed")
    booker = prepare_booking(bench)  # before any query, so no cache holds the old capacity
    tours["hot"] = bench.compare("(a) hot", url, MOBILE_QUERY, 20, cold=False)
    tours["cold"] = bench.compare("(b) cold", url, MOBILE_QUERY, 20, cold=True)
    tours["page seed"] = bench.compare("(c) page 100, seed", url, PAGE_QUERY, 100, cold=True)
    bench.compare("(d) hot + bookings", url, MOBILE_QUERY, 20, cold=False, booker=booker)
    p50s["seed"] = bench.p50("(e) p50 seed", url)
    bench.stop_server("craftway-seed", server)
    if not args.skip_growth:
        started = time.monotonic()
        done = grow(bench.database_url, 1000, 200_000)
        print(f"grow_catalog: {done} in {time.monotonic() - started:.1f} s")
        server, url = bench.start_server("craftway-grown")
        tours["page grown"] = bench.compare("(c) page 100, grown", url, PAGE_QUERY, 100, cold=True)
        p50s["grown"] = bench.p50("(e) p50 grown", url)
        bench.stop_server("craftway-grown", server)
    report(bench, p50s, tours)


def interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description="Craftway's mobile query vs. the ceiling of its stack")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="an empty database to use (default: a fresh temporary SQLite file)")
    where.add_argument(
        "--postgres-admin-url", help="create a fresh PostgreSQL database through this URL, drop it after"
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--skip-growth", action="store_true", help="skip (c) grown and (e)'s grown half")
    args = parser.parse_args()

    print("command:", shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv])))
    print("python: ", sys.version.replace("\n", " "))
    print("cpus:   ", os.cpu_count())
    print("date:   ", dt.datetime.now().astimezone().isoformat(timespec="seconds"))
    signal.signal(signal.SIGINT, interrupt)  # even if started with SIGINT ignored (e.g. `cmd &`)
    signal.signal(signal.SIGTERM, interrupt)  # clean up on SIGTERM as on Ctrl-C
    workdir = Path(tempfile.mkdtemp(prefix="craftway-bench-"))
    procs = Processes(workdir)
    fresh_pg = None
    try:
        database_url = args.database_url or f"sqlite:///{workdir / 'craftway.db'}"
        if args.postgres_admin_url:
            fresh_pg = f"craftway_bench_{uuid.uuid4().hex[:10]}"
            database_url = urllib.parse.urlsplit(args.postgres_admin_url)._replace(path=f"/{fresh_pg}").geturl()
            admin = Database(args.postgres_admin_url)
            admin.execute(f'CREATE DATABASE "{fresh_pg}"')
            admin.close()
        print("database:", database_url)
        run(Bench(args, procs, database_url))
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()
        if fresh_pg:
            admin = Database(args.postgres_admin_url)
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh_pg}" WITH (FORCE)')
            admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
