"""Benchmark: the four documents an app sends, written as an app writes them, answered by the
planner; side by side with PostGraphile 5 on the same PostgreSQL tables, from one load generator.

What one run measures, in interleaved rounds (each round: the ceiling with the exact bytes
Craftway answered, then Craftway, then PostGraphile where it has a twin):
  tour list   20 tours with village, center, district and the next 5 sessions (PostGraphile's
              twin: ../shared/peer/tours.graphql)                  target ≥ 1.0× PostGraphile
  tour page   tour(slug:) with prices, village, center and the next 20 sessions
  village     a village with its tours and the products made there
  near me     tours near a point with their next sessions
                                              targets: ≥ 0.03 of the ceiling (PostgreSQL), 0.02 (SQLite)
  page 100    the tour list with 100 tours                          target ≥ 1.0× PostGraphile's 100
  hot         the tour list with the same variables every time (the response cache answers)
                                                                    target ≥ 0.15 of the ceiling
  growth      the tour list's p50 at one connection, seed → 1,000 tours and 200,000 sessions
              (a grown copy of the seed, served by a second process; one client sends a
              request to each in turn, in three rounds, and the medians are compared)  target ≤ 1.3×
Cold requests carry a new `after` timestamp every time (loadgen --vary), so no cache answers.

    .venv/bin/python bench/app_reads.py --postgres-admin-url postgresql://postgres@127.0.0.1:5432/test
        [--sqlite] [--rounds 2] [--duration 8] [--warmup 2] [--connections 32] [--skip-growth] [--no-peer]

PostgreSQL runs in a fresh database created through the admin URL and dropped afterwards;
--sqlite also runs Craftway's rows on a temporary SQLite file. PostGraphile is installed by
../shared/peer/setup.sh (Node 22 from the npm registry); where that fails its rows are skipped
with a message.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from app_documents import DOCUMENTS, TOUR_LIST
from grow_catalog import Database, grow
from harness import BENCH, ROOT, Processes, free_port, http, load_result, print_run_header, start_load
from paired_latency import paired_latency

HANOI = dt.timezone(dt.timedelta(hours=7))
GROWTH_ROUNDS = 3
VARY = "@VARY@"
PEER = ROOT.parent / "shared" / "peer"

PEER_TOURS = (PEER / "tours.graphql").read_text() if (PEER / "tours.graphql").exists() else ""
PEER_DOCUMENTS = {"tour list": PEER_TOURS, "page 100": PEER_TOURS.replace("allTours(first: 20", "allTours(first: 100")}


def body(query: str, after: str) -> bytes:
    return json.dumps({"query": query, "variables": {"after": after}}).encode()


@dataclass
class Run:
    args: argparse.Namespace
    procs: Processes
    next_after: dt.datetime = field(default_factory=lambda: dt.datetime.now(HANOI).replace(microsecond=0))
    rows: list[tuple[str, str, str, dict]] = field(default_factory=list)  # backend, document, server, result
    warnings: list[str] = field(default_factory=list)

    def take(self, count: int) -> str:
        first, self.next_after = self.next_after, self.next_after + dt.timedelta(seconds=count)
        return first.isoformat()

    def load(self, name: str, url: str, template: bytes, cold: bool, connections: int | None = None) -> dict:
        a = self.args
        options: dict[str, object] = {
            "connections": connections or a.connections,
            "duration": a.duration,
            "warmup": a.warmup,
            "reject": '"errors"',
        }
        if cold:
            options |= {"vary": VARY, "vary_start": self.next_after.isoformat()}
        result = load_result(
            self.procs,
            name,
            start_load(self.procs, name, url, self.procs.body_file(template), **options),
            a.warmup + a.duration + 60,
        )
        if cold:
            self.take(result["vary_used"])
        if result["count"] != result["good"] or result["errors"]:
            self.warnings.append(f"{name}: {result['count'] - result['good']} bad answers, {result['errors']} errors")
        return result

    def answer(self, url: str, query: str, after: str) -> bytes:
        status, answer = http(url, body(query, after))
        if status != 200 or b'"errors"' in answer:
            raise SystemExit(f"{url}: HTTP {status}: {answer[:1500]!r}")
        return answer

    def ceiling(self, backend: str, label: str, answer: bytes, cold: bool, query: str) -> None:
        port = free_port()
        name = f"ceiling-{len(self.rows)}"
        body_file = self.procs.body_file(answer)
        argv = [sys.executable, str(BENCH / "ceiling.py"), "--body-file", str(body_file), "--port", str(port)]
        child = self.procs.start(name, argv)
        url = f"http://127.0.0.1:{port}/ceiling"
        try:
            self.procs.wait_ready(name, child, url)
            self.rows.append((backend, label, "ceiling", self.load(name, url, body(query, VARY), cold)))
        finally:
            self.procs.stop(child)

    def round(self, backend: str, craftway: str, peer: str | None) -> None:
        for label, query in DOCUMENTS.items():
            answer = self.answer(craftway, query, self.take(1))
            self.ceiling(backend, label, answer, True, query)
            self.rows.append(
                (backend, label, "craftway", self.load(f"{backend}-{label}", craftway, body(query, VARY), True))
            )
            if peer and label in PEER_DOCUMENTS:
                peer_query = PEER_DOCUMENTS[label]
                self.answer(peer, peer_query, self.take(1))
                self.rows.append(
                    (backend, label, "postgraphile", self.load(f"peer-{label}", peer, body(peer_query, VARY), True))
                )
        hot_after = self.take(1)
        answer = self.answer(craftway, TOUR_LIST, hot_after)
        self.ceiling(backend, "hot", answer, False, TOUR_LIST)
        self.rows.append(
            (backend, "hot", "craftway", self.load(f"{backend}-hot", craftway, body(TOUR_LIST, hot_after), False))
        )

    def paired_p50(self, backend: str, servers: dict[str, str]) -> None:
        """The tour list at one connection per server, a request to each in turn (every
        request with a new `after`), so both see the same moments of a noisy machine."""
        for url in servers.values():
            self.answer(url, TOUR_LIST, self.take(1))  # stops the run on a server that answers wrong
        results = paired_latency(servers, lambda: body(TOUR_LIST, self.take(1)), self.args.duration, self.args.warmup)
        for label, result in results.items():
            if result["count"] != result["good"] or result["errors"]:
                self.warnings.append(
                    f"{backend} {label}: {result['count'] - result['good']} bad answers, {result['errors']} errors"
                )
            self.rows.append((backend, label, "craftway", result))


def start_craftway(run: Run, name: str, database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {"DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port)}
    server = run.procs.start(name, [sys.executable, "server.py"], env)
    run.procs.wait_ready(name, server, f"http://127.0.0.1:{port}/healthz")
    return server, f"http://127.0.0.1:{port}/graphql"


def start_peer(run: Run, database_url: str) -> tuple[subprocess.Popen[bytes], str] | None:
    if run.args.no_peer or not PEER_TOURS:
        print("PostGraphile: skipped (--no-peer, or ../shared/peer is missing)")
        return None
    setup = subprocess.run([str(PEER / "setup.sh")], capture_output=True, text=True)
    if setup.returncode != 0 or shutil.which("psql") is None:
        print(f"PostGraphile: SKIPPED, Node 22 / postgraphile could not be installed:\n{setup.stderr[-1500:]}")
        return None
    port = free_port()
    child = run.procs.start("postgraphile", [str(PEER / "start.sh"), database_url, str(port)])
    url = f"http://127.0.0.1:{port}/graphql"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # it answers POSTed queries only
        if child.poll() is not None:
            raise SystemExit(f"PostGraphile exited:\n{run.procs.log_tail('postgraphile')}")
        try:
            if http(url, json.dumps({"query": "{ __typename }"}).encode())[0] == 200:
                return child, url
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"PostGraphile not ready:\n{run.procs.log_tail('postgraphile')}")


def measure(run: Run, backend: str, database_url: str) -> None:
    server, url = start_craftway(run, f"craftway-{backend}", database_url)
    peer = start_peer(run, database_url) if backend == "postgresql" else None
    for number in range(run.args.rounds):
        print(f"{backend}: round {number + 1} of {run.args.rounds}")
        run.round(backend, url, peer[1] if peer else None)
    run.procs.stop(server)
    if peer:
        run.procs.stop(peer[0])
    if not run.args.skip_growth:
        measure_growth(run, backend, database_url)


def measure_growth(run: Run, backend: str, database_url: str) -> None:
    """The tour list's p50 on the seed and on a grown copy of it, each served by its own process,
    a request to each in turn: both are measured under the same moments of a noisy machine."""
    grown_url = copy_database(backend, database_url, run.procs.workdir / "craftway-grown.db")
    try:
        started = time.monotonic()
        print(f"{backend}: grow_catalog {grow(grown_url, 1000, 200_000)} in {time.monotonic() - started:.0f} s")
        seed_server, seed = start_craftway(run, f"craftway-{backend}-seed", database_url)
        grown_server, grown = start_craftway(run, f"craftway-{backend}-grown", grown_url)
        for _ in range(GROWTH_ROUNDS):
            run.paired_p50(backend, {"p50 seed": seed, "p50 grown": grown})
        run.procs.stop(seed_server)
        run.procs.stop(grown_server)
    finally:
        if backend == "postgresql":
            drop_database(grown_url)


def copy_database(backend: str, url: str, sqlite_path: Path) -> str:
    """A copy of the (idle) database at `url`: PostgreSQL's CREATE DATABASE ... TEMPLATE, or
    SQLite's backup into `sqlite_path`."""
    if backend == "sqlite":
        source, target = sqlite3.connect(url.removeprefix("sqlite:///")), sqlite3.connect(sqlite_path)
        source.backup(target)
        source.close()
        target.close()
        return f"sqlite:///{sqlite_path}"
    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/')}_grown"
    admin = Database(parts._replace(path="/postgres").geturl())
    try:
        for attempt in range(20):  # an autovacuum worker may still be connected to the source
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{parts.path.lstrip("/")}"')
                break
            except Exception:
                if attempt == 19:
                    raise
                time.sleep(0.5)
    finally:
        admin.close()
    return parts._replace(path=f"/{name}").geturl()


def drop_database(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    admin = Database(parts._replace(path="/postgres").geturl())
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    finally:
        admin.close()


def median_rps(run: Run, backend: str, label: str, server: str) -> float | None:
    values = [r["rps"] for b, doc, s, r in run.rows if (b, doc, s) == (backend, label, server)]
    return statistics.median(values) if values else None


def report(run: Run) -> None:
    print(f"\n{'backend':<11} {'document':<10} {'server':<13} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'bad':>4}")
    for backend, label, server, r in run.rows:
        bad = r["count"] - r["good"]
        print(
            f"{backend:<11} {label:<10} {server:<13} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {bad:>4}"
        )
    print("\nratios (medians over rounds, every figure from this run):")
    for backend in ("postgresql", "sqlite"):
        if not any(row[0] == backend for row in run.rows):
            continue
        ceiling_target = 0.03 if backend == "postgresql" else 0.02
        for label in (*DOCUMENTS, "hot"):
            craftway, top = median_rps(run, backend, label, "craftway"), median_rps(run, backend, label, "ceiling")
            if craftway is None or not top:
                continue
            line = f"  {backend:<11} {label:<10} {craftway / top:.4f} of the ceiling"
            if label in ("tour page", "village", "near me"):
                line += f" (target {ceiling_target}: {'met' if craftway / top >= ceiling_target else 'NOT met'})"
            if label == "hot":
                line += f" (target 0.15: {'met' if craftway / top >= 0.15 else 'NOT met'})"
            peer = median_rps(run, backend, label, "postgraphile")
            if peer:
                ratio = craftway / peer
                line += f"; {ratio:.2f}× PostGraphile (target 1.0: {'met' if ratio >= 1.0 else 'NOT met'})"
            print(line)
        seed = [r["p50_ms"] for b, doc, _, r in run.rows if (b, doc) == (backend, "p50 seed")]
        grown = [r["p50_ms"] for b, doc, _, r in run.rows if (b, doc) == (backend, "p50 grown")]
        if seed and grown:
            seed_p50, grown_p50 = statistics.median(seed), statistics.median(grown)
            growth = grown_p50 / seed_p50
            print(
                f"  {backend:<11} tour list p50 {seed_p50:.2f} → {grown_p50:.2f} ms = {growth:.2f}× "
                f"(medians of {len(seed)} rounds, in turn; target 1.3: {'met' if growth <= 1.3 else 'NOT met'})"
            )
    for warning in run.warnings:
        print(f"warning: {warning}")


def main() -> int:
    parser = argparse.ArgumentParser(description="The app's documents on Craftway's planner, beside PostGraphile 5")
    parser.add_argument("--postgres-admin-url", required=True, help="creates a fresh database here, drops it after")
    parser.add_argument("--sqlite", action="store_true", help="also run Craftway on a temporary SQLite file")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--no-peer", action="store_true", help="leave PostGraphile out")
    args = parser.parse_args()
    print_run_header()
    workdir = Path(tempfile.mkdtemp(prefix="craftway-app-reads-"))
    run = Run(args, Processes(workdir))
    name = f"craftway_reads_{uuid.uuid4().hex[:10]}"
    admin = Database(args.postgres_admin_url)
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    try:
        measure(run, "postgresql", urllib.parse.urlsplit(args.postgres_admin_url)._replace(path=f"/{name}").geturl())
        if args.sqlite:
            measure(run, "sqlite", f"sqlite:///{workdir / 'craftway.db'}")
        report(run)
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        run.procs.stop_all()
        admin = Database(args.postgres_admin_url)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
