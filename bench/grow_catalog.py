"""Grow a migrated and seeded Craftway database to a large catalogue (default 1,000 tours, 200,000 sessions).

What: clones the seeded tours (with their ticket prices and extra village stops) under new slugs
until there are `--tours` tours, and gives the new tours sessions, spread over the next 365 days
(one a day at most per tour, 08:00-17:00 Hanoi time), until there are `--sessions` sessions. Rows
go straight into the database — executemany on SQLite, COPY on PostgreSQL — because creating
200,000 sessions through the API would take far longer than the benchmark that needs them.
On PostgreSQL it then runs VACUUM ANALYZE (autovacuum would soon do the same), so neither plans
nor the measurement that follows depend on when autovacuum happens to run.

Why: the seed has 13 tours and ~1,200 sessions; the mobile query must stay fast on a catalogue a
real region would have. `bench/mobile_query.py` uses this to compare the two in one run.

    .venv/bin/python bench/grow_catalog.py DATABASE_URL [--tours 1000] [--sessions 200000]

Also a small library: `Database` (sqlite3 or asyncpg behind one synchronous interface) and `grow`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import sqlite3
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

UTC = dt.UTC
HANOI = dt.timezone(dt.timedelta(hours=7))


class Database:
    """One connection, sqlite3 (sqlite:///path) or asyncpg (postgresql://...), autocommitting each call."""

    def __init__(self, url: str) -> None:
        self.sqlite = url.startswith("sqlite:///")
        self.conn: Any
        if self.sqlite:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        else:
            import asyncpg

            self.runner = asyncio.Runner()
            self.conn = self.runner.run(asyncpg.connect(url))

    def fetch(self, query: str) -> list[tuple]:
        if self.sqlite:
            return self.conn.execute(query).fetchall()
        return [tuple(row) for row in self.runner.run(self.conn.fetch(query))]

    def columns(self, table: str) -> list[str]:
        if self.sqlite:
            return [row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")]
        query = f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'"
        return [row[0] for row in self.fetch(query + " ORDER BY ordinal_position")]

    def execute(self, query: str) -> None:
        if self.sqlite:
            self.conn.execute(query)
        else:
            self.runner.run(self.conn.execute(query))

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        if self.sqlite:
            marks = ", ".join("?" for _ in columns)
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        else:
            self.runner.run(self.conn.copy_records_to_table(table, records=rows, columns=list(columns)))

    def stamp(self, moment: dt.datetime) -> object:
        """A value for a UTCDateTime column: naive UTC text on SQLite as SQLAlchemy writes it
        ("2026-12-01 02:00:00.000000"), an aware datetime on PostgreSQL."""
        utc = moment.astimezone(UTC)
        return utc.replace(tzinfo=None).isoformat(" ", "microseconds") if self.sqlite else utc

    def literal(self, moment: dt.datetime) -> str:
        """`moment` as an SQL literal comparable with a UTCDateTime column."""
        return f"'{self.stamp(moment)}'" if self.sqlite else f"'{moment.astimezone(UTC).isoformat()}'::timestamptz"

    def close(self) -> None:
        if self.sqlite:
            self.conn.close()
        else:
            self.runner.run(self.conn.close())
            self.runner.close()


@contextlib.contextmanager
def scratch_postgres(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one run (its URL), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = Database(admin_url)
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    try:
        yield urllib.parse.urlsplit(admin_url)._replace(path=f"/{name}").geturl()
    finally:
        admin = Database(admin_url)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def table_rows(db: Database, table: str, where: str = "1 = 1") -> tuple[list[str], list[dict]]:
    """The columns of `table` but `id` (what a copy inserts), and its rows matching `where`, as dicts."""
    columns = db.columns(table)
    rows = db.fetch(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}")
    return [c for c in columns if c != "id"], [dict(zip(columns, row, strict=True)) for row in rows]


def session_rows(db: Database, tour: dict, tour_id: int, count: int, salt: int, now: dt.datetime) -> list[tuple]:
    """`count` sessions of one tour over the 365 days from tomorrow, at most one per day when count <= 365."""
    first_day = dt.datetime.combine(now.astimezone(HANOI).date() + dt.timedelta(days=1), dt.time(), HANOI)
    created = db.stamp(now)
    rows = []
    for j in range(count):
        starts = first_day + dt.timedelta(days=j * 365 // count, hours=8 + (salt + j) % 10)
        rows.append(
            (
                tour_id,
                db.stamp(starts),
                db.stamp(starts + dt.timedelta(minutes=tour["duration_minutes"])),
                db.stamp(starts - dt.timedelta(minutes=tour["booking_cutoff_minutes"])),
                tour["default_capacity"],
                0,
                "SCHEDULED",
                f"{uuid.uuid4()}@craftway",
                0,
                created,
                created,
            )
        )
    return rows


SESSION_COLUMNS = (
    "tour_id starts_at ends_at booking_closes_at capacity seats_taken status uid sequence created_at updated_at"
).split()


def counts(db: Database) -> tuple[int, int]:
    return db.fetch("SELECT (SELECT COUNT(*) FROM tour), (SELECT COUNT(*) FROM tour_session)")[0]


def grow(url: str, tours: int = 1000, sessions: int = 200_000, now: dt.datetime | None = None) -> str:
    """Add tours and sessions until there are `tours` and `sessions`; returns what it did, in words."""
    now = now or dt.datetime.now(UTC)
    db = Database(url)
    try:
        before = counts(db)
        new_tours = tours - before[0]
        if new_tours > 0:
            tour_columns, seeded = table_rows(db, "tour", "1 = 1 ORDER BY id")
            clones = [
                {**source, "slug": f"{source['slug'][:70]}-x{n}", "title": f"{source['title'][:290]} #{n}"}
                for n, source in enumerate((seeded[i % len(seeded)] for i in range(new_tours)), 1)
            ]
            db.execute("BEGIN")
            db.insert("tour", tour_columns, [tuple(c[k] for k in tour_columns) for c in clones])
            new_ids = dict(db.fetch(f"SELECT slug, id FROM tour WHERE id > {seeded[-1]['id']}"))
            copies_of: dict[int, list[int]] = {}  # seeded tour id -> ids of its copies
            for clone in clones:
                copies_of.setdefault(clone["id"], []).append(new_ids[clone["slug"]])
            for table in ("ticket_price", "tour_stop"):
                columns, rows = table_rows(db, table)
                copies = [
                    tuple(copy_id if k == "tour_id" else row[k] for k in columns)
                    for row in rows
                    for copy_id in copies_of.get(row["tour_id"], [])
                ]
                db.insert(table, columns, copies)
            wanted = max(0, sessions - before[1])
            new_sessions = []
            for i, clone in enumerate(clones):
                count = wanted // new_tours + (i < wanted % new_tours)
                new_sessions += session_rows(db, clone, new_ids[clone["slug"]], count, i, now)
            db.insert("tour_session", SESSION_COLUMNS, new_sessions)
            db.execute("COMMIT")
            if not db.sqlite:
                db.execute("VACUUM ANALYZE")
        after = counts(db)
        return f"tours {before[0]} -> {after[0]}, sessions {before[1]} -> {after[1]}"
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="grow a seeded Craftway database to a large catalogue")
    parser.add_argument("database_url", help="sqlite:///path.db or postgresql://...")
    parser.add_argument("--tours", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=200_000)
    args = parser.parse_args()
    started = time.monotonic()
    done = grow(args.database_url, args.tours, args.sessions)
    print(f"{done} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
