"""Benchmark: reads and bookings together, on two server processes sharing one PostgreSQL database.

48 anonymous readers send the four app documents (bench/app_reads.py), round robin, each with an
`after` drawn from 100 values (apps share many variables, so the response cache sometimes
answers); 8 operators, each with its own token, hold a seat, confirm it and cancel every third
booking. Half the clients talk to each process. Prints requests/s in all, read and write p50/p99,
errors, and then checks the database: every booking a client was told about is stored with the
state it was last told. Server RSS is read before the run and every quarter of it: flat means
it stops growing once the caches (documents, plans, statements, connections) are warm.

    .venv/bin/python bench/mixed_load.py --postgres-admin-url postgresql://postgres@127.0.0.1:5432/test
        [--duration 120] [--readers 48] [--operators 8]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from app_documents import NEAR_ME, TOUR_LIST, TOUR_PAGE, VILLAGE_PAGE
from grow_catalog import Database, scratch_postgres
from harness import Processes, free_port, memory, operator_token, print_run_header

READS = [TOUR_LIST, TOUR_PAGE, VILLAGE_PAGE, NEAR_ME]
HOLD = """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename
  ... on HoldSeatsSuccess { booking { reference } } ... on UserError { code } } }"""
CONFIRM = """mutation($r: String!) { confirmBooking(input: { reference: $r }) { __typename } }"""
CANCEL = """mutation($r: String!) { cancelBooking(input: { reference: $r }) { __typename } }"""


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs JSON and reads the answer."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.port, self.token = port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, document: str, variables: dict[str, object]) -> tuple[int, dict]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        body = json.dumps({"query": document, "variables": variables}).encode()
        auth = f"Authorization: Bearer {self.token}\r\n" if self.token else ""
        head = (
            f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: application/json\r\n"
            f"{auth}Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return int(status_line.split()[1]), json.loads(await self.reader.readexactly(length))


class Tally:
    def __init__(self) -> None:
        self.reads: list[float] = []
        self.writes: list[float] = []
        self.errors: list[str] = []
        self.told: dict[str, str] = {}  # booking reference -> the state a client was last told


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


async def reader(port: int, number: int, until: float, tally: Tally, afters: list[str]) -> None:
    connection, turn = Connection(port), number
    while time.monotonic() < until:
        started = time.monotonic()
        status, answer = await connection.post(READS[turn % len(READS)], {"after": random.choice(afters)})
        tally.reads.append(time.monotonic() - started)
        if status != 200 or "errors" in answer:
            tally.errors.append(f"read {status}: {json.dumps(answer)[:300]}")
        turn += 1


async def operator(port: int, token: str, sessions: list[str], until: float, tally: Tally) -> None:
    connection, count = Connection(port, token), 0

    async def timed(document: str, variables: dict[str, object]) -> dict:
        started = time.monotonic()
        status, answer = await connection.post(document, variables)
        tally.writes.append(time.monotonic() - started)
        if status != 200 or "errors" in answer:
            tally.errors.append(f"write {status}: {json.dumps(answer)[:300]}")
        return answer.get("data") or {}

    while time.monotonic() < until:
        count += 1
        hold = {
            "sessionId": random.choice(sessions),
            "tickets": [{"category": "ADULT", "quantity": 1}],
            "contact": {"name": "Mixed"},
            "idempotencyKey": uuid.uuid4().hex,
        }
        held = (await timed(HOLD, {"i": hold})).get("holdSeats", {})
        if held.get("__typename") != "HoldSeatsSuccess":
            tally.errors.append(f"hold refused: {held}")
            continue
        reference = held["booking"]["reference"]
        tally.told[reference] = "HELD"
        if (await timed(CONFIRM, {"r": reference})).get("confirmBooking", {}).get(
            "__typename"
        ) == "ConfirmBookingSuccess":
            tally.told[reference] = "CONFIRMED"
        if (
            count % 3 == 0
            and (await timed(CANCEL, {"r": reference})).get("cancelBooking", {}).get("__typename")
            == "CancelBookingSuccess"
        ):
            tally.told[reference] = "CANCELLED"


async def load(ports: list[int], tokens: list[str], sessions: list[str], args: argparse.Namespace) -> Tally:
    tally = Tally()
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).replace(microsecond=0)
    afters = [(now + dt.timedelta(minutes=7 * i)).isoformat() for i in range(100)]
    until = time.monotonic() + args.duration
    tasks = [reader(ports[i % 2], i, until, tally, afters) for i in range(args.readers)]
    tasks += [operator(ports[i % 2], token, sessions, until, tally) for i, token in enumerate(tokens)]
    await asyncio.gather(*tasks)
    return tally


def start_server(procs: Processes, name: str, url: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {"DATABASE_URL": url, "HOST": "127.0.0.1", "PORT": str(port), "CRAFTWAY_MUTATIONS_PER_MINUTE": "100000000"}
    server = procs.start(name, [sys.executable, "server.py"], env)
    procs.wait_ready(name, server, f"http://127.0.0.1:{port}/healthz")
    return server, port


def prepare(url: str, operators: int) -> tuple[list[str], list[str]]:
    """Operator tokens, and sessions three days out or later (cancellable) with room for every booking."""
    tokens = [operator_token(url, f"Mixed {i}") for i in range(operators)]
    db = Database(url)
    try:
        later = db.literal(dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
        rows = db.fetch(
            f"SELECT id FROM tour_session WHERE status = 'SCHEDULED' AND starts_at > {later} ORDER BY id LIMIT 20"
        )
        db.execute("UPDATE tour_session SET capacity = 1000000")
    finally:
        db.close()
    sessions = [base64.urlsafe_b64encode(f"Session:{r[0]}".encode()).decode().rstrip("=") for r in rows]
    return tokens, sessions


def check_stored(url: str, tally: Tally) -> tuple[int, list[str]]:
    db = Database(url)
    try:
        stored = dict(db.fetch("SELECT reference, status FROM booking"))
    finally:
        db.close()
    wrong = [
        f"{ref}: told {state}, stored {stored.get(ref)}"
        for ref, state in tally.told.items()
        if stored.get(ref) != state
    ]
    return len(stored), wrong


class RssSamples:
    """The servers' RSS in MB, read now and then every `every` seconds until stopped."""

    def __init__(self, pids: list[int], every: float) -> None:
        self.pids = pids
        self.samples = [self.read()]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.sample_every, args=(every,), daemon=True)
        self.thread.start()

    def read(self) -> list[int]:
        return [round(memory(pid)["VmRSS"] / 1024) for pid in self.pids]

    def sample_every(self, every: float) -> None:
        while not self.stopping.wait(every):
            self.samples.append(self.read())

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()

    def series(self) -> list[list[int]]:
        return [list(column) for column in zip(*self.samples, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description="reads and bookings together on two server processes")
    parser.add_argument("--postgres-admin-url", required=True)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--readers", type=int, default=48)
    parser.add_argument("--operators", type=int, default=8)
    args = parser.parse_args()
    print_run_header()
    with scratch_postgres(args.postgres_admin_url, "craftway_mixed") as url:
        procs = Processes(Path(tempfile.mkdtemp(prefix="craftway-mixed-")))
        try:
            return run(procs, url, args)
        finally:
            procs.stop_all()


def run(procs: Processes, url: str, args: argparse.Namespace) -> int:
    first, port_a = start_server(procs, "craftway-a", url)
    second, port_b = start_server(procs, "craftway-b", url)
    tokens, sessions = prepare(url, args.operators)
    rss = RssSamples([first.pid, second.pid], args.duration / 4)
    started = time.monotonic()
    tally = asyncio.run(load([port_a, port_b], tokens, sessions, args))
    elapsed = time.monotonic() - started
    rss.stop()
    stored, wrong = check_stored(url, tally)
    total = len(tally.reads) + len(tally.writes)
    print(f"\n{args.readers} readers, {args.operators} operators, two processes, {elapsed:.0f} s")
    print(f"requests/s in all: {total / elapsed:.1f} (target 340)")
    print(
        f"reads:  {len(tally.reads)}, p50 {percentile(tally.reads, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(tally.reads, 0.99) * 1000:.0f} ms (target p99 < 500)"
    )
    print(
        f"writes: {len(tally.writes)}, p50 {percentile(tally.writes, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(tally.writes, 0.99) * 1000:.0f} ms (target p99 < 1000)"
    )
    print(f"errors: {len(tally.errors)}{' — first: ' + tally.errors[0] if tally.errors else ''}")
    print(f"bookings acknowledged: {len(tally.told)}, stored: {stored}, not as told: {len(wrong)} {wrong[:3]}")
    for pid, series in zip((first.pid, second.pid), rss.series(), strict=True):
        print(f"RSS of process {pid} (MB), before the run and at each quarter: {' → '.join(map(str, series))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
