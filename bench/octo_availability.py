"""Benchmark: what resellers poll most over OCTO, against the ceiling, from one load generator.

  calendar   POST /octo/availability/calendar: one product, 90 days
  day        POST /octo/availability: one product, one day
In interleaved rounds, each: the ceiling (bench/ceiling.py, a plain Starlette app on the same
server stack) answering the exact bytes Craftway answered, then Craftway. Both requests carry
octo/pricing and octo/content, as resellers send them; nothing caches /octo.

    .venv/bin/python bench/octo_availability.py [--postgres-admin-url postgresql://postgres@127.0.0.1:5432/test]
        [--rounds 2] [--duration 8] [--warmup 2] [--connections 16]

SQLite always runs (a temporary file); PostgreSQL too, in a fresh database made through the
admin URL and dropped afterwards, when one is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import urllib.parse
import uuid
from pathlib import Path

from grow_catalog import Database
from harness import BENCH, Processes, free_port, http, load_result, operator_token, print_run_header, start_load

PRODUCT = "ngu-xa-bronze-heritage"


def requests(base: str, headers: dict[str, str]) -> dict[str, dict[str, object]]:
    """90 days from tomorrow, and the first of them with sessions (the seed's start where it lies ahead)."""
    start = dt.date.today() + dt.timedelta(days=1)
    window = {"productId": PRODUCT, "optionId": "DEFAULT", "localDateStart": start.isoformat()}
    calendar = {**window, "localDateEnd": (start + dt.timedelta(days=89)).isoformat()}
    status, answer = http(base + "/octo/availability/calendar", json.dumps(calendar).encode(), headers)
    days = [d["localDate"] for d in json.loads(answer) if d["capacity"]] if status == 200 else []
    if not days:
        raise SystemExit(f"no sessions of {PRODUCT} in the 90 days from {start}: HTTP {status} {answer[:300]!r}")
    return {"calendar": calendar, "day": {**window, "localDateStart": days[0], "localDateEnd": days[0]}}


def start_craftway(procs: Processes, backend: str, database_url: str) -> tuple[str, str]:
    port = free_port()
    env = {"DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port)}
    server = procs.start(f"craftway-{backend}", [sys.executable, "server.py"], env)
    procs.wait_ready(f"craftway-{backend}", server, f"http://127.0.0.1:{port}/healthz")
    return f"http://127.0.0.1:{port}", operator_token(database_url, "Bench Reseller")


def measure(procs: Processes, args: argparse.Namespace, backend: str, database_url: str, rows: list) -> None:
    base, token = start_craftway(procs, backend, database_url)
    headers = {"Authorization": f"Bearer {token}", "Octo-Capabilities": "octo/pricing, octo/content"}
    options = {"connections": args.connections, "duration": args.duration, "warmup": args.warmup}
    for round_number in range(args.rounds):
        for label, body in requests(base, {"Content-Type": "application/json", **headers}).items():
            path = "/octo/availability/calendar" if label == "calendar" else "/octo/availability"
            payload = json.dumps(body).encode()
            status, answer = http(base + path, payload, {"Content-Type": "application/json", **headers})
            if status != 200:
                raise SystemExit(f"{backend} {label}: HTTP {status}: {answer[:500]!r}")
            port = free_port()
            name = f"ceiling-{backend}-{label}-{round_number}"
            ceiling = procs.start(
                name,
                [
                    sys.executable,
                    str(BENCH / "ceiling.py"),
                    "--body-file",
                    str(procs.body_file(answer)),
                    "--port",
                    str(port),
                ],
            )
            url = f"http://127.0.0.1:{port}/ceiling"
            procs.wait_ready(name, ceiling, url)
            top = load_result(
                procs, name + "-load", start_load(procs, name + "-load", url, procs.body_file(payload), **options), 120
            )
            procs.stop(ceiling)
            name = f"craftway-{backend}-{label}-{round_number}"
            load = start_load(
                procs,
                name,
                base + path,
                procs.body_file(payload),
                headers,
                **options,
                expect='"id"' if label == "day" else '"localDate"',
            )
            ours = load_result(procs, name, load, 120)
            rows.append((backend, label, len(answer), top, ours))


def report(rows: list) -> None:
    head = ("backend", "request", "bytes", "ceiling r/s", "craftway r/s", "p50 ms", "p99 ms", "share")
    print("\n{:<11} {:<9} {:>7} {:>12} {:>13} {:>7} {:>7} {:>7}".format(*head))
    for backend in dict.fromkeys(r[0] for r in rows):
        for label in ("calendar", "day"):
            mine = [r for r in rows if r[0] == backend and r[1] == label]
            if not mine:
                continue
            top = statistics.median(r[3]["rps"] for r in mine)
            ours = statistics.median(r[4]["rps"] for r in mine)
            p50 = statistics.median(r[4]["p50_ms"] for r in mine)
            p99 = statistics.median(r[4]["p99_ms"] for r in mine)
            bad = sum(r[4]["count"] - r[4]["good"] + r[4]["errors"] for r in mine)
            line = f"{backend:<11} {label:<9} {mine[0][2]:>7} {top:>12.1f} {ours:>13.1f}"
            line += f" {p50:>7.1f} {p99:>7.1f} {ours / top:>7.4f}"
            print(line + (f"  ({bad} bad answers)" if bad else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description="OCTO availability polling against the ceiling")
    parser.add_argument("--postgres-admin-url", help="also run on PostgreSQL, in a fresh database made here")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    print_run_header()
    workdir = Path(tempfile.mkdtemp(prefix="craftway-octo-"))
    procs = Processes(workdir)
    rows: list = []
    name = f"craftway_octo_{uuid.uuid4().hex[:10]}"
    try:
        measure(procs, args, "sqlite", f"sqlite:///{workdir / 'craftway.db'}", rows)
        if args.postgres_admin_url:
            admin = Database(args.postgres_admin_url)
            admin.execute(f'CREATE DATABASE "{name}"')
            admin.close()
            url = urllib.parse.urlsplit(args.postgres_admin_url)._replace(path=f"/{name}").geturl()
            measure(procs, args, "postgresql", url, rows)
        report(rows)
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        procs.stop_all()
        if args.postgres_admin_url:
            admin = Database(args.postgres_admin_url)
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
