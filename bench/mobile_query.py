"""Benchmark: Craftway serving the mobile query, against the ceiling of its own HTTP stack.

What it measures: requests/s, p50 and p99 latency of the query mobile apps send most (up to
20 tours, each with its next 5 sessions), served by `server.py` started exactly as a user
starts it. Why a ceiling: a shared, 2-core machine is noisy, so absolute requests/s move from
run to run; the ratio Craftway ÷ ceiling, taken in the same round (ceiling then Craftway, back
to back), cancels most of that noise. The ceiling is a plain Starlette app on the same uvicorn
stack returning the exact bytes Craftway returned, so the response size is equal and only
Craftway's own work differs. The load comes from `bench/loadgen.py` in its own process,
over loopback.

    .venv/bin/python bench/mobile_query.py [--database-url URL] [--duration 10] [--warmup 3]
                                           [--connections 32] [--rounds 1]

Without --database-url a fresh temporary SQLite database is created (and removed afterwards).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HANOI = dt.timezone(dt.timedelta(hours=7))
MOBILE_QUERY = """query Mobile($after: DateTime) { tours(first: 20) { totalCount edges { node {
  id slug title priceVnd durationMinutes languages
  village { name } center { name } district { name }
  sessions(first: 5, startsAfter: $after) { edges { node {
    id startsAt endsAt seatsAvailable availability } } }
} } } }"""
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url: str, body: bytes | None = None, timeout: float = 10) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=HEADERS if body else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Processes:
    """Child processes, each in its own session (so Ctrl-C reaches only us), cleaned up on exit."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{name}.log", "wb")
        child = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.children.append((name, child))
        return child

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.workdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop_all(self) -> None:
        for _, child in self.children:
            if child.poll() is None:
                child.terminate()
        for _, child in self.children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def wait_ready(procs: Processes, name: str, child: subprocess.Popen[bytes], url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"{name} exited with {child.returncode}:\n{procs.log_tail(name)}")
        try:
            if http(url, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{name} not ready at {url} after {timeout:.0f} s:\n{procs.log_tail(name)}")


def check_mobile_response(body: bytes) -> int:
    """Fail unless the mobile query answered cleanly; return the number of tours."""
    result = json.loads(body)
    if result.get("errors"):
        raise SystemExit(f"mobile query returned errors: {json.dumps(result['errors'])[:2000]}")
    edges = result["data"]["tours"]["edges"]
    if not 0 < len(edges) <= 20:
        raise SystemExit(f"mobile query returned {len(edges)} tours, expected 1 to 20")
    for edge in edges:
        sessions = edge["node"]["sessions"]["edges"]
        if len(sessions) > 5:
            raise SystemExit(f"tour {edge['node']['slug']} has {len(sessions)} sessions, expected at most 5")
    return len(edges)


def drive(procs: Processes, name: str, url: str, body_file: Path, args: argparse.Namespace) -> dict:
    options = {
        "--url": url,
        "--method": "POST",
        "--body-file": str(body_file),
        "--connections": str(args.connections),
        "--duration": str(args.duration),
        "--warmup": str(args.warmup),
    }
    argv = [sys.executable, str(BENCH / "loadgen.py"), *(x for kv in options.items() for x in kv)]
    argv += [arg for name_, value in HEADERS.items() for arg in ("--header", f"{name_}: {value}")]
    child = procs.start(name, argv)
    child.wait(timeout=args.warmup + args.duration + 60)
    output = (procs.workdir / f"{name}.log").read_text().strip().splitlines()
    if child.returncode != 0 or not output:
        raise SystemExit(f"load generator failed ({child.returncode}):\n{procs.log_tail(name)}")
    return json.loads(output[-1])


def print_table(rows: list[tuple[int, str, dict, str]]) -> None:
    head = (
        f"{'round':>5}  {'target':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-200':>7} "
        f"{'errors':>6} {'bytes':>7}  {'ratio':>6}"
    )
    print(head)
    print("-" * len(head))
    for round_, target, r, ratio in rows:
        print(
            f"{round_:>5}  {target:<9} {r['rps']:>9.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
            f"{r['non_200']:>7} {r['errors']:>6} {r['response_bytes']:>7}  {ratio:>6}"
        )


def interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description="Craftway's mobile query vs. the ceiling of its stack")
    parser.add_argument("--database-url", help="default: a fresh temporary SQLite database")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per target and round")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    print("command:", shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv])))
    print("python: ", sys.version.replace("\n", " "))
    print("cpus:   ", os.cpu_count())
    print("date:   ", dt.datetime.now().astimezone().isoformat(timespec="seconds"))

    signal.signal(signal.SIGINT, interrupt)  # even if started with SIGINT ignored (e.g. `cmd &`)
    signal.signal(signal.SIGTERM, interrupt)  # clean up on SIGTERM as on Ctrl-C
    workdir = Path(tempfile.mkdtemp(prefix="craftway-bench-"))
    procs = Processes(workdir)
    try:
        database_url = args.database_url or f"sqlite:///{workdir / 'craftway.db'}"
        print("database:", database_url)
        port = free_port()
        started = time.monotonic()
        server = procs.start(
            "craftway",
            [sys.executable, "server.py"],
            {"DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port)},
        )
        wait_ready(procs, "craftway", server, f"http://127.0.0.1:{port}/healthz")
        print(f"craftway ready (migrate + seed) in {time.monotonic() - started:.1f} s")

        after = dt.datetime.now(HANOI).isoformat(timespec="seconds")
        request = json.dumps({"query": MOBILE_QUERY, "variables": {"after": after}}).encode()
        (request_file := workdir / "request.json").write_bytes(request)
        craftway_url = f"http://127.0.0.1:{port}/graphql"
        status, body = http(craftway_url, request)
        if status != 200:
            raise SystemExit(f"mobile query answered HTTP {status}: {body[:2000]!r}")
        tours = check_mobile_response(body)
        (response_file := workdir / "response.json").write_bytes(body)
        print(f"mobile query: {tours} tours, {len(body)} bytes, after={after}")

        ceiling_port = free_port()
        ceiling = procs.start(
            "ceiling",
            [
                sys.executable,
                str(BENCH / "ceiling.py"),
                "--body-file",
                str(response_file),
                "--port",
                str(ceiling_port),
            ],
        )
        ceiling_url = f"http://127.0.0.1:{ceiling_port}/ceiling"
        wait_ready(procs, "ceiling", ceiling, ceiling_url)
        if http(ceiling_url, request)[1] != body:
            raise SystemExit("the ceiling does not serve the same bytes as Craftway")

        print(
            f"load: {args.connections} connections, {args.warmup:g} s warm-up + "
            f"{args.duration:g} s measured per target, {args.rounds} round(s), "
            "loadgen in its own process\n"
        )
        rows = []
        for round_ in range(1, args.rounds + 1):
            top = drive(procs, f"loadgen-ceiling-{round_}", ceiling_url, request_file, args)
            app = drive(procs, f"loadgen-craftway-{round_}", craftway_url, request_file, args)
            ratio = f"{app['rps'] / top['rps']:.3g}" if top["rps"] else "n/a"
            rows += [(round_, "ceiling", top, ""), (round_, "craftway", app, ratio)]
            for result in (top, app):
                if result["errors"] or result["statuses"] or result["timed_out"]:
                    print(
                        f"warning: {result['url']}: statuses {result['statuses']}, "
                        f"errors {result['error_samples']}, timed out {result['timed_out']}"
                    )
        print_table(rows)
        print("\nratio = Craftway req/s ÷ ceiling req/s of the same round")
        if server.poll() is not None:
            print(f"warning: Craftway exited with {server.returncode}:\n{procs.log_tail('craftway')}")
        log = procs.log_tail("craftway", 1000)
        if "Traceback" in log or "ERROR" in log:
            print("\nwarning: Craftway's log has errors:\n" + log[-4000:])
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
