"""Connections the PostgreSQL server has closed (a restart, a terminated backend) are never
handed to a request: every read right after the server drops them all is answered."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from server import create_app
from tests.support import gql, run_sql, seeded_database

TOURS = "query($n: Int) { tours(first: $n) { totalCount edges { node { slug sessions(first: 2) { totalCount } } } } }"


def test_requests_after_the_server_drops_every_connection_are_answered(tmp_path: Path) -> None:
    db = seeded_database("postgresql", tmp_path)
    name = make_url(db.url).database
    try:
        with TestClient(create_app(db.url)) as client:
            for _ in range(5):  # fill the pool with connections
                assert "errors" not in gql(client, TOURS, {"n": 1})
            dropped = run_sql(
                db.url,
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()",
                {"name": name},
            )
            assert dropped[0][0] >= 1, "no pooled connection was there to drop"
            time.sleep(0.2)  # the server's goodbye reaches the sockets
            # each a new document for the response cache, so every one reads the database twice
            answers = [client.post("/graphql", json={"query": TOURS, "variables": {"n": n}}) for n in range(2, 22)]
            assert [a.status_code for a in answers] == [200] * 20
            assert all("errors" not in a.json() for a in answers), [a.json() for a in answers][:2]
    finally:
        db.drop()
