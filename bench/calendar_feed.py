"""Benchmark: the public .ics feed of a center with 1,000 sessions.

Builds a fresh SQLite database (or uses --database-url), gives the Phú Nghĩa design center's
tour 1,000 sessions in its feed window, then fetches /calendar/centers/dc-phu-nghia.ics through
the real app (in-process ASGI, no network) and reports, from one run: wall time per request
(median and worst of N), bytes, the peak Python memory of one request (tracemalloc) and the
process RSS. A 100-session feed is measured in the same run, so the ratio shows how the cost
scales with the number of sessions.

    .venv/bin/python bench/calendar_feed.py [--database-url URL] [--requests 20]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx2  # noqa: E402
from sqlalchemy import delete, select  # noqa: E402

from models.db import create_engine, session_factory  # noqa: E402
from models.engine_shutdown import close_engine  # noqa: E402
from models.migrate import prepare_database  # noqa: E402
from models.schedule.operations import new_session  # noqa: E402
from models.tables import Tour, TourSession  # noqa: E402
from server import create_app  # noqa: E402

URL_PATH = "/calendar/centers/dc-phu-nghia.ics"


async def give_sessions(url: str, count: int, now: datetime) -> None:
    """Replace the center tour's sessions with `count` of them, every 8 hours from tomorrow."""
    engine = create_engine(url)
    await prepare_database(engine, now=lambda: now)
    async with session_factory(engine)() as db:
        tour = (await db.execute(select(Tour).where(Tour.slug == "phu-vinh-weaving"))).scalar_one()
        await db.execute(delete(TourSession).where(TourSession.tour_id == tour.id))
        first = now.replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        db.add_all(new_session(tour, first + timedelta(hours=8 * i), 20, now) for i in range(count))
        await db.commit()
    await close_engine(engine)


async def measure(url: str, requests: int, now: datetime) -> dict[str, float]:
    app = create_app(url, clock=lambda: now)
    async with app.router.lifespan_context(app):
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://bench") as client:
            first = await client.get(URL_PATH)
            assert first.status_code == 200, first.status_code
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                response = await client.get(URL_PATH)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200
            tracemalloc.start()
            await client.get(URL_PATH)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    return {
        "events": first.text.count("BEGIN:VEVENT"),
        "bytes": len(first.content),
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "peak_mb": peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    now = datetime.now(UTC)
    print(f"command: {' '.join([sys.executable, *sys.argv])}")
    print(f"python {platform.python_version()}, {platform.machine()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/feed-bench.db"
        results = {}
        for count in (100, 1000):
            asyncio.run(give_sessions(url, count, now))
            results[count] = asyncio.run(measure(url, args.requests, now))
    print(f"{'sessions':>8} {'events':>7} {'bytes':>9} {'median ms':>10} {'max ms':>8} {'peak MiB':>9}")
    for count, r in results.items():
        figures = f"{r['median_ms']:>10.1f} {r['max_ms']:>8.1f} {r['peak_mb']:>9.1f}"
        print(f"{count:>8} {r['events']:>7.0f} {r['bytes']:>9.0f} {figures}")
    ratio = results[1000]["median_ms"] / results[100]["median_ms"]
    print(f"1000-session feed / 100-session feed, median time: {ratio:.1f}x")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
