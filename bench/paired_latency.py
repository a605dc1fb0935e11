"""Latency of two servers measured request by request in turn, from one client.

A shared machine's speed drifts by tens of percent within seconds; two servers measured one
after the other see different machines. Sending one request to each in turn, over one
keep-alive connection each, puts every moment's noise on both, so their p50s compare.
"""

from __future__ import annotations

import http.client
import statistics
import time
import urllib.parse
from collections.abc import Callable


def _connection(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30), parts.path


def paired_latency(urls: dict[str, str], body: Callable[[], bytes], duration: float, warmup: float) -> dict[str, dict]:
    """POST a fresh `body()` to each of `urls` in turn for `warmup` + `duration` seconds; per
    label, the loadgen-style result of the requests after the warm-up (latencies in ms)."""
    connections = {label: _connection(url) for label, url in urls.items()}
    times: dict[str, list[float]] = {label: [] for label in urls}
    bad = dict.fromkeys(urls, 0)
    started = time.monotonic()
    measuring_from, until = started + warmup, started + warmup + duration
    while (now := time.monotonic()) < until:
        for label, (connection, path) in connections.items():
            payload = body()
            sent = time.perf_counter()
            connection.request("POST", path, payload, {"content-type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
            took = time.perf_counter() - sent
            if now >= measuring_from:
                times[label].append(took * 1000)
                bad[label] += response.status != 200 or b'"errors"' in answer
    for connection, _ in connections.values():
        connection.close()
    return {
        label: {
            "rps": len(values) / duration,
            "p50_ms": statistics.median(values),
            "p99_ms": sorted(values)[int(0.99 * (len(values) - 1))],
            "count": len(values),
            "good": len(values) - bad[label],
            "errors": 0,
        }
        for label, values in times.items()
    }
