"""Latency of two servers measured request by request in turn, from one client.

A shared machine's speed drifts by tens of percent within seconds; two servers measured one
after the other see different machines. Sending one request to each in turn, over one
keep-alive connection each, puts every moment's noise on both, so their p50s compare.
"""

from __future__ import annotations

import http.client
import math
import statistics
import time
import urllib.parse
from collections.abc import Callable


def _connection(url: str) -> tuple[http.client.HTTPConnection, str]:
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30), parts.path


def paired_latency(urls: dict[str, str], body: Callable[[], bytes], duration: float, warmup: float) -> dict[str, dict]:
    """POST a fresh `body()` to each of `urls` in turn for `warmup` + `duration` seconds (which
    server goes first alternates); per label, the loadgen-style result of the requests after the
    warm-up (latencies in ms; a refused or failed request counts as an error)."""
    connections = {label: _connection(url) for label, url in urls.items()}
    times: dict[str, list[float]] = {label: [] for label in urls}
    bad, errors = dict.fromkeys(urls, 0), dict.fromkeys(urls, 0)
    labels = list(urls)
    started = time.monotonic()
    measuring_from, until = started + warmup, started + warmup + duration
    while (now := time.monotonic()) < until:
        for label in labels:
            connection, path = connections[label]
            payload = body()
            sent = time.perf_counter()
            try:
                connection.request("POST", path, payload, {"content-type": "application/json"})
                response = connection.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()  # reconnects on the next request
                errors[label] += now >= measuring_from
                continue
            took = time.perf_counter() - sent
            if now >= measuring_from:
                times[label].append(took * 1000)
                bad[label] += response.status != 200 or b'"errors"' in answer
        labels.reverse()
    for connection, _ in connections.values():
        connection.close()
    return {label: _result(values, bad[label], errors[label], duration) for label, values in times.items()}


def _result(values: list[float], bad: int, errors: int, duration: float) -> dict:
    ordered = sorted(values)
    return {
        "rps": len(values) / duration,
        "p50_ms": statistics.median(ordered) if ordered else math.nan,
        "p99_ms": ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)] if ordered else math.nan,
        "count": len(values),
        "good": len(values) - bad,
        "errors": errors,
    }
