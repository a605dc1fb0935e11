"""Tokens from the command line, and an operator's private calendar feed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import icalendar
import recurring_ical_events
from starlette.testclient import TestClient

from server import create_app
from tests.support import ROOT, Clock, ScratchDatabase, gql, make_token, run_sql

BOOK = (
    """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { ... on BookSeatsSuccess { booking { reference } } } }"""
)


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "server.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_cli_prints_a_token_alone_stores_its_hash_and_revokes_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    made = _cli(url, "create-token", "--role", "operator", "--name", "Hanoi Heritage Tours")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert made.stdout == token + "\n" and token.startswith("cw_") and len(token) >= 40
    stored = run_sql(url, "SELECT token_hash FROM api_token")
    assert len(stored) == 1 and token not in stored[0][0] and len(stored[0][0]) == 64
    staff = _cli(url, "create-token", "--role", "center", "--center", "dc-phu-nghia", "--name", "Staff")
    assert staff.returncode == 0 and staff.stdout.strip() != token
    bad = _cli(url, "create-token", "--role", "center", "--center", "no-such-center", "--name", "Staff")
    assert bad.returncode == 2 and bad.stdout == "" and "no center" in bad.stderr
    with TestClient(create_app(url)) as client:
        assert gql(client, "{ viewer { role } }", token=token)["data"]["viewer"]["role"] == "OPERATOR"
        assert _cli(url, "revoke-token", token).returncode == 0
        revoked = gql(client, "{ viewer { bookings { totalCount } } }", token=token)
        assert revoked["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert gql(client, "{ viewer { role } }", token=token)["data"]["viewer"]["role"] == "ANONYMOUS"
    assert _cli(url, "revoke-token", token).returncode == 1


def test_private_feed_lists_the_operators_bookings(fresh_db: ScratchDatabase) -> None:
    token = make_token(fresh_db.url, "OPERATOR", "Hanoi Heritage Tours")
    other = make_token(fresh_db.url, "OPERATOR", "Red River Travel")
    with TestClient(create_app(fresh_db.url, clock=Clock())) as client:
        session = gql(
            client, '{ tour(slug: "ngu-xa-bronze-heritage") { sessions(first: 1) { edges { node { id } } } } }'
        )
        session_id = session["data"]["tour"]["sessions"]["edges"][0]["node"]["id"]
        variables = {
            "i": {
                "sessionId": session_id,
                "tickets": [{"category": "ADULT", "quantity": 3}],
                "contact": {"name": "Lan"},
                "idempotencyKey": "feed-1",
            }
        }
        reference = gql(client, BOOK, variables, token)["data"]["bookSeats"]["booking"]["reference"]
        gql(client, BOOK, {"i": {**variables["i"], "idempotencyKey": "other"}}, other)
        url = gql(client, "{ viewer { calendarUrl } }", token=token)["data"]["viewer"]["calendarUrl"]
        assert token not in url and "/calendar/operators/" in url
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        calendar = icalendar.Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        assert [str(e["uid"]) for e in events] == [f"booking-{reference}@craftway"]
        assert "Di sản đúc đồng Ngũ Xã" in str(events[0]["summary"])
        assert events[0].decoded("dtstart").isoformat() == "2026-12-02T09:00:00+07:00"
        assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Asia/Ho_Chi_Minh"
        occurrences = recurring_ical_events.of(calendar).between((2026, 12, 1), (2026, 12, 3))
        assert len(occurrences) == 1
        unchanged = client.get(
            url.removeprefix("http://testserver"), headers={"If-None-Match": response.headers["etag"]}
        )
        assert unchanged.status_code == 304
        assert client.get("/calendar/operators/cwf_nonsense.ics").status_code == 404
        assert _cli(fresh_db.url, "reset-feed", token).returncode == 0
        assert client.get(url.removeprefix("http://testserver")).status_code == 404
        new_url = gql(client, "{ viewer { calendarUrl } }", token=token)["data"]["viewer"]["calendarUrl"]
        assert new_url != url and client.get(new_url.removeprefix("http://testserver")).status_code == 200
