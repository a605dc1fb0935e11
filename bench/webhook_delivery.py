"""Benchmark: webhook delivery under booking load, with three endpoints of one operator.

Two server processes on a fresh PostgreSQL database, both sending the one outbox. The operator
books one seat every 10 ms (100 a second offered, the processes in turn, over 20 sessions) for
30 s; each booking is an event for three receivers in this process: one fast, one slow (answers
after --slow-seconds) and one that answers 500 to half the requests at random. Then it waits
until every delivery has ended. Prints the bookings made and, per endpoint: events, delivered,
failed, retries (requests beyond one per message), delivery latency p50/p99 (from the event's
commit to the arrival of the attempt the receiver answered 2xx), and whether every event reached
it with a good signature.
Deliveries that failed every retry are then sent again with redeliverWebhook, as an operator
would, and counted once they arrive.

The retry schedule is scaled (--retry-scale, CRAFTWAY_WEBHOOK_RETRY_SCALE) so that the failing
endpoint's retries — about 5 s, 5 min, 30 min, ... at scale 1 — fit in the run.

    .venv/bin/python bench/webhook_delivery.py --postgres-admin-url postgresql://postgres@127.0.0.1:5432/test
        [--rate 100] [--duration 30] [--processes 2] [--slow-seconds 0.5] [--retry-scale 0.0001]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import httpx2
from grow_catalog import Database, scratch_postgres
from harness import ROOT, Processes, free_port, operator_token, print_run_header
from mixed_load import percentile
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

sys.path.insert(0, str(ROOT))
from tests.webhook_receiver import Answer, Received, Receiver  # noqa: E402

BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename } }"""
REDELIVER = """mutation($id: ID!) { redeliverWebhook(input: {deliveryId: $id}) { __typename } }"""
CREATE = """mutation($u: String!) { createWebhookEndpoint(input: {url: $u, events: [BOOKING_CONFIRMED]}) {
  ... on CreateWebhookEndpointSuccess { secret } } }"""


def token(url: str) -> str:
    return operator_token(url, "Webhook bench")


def roomy_sessions(url: str, count: int = 20) -> list[str]:
    """Sessions three days out or later, each with room for every booking of the run (bookings
    spread over them, as an operator's customers spread over tours)."""
    db = Database(url)
    try:
        later = db.literal(dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
        rows = db.fetch(
            f"SELECT id FROM tour_session WHERE status = 'SCHEDULED' AND starts_at > {later} ORDER BY id LIMIT {count}"
        )
        db.execute(f"UPDATE tour_session SET capacity = 1000000 WHERE id IN ({', '.join(str(r[0]) for r in rows)})")
    finally:
        db.close()
    return [base64.urlsafe_b64encode(f"Session:{r[0]}".encode()).decode().rstrip("=") for r in rows]


async def book_load(
    ports: list[int], operator: str, sessions: list[str], rate: float, duration: float
) -> tuple[int, int]:
    """Start one bookSeats every 1/rate s for `duration` s, the servers in turn; (confirmed, other answers)."""
    headers = {"Authorization": f"Bearer {operator}"}
    limits = httpx2.Limits(max_connections=64)
    client = httpx2.AsyncClient(headers=headers, limits=limits, timeout=httpx2.Timeout(60, pool=None))
    async with client as http:

        async def one(n: int) -> bool:
            booking = {
                "sessionId": sessions[n % len(sessions)],
                "tickets": [{"category": "ADULT", "quantity": 1}],
                "contact": {"name": "Khách đoàn"},
                "idempotencyKey": f"bench-{n}",
            }
            url = f"http://127.0.0.1:{ports[n % len(ports)]}/graphql"
            response = await http.post(url, json={"query": BOOK, "variables": {"i": booking}})
            return bool(response.json()["data"]["bookSeats"]["__typename"] == "BookSeatsSuccess")

        started = time.monotonic()
        tasks = []
        for n in range(int(rate * duration)):
            await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(n)))
        outcomes = await asyncio.gather(*tasks)
    return sum(outcomes), len(outcomes) - sum(outcomes)


def start_server(procs: Processes, name: str, url: str, retry_scale: float) -> int:
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "CRAFTWAY_MUTATIONS_PER_MINUTE": "100000000",
        "CRAFTWAY_WEBHOOKS_ALLOW_PRIVATE": "1",  # the receivers listen on 127.0.0.1
        "CRAFTWAY_WEBHOOK_RETRY_SCALE": str(retry_scale),
    }
    server = procs.start(name, [sys.executable, "server.py"], env)
    procs.wait_ready(name, server, f"http://127.0.0.1:{port}/healthz")
    return port


def register(port: int, operator: str, receivers: dict[str, Receiver]) -> dict[str, str]:
    """An endpoint per receiver, for BOOKING_CONFIRMED; their secrets."""
    secrets = {}
    headers = {"Authorization": f"Bearer {operator}"}
    for label, receiver in receivers.items():
        body = {"query": CREATE, "variables": {"u": receiver.url}}
        made = httpx2.post(f"http://127.0.0.1:{port}/graphql", json=body, headers=headers)
        secrets[label] = made.json()["data"]["createWebhookEndpoint"]["secret"]
    return secrets


def wait_for_deliveries(url: str, limit: float) -> tuple[float, list[tuple]]:
    """Seconds until no delivery is PENDING (at most `limit`), and every delivery row."""
    db = Database(url)
    try:
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if db.fetch("SELECT count(*) FROM webhook_delivery WHERE status = 'PENDING'")[0][0] == 0:
                break
            time.sleep(0.5)
        waited = time.monotonic() - started
        rows = db.fetch(
            "SELECT e.url, d.message_id, d.status, d.created_at FROM webhook_delivery d "
            "JOIN webhook_endpoint e ON e.id = d.endpoint_id"
        )
    finally:
        db.close()
    return waited, rows


def redeliver_failed(port: int, operator: str, url: str, receivers: dict[str, Receiver], limit: float) -> int:
    """What an operator does with FAILED deliveries: send them again; how many then arrived."""
    db = Database(url)
    try:
        failed = db.fetch("SELECT id, message_id FROM webhook_delivery WHERE status = 'FAILED'")
    finally:
        db.close()
    headers = {"Authorization": f"Bearer {operator}"}
    for pk, _message in failed:
        global_id = base64.urlsafe_b64encode(f"WebhookDelivery:{pk}".encode()).decode().rstrip("=")
        body = {"query": REDELIVER, "variables": {"id": global_id}}
        httpx2.post(f"http://127.0.0.1:{port}/graphql", json=body, headers=headers)
    wait_for_deliveries(url, limit)
    arrived = {r.message_id for receiver in receivers.values() for r in receiver.received if r.status == 200}
    return sum(1 for _pk, message in failed if message in arrived)


def report(label: str, receiver: Receiver, secret: str, rows: list[tuple], booked: int) -> str:
    mine = [row for row in rows if row[0] == receiver.url]
    created = {message: at.timestamp() for _url, message, _status, at in mine}
    first_ok: dict[str, Received] = {}
    for request in receiver.received:
        if request.status == 200:
            first_ok.setdefault(request.message_id, request)
    latencies = [first_ok[m].wall - created[m] for m in first_ok if m in created]
    signed = True
    for request in first_ok.values():
        try:
            Webhook(secret).verify(request.body, request.headers)
        except WebhookVerificationError:
            signed = False
    every = set(created) == set(first_ok) and len(created) == booked
    delivered = sum(1 for row in mine if row[2] == "DELIVERED")
    failed = sum(1 for row in mine if row[2] == "FAILED")
    retries = len(receiver.received) - len({r.message_id for r in receiver.received})
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    verdict = "yes" if every and signed else "NO"
    return f"{label:<13} {len(mine):>6} {delivered:>9} {failed:>6} {retries:>7} {p50:>8.0f} {p99:>8.0f}  {verdict}"


def main() -> int:
    parser = argparse.ArgumentParser(description="webhook delivery under booking load")
    parser.add_argument("--postgres-admin-url", required=True)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--slow-seconds", type=float, default=0.5)
    parser.add_argument("--retry-scale", type=float, default=0.0001)
    parser.add_argument("--processes", type=int, default=2, help="server processes on the one database")
    parser.add_argument("--drain-limit", type=float, default=180.0, help="seconds to wait for deliveries to end")
    args = parser.parse_args()
    print_run_header()
    receivers = {
        "fast": Receiver(lambda _r: Answer(200)),
        "slow": Receiver(lambda _r: Answer(200, delay=args.slow_seconds)),
        "failing half": Receiver(lambda _r: Answer(500 if random.random() < 0.5 else 200)),
    }
    procs = Processes(Path(tempfile.mkdtemp(prefix="craftway-hooks-")))
    with scratch_postgres(args.postgres_admin_url, "craftway_hooks") as url:
        try:
            for receiver in receivers.values():
                receiver.start()
            ports = [start_server(procs, f"craftway-{n}", url, args.retry_scale) for n in range(args.processes)]
            operator = token(url)
            secrets = register(ports[0], operator, receivers)
            sessions = roomy_sessions(url)
            started = time.monotonic()
            booked, refused = asyncio.run(book_load(ports, operator, sessions, args.rate, args.duration))
            took = time.monotonic() - started
            print(f"\nbookings: {booked} confirmed, {refused} refused, in {took:.1f} s ({booked / took:.1f}/s)")
            waited, rows = wait_for_deliveries(url, args.drain_limit)
            ended = waited < args.drain_limit
            print(f"deliveries ended {waited:.1f} s after the load" if ended else f"still PENDING after {waited:.0f} s")
            print(
                f"{'endpoint':<13} {'events':>6} {'delivered':>9} {'failed':>6} {'retries':>7} {'p50 ms':>8} "
                f"{'p99 ms':>8}  every event, signed"
            )
            for label, receiver in receivers.items():
                print(report(label, receiver, secrets[label], rows, booked))
            failed = [row for row in rows if row[2] == "FAILED"]
            if failed:
                redelivered = redeliver_failed(ports[0], operator, url, receivers, args.drain_limit)
                print(
                    f"{len(failed)} FAILED (every retry answered 500) redelivered with redeliverWebhook: "
                    f"{redelivered} of them reached their endpoint with their original webhook-id"
                )
            return 0
        finally:
            procs.stop_all()
            for receiver in receivers.values():
                receiver.stop()


if __name__ == "__main__":
    sys.exit(main())
