"""A small closed-loop HTTP/1.1 load generator, meant to run as its own OS process.

It measures the throughput (requests/s) and latency (p50, p99) that one server sustains when
`--connections` persistent keep-alive connections each send the same request back to back
(the next one as soon as the previous answer has arrived). It is deliberately minimal — one
precomputed request, raw asyncio streams (uvloop when importable), only the status line and
Content-Length are parsed — so that on a small machine the generator costs as little CPU as
possible and the server, not the generator, is what gets measured.

With `--vary TOKEN` every request is distinct, so that no response cache can answer it: the
body is a template and TOKEN is replaced, request after request, by the next ISO 8601 timestamp,
starting at `--vary-start` (default: now, +07:00) and `--vary-step` seconds (default 1) apart —
never repeating. They are rendered cheaply (a pre-rendered date per day and one of 86,400
pre-rendered times of day) and also serve as unique idempotency keys.
`--expect TEXT` / `--reject TEXT` count a 200 answer as "good" only if its body contains /
lacks TEXT (e.g. a GraphQL success type, or '"errors"'); the first few others are sampled.

Requests that start during the first `--warmup` seconds are sent but not recorded; then
requests are recorded for `--duration` seconds (a request counts if it starts and finishes in
that window). Prints one JSON line:

    python bench/loadgen.py --url http://127.0.0.1:8000/graphql --method POST \
        --body-file req.json --header 'Content-Type: application/json' \
        --connections 32 --duration 10 --warmup 3 [--vary @AFTER@] [--reject '"errors"']
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import sys
import time
from urllib.parse import urlsplit

try:
    import uvloop
except ImportError:  # plain asyncio works, only slower
    uvloop = None  # type: ignore[assignment]


def build_head(url: str, method: str, headers: dict[str, str]) -> tuple[str, int, bytes]:
    """Return (host, port, request head up to, without, Content-Length and the blank line)."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise SystemExit(f"only http:// URLs are supported, not {url!r}")
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return host, port, "".join(f"{line}\r\n" for line in lines).encode("latin-1")


def with_body(head: bytes, method: str, body: bytes) -> bytes:
    if body or method in ("POST", "PUT", "PATCH"):
        return b"%sContent-Length: %d\r\n\r\n%s" % (head, len(body), body)
    return head + b"\r\n"


class Requests:
    """The request to send next: always the same one, or with --vary a fresh one each time."""

    def __init__(self, head: bytes, method: str, body: bytes, vary: bytes | None, values: Timestamps | None) -> None:
        self.head, self.method = head, method
        self.fixed = None if vary else with_body(head, method, body)
        self.parts = body.split(vary) if vary else []
        self.values = values
        self.used = 0

    def next(self) -> bytes:
        if self.fixed is not None:
            return self.fixed
        assert self.values is not None
        value = self.values(self.used)
        self.used += 1
        return with_body(self.head, self.method, value.join(self.parts))


class Timestamps:
    """Timestamp number i: `start` + i * `step` seconds, ISO 8601 in whole seconds with start's UTC offset."""

    def __init__(self, start: dt.datetime, step: int) -> None:
        if start.utcoffset() is None:
            raise SystemExit("--vary-start needs a UTC offset, e.g. 2026-11-30T02:20:35+07:00")
        local = start.replace(tzinfo=None)
        self.midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        self.first, self.step = (local - self.midnight).seconds, step
        self.times = [b"T%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86_400)]
        self.offset = start.isoformat(timespec="seconds")[19:].encode()  # "+07:00"
        self.dates: dict[int, bytes] = {}

    def __call__(self, i: int) -> bytes:
        day, second = divmod(self.first + i * self.step, 86_400)
        if (date := self.dates.get(day)) is None:
            date = self.dates[day] = (self.midnight + dt.timedelta(days=day)).date().isoformat().encode()
        return date + self.times[second] + self.offset


def content_length(head: bytes) -> int:
    """The Content-Length of a lowercased response head (status line and headers)."""
    start = head.find(b"\r\ncontent-length:")
    if start < 0:
        raise ValueError("response without Content-Length: " + head[:200].decode("latin-1"))
    start += 17
    return int(head[start : head.index(b"\r\n", start)])


class Stats:
    def __init__(self, expect: bytes | None = None, reject: bytes | None = None) -> None:
        self.expect, self.reject = expect, reject
        self.good = 0  # 200 answers passing --expect / --reject
        self.bad_samples: list[str] = []
        self.latencies: list[float] = []
        self.non_200 = 0
        self.statuses: dict[int, int] = {}
        # Connection-level failures (reset, EOF, bad response); the connection is reopened.
        self.errors = 0
        self.error_samples: list[str] = []
        self.body_bytes = 0

    def check(self, status: int, body: bytes) -> None:
        if status == 200 and (not self.expect or self.expect in body) and not (self.reject and self.reject in body):
            self.good += 1
        elif len(self.bad_samples) < 3:
            self.bad_samples.append(f"{status}: {body[:300].decode(errors='replace')}")


async def connection(host: str, port: int, requests: Requests, warm_end: float, end: float, stats: Stats) -> None:
    clock = time.perf_counter
    record = stats.latencies.append
    while clock() < end:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            stats.errors += 1
            if len(stats.error_samples) < 5:
                stats.error_samples.append(repr(exc))
            await asyncio.sleep(0.05)
            continue
        try:
            while True:
                started = clock()
                if started >= end:
                    return
                writer.write(requests.next())
                head = (await reader.readuntil(b"\r\n\r\n")).lower()
                body = await reader.readexactly(content_length(head))
                finished = clock()
                if started >= warm_end and finished <= end:
                    record(finished - started)
                    status = int(head[9:12])
                    if status != 200:
                        stats.non_200 += 1
                        stats.statuses[status] = stats.statuses.get(status, 0) + 1
                    stats.body_bytes = len(body)
                    stats.check(status, body)
                if b"connection: close" in head:
                    break
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            stats.errors += 1
            if len(stats.error_samples) < 5:
                stats.error_samples.append(repr(exc))
        finally:
            writer.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list (0 when empty)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


async def run(
    url: str,
    method: str = "GET",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    connections: int = 32,
    duration: float = 10.0,
    warmup: float = 3.0,
    vary: bytes | None = None,
    values: Timestamps | None = None,
    expect: bytes | None = None,
    reject: bytes | None = None,
) -> dict[str, object]:
    """Drive `url` and return the measurements as a dict (see the module docstring)."""
    method = method.upper()
    host, port, head = build_head(url, method, headers or {})
    if vary and (vary not in body or values is None):
        raise SystemExit(f"--vary {vary!r}: not in the body, or no values")
    requests = Requests(head, method, body, vary, values)
    stats = Stats(expect, reject)
    start = time.perf_counter()
    warm_end, end = start + warmup, start + warmup + duration
    workers = asyncio.gather(*(connection(host, port, requests, warm_end, end, stats) for _ in range(connections)))
    try:  # a server that stops answering must not hang the benchmark: allow 10 s past the end
        await asyncio.wait_for(workers, warmup + duration + 10)
        timed_out = False
    except TimeoutError:
        timed_out = True
    latencies = sorted(stats.latencies)
    return {
        "url": url,
        "method": method.upper(),
        "connections": connections,
        "duration_s": duration,
        "warmup_s": warmup,
        "count": len(latencies),
        "rps": round(len(latencies) / duration, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
        "good": stats.good,
        "good_rps": round(stats.good / duration, 1),
        "bad_samples": stats.bad_samples,
        "non_200": stats.non_200,
        "statuses": stats.statuses,
        "errors": stats.errors,
        "error_samples": stats.error_samples,
        "response_bytes": stats.body_bytes,
        "timed_out": timed_out,
        "vary_used": requests.used,  # distinct values sent, warm-up included
        "loop": "uvloop" if uvloop is not None else "asyncio",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body-file", help="file whose bytes are the request body")
    parser.add_argument("--header", action="append", default=[], metavar="'Name: value'")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured, after the warm-up")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--vary", metavar="TOKEN", help="replace TOKEN in the body by a new timestamp per request")
    parser.add_argument("--vary-start", type=dt.datetime.fromisoformat, help="first timestamp (default: now, +07:00)")
    parser.add_argument("--vary-step", type=int, default=1, help="seconds between timestamps")
    parser.add_argument("--expect", help="a good answer's body contains this")
    parser.add_argument("--reject", help="a good answer's body does not contain this")
    args = parser.parse_args(argv)
    body = open(args.body_file, "rb").read() if args.body_file else b""
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {name.strip(): value.strip() for name, value in headers.items()}
    start = args.vary_start or dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).replace(microsecond=0)
    values = Timestamps(start, args.vary_step) if args.vary else None
    vary, expect, reject = (x.encode() if x else None for x in (args.vary, args.expect, args.reject))
    work = run(
        args.url, args.method, body, headers, args.connections, args.duration, args.warmup, vary, values, expect, reject
    )
    result = uvloop.run(work) if uvloop is not None else asyncio.run(work)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
