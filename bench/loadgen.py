"""A small closed-loop HTTP/1.1 load generator, meant to run as its own OS process.

It measures the throughput (requests/s) and latency (p50, p99) that one server sustains when
`--connections` persistent keep-alive connections each send the same request back to back
(the next one as soon as the previous answer has arrived). It is deliberately minimal — one
precomputed request, raw asyncio streams (uvloop when importable), only the status line and
Content-Length are parsed — so that on a small machine the generator costs as little CPU as
possible and the server, not the generator, is what gets measured.

Requests that start during the first `--warmup` seconds are sent but not recorded; then
requests are recorded for `--duration` seconds (a request counts if it starts and finishes in
that window). Prints one JSON line:

    python bench/loadgen.py --url http://127.0.0.1:8000/graphql --method POST \
        --body-file req.json --header 'Content-Type: application/json' \
        --connections 32 --duration 10 --warmup 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from urllib.parse import urlsplit

try:
    import uvloop
except ImportError:  # plain asyncio works, only slower
    uvloop = None  # type: ignore[assignment]


def build_request(url: str, method: str, body: bytes, headers: dict[str, str]) -> tuple[str, int, bytes]:
    """Return (host, port, request bytes) for one keep-alive request."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        raise SystemExit(f"only http:// URLs are supported, not {url!r}")
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return host, port, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def content_length(head: bytes) -> int:
    """The Content-Length of a lowercased response head (status line and headers)."""
    start = head.find(b"\r\ncontent-length:")
    if start < 0:
        raise ValueError("response without Content-Length: " + head[:200].decode("latin-1"))
    start += 17
    return int(head[start : head.index(b"\r\n", start)])


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.non_200 = 0
        self.statuses: dict[int, int] = {}
        # Connection-level failures (reset, EOF, bad response); the connection is reopened.
        self.errors = 0
        self.error_samples: list[str] = []
        self.body_bytes = 0


async def connection(host: str, port: int, request: bytes, warm_end: float, end: float, stats: Stats) -> None:
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
                writer.write(request)
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
) -> dict[str, object]:
    """Drive `url` and return the measurements as a dict (see the module docstring)."""
    host, port, request = build_request(url, method.upper(), body, headers or {})
    stats = Stats()
    start = time.perf_counter()
    warm_end, end = start + warmup, start + warmup + duration
    workers = asyncio.gather(*(connection(host, port, request, warm_end, end, stats) for _ in range(connections)))
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
        "non_200": stats.non_200,
        "statuses": stats.statuses,
        "errors": stats.errors,
        "error_samples": stats.error_samples,
        "response_bytes": stats.body_bytes,
        "timed_out": timed_out,
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
    args = parser.parse_args(argv)
    body = open(args.body_file, "rb").read() if args.body_file else b""
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {name.strip(): value.strip() for name, value in headers.items()}
    work = run(args.url, args.method, body, headers, args.connections, args.duration, args.warmup)
    result = uvloop.run(work) if uvloop is not None else asyncio.run(work)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
