"""Webhook delivery survives SIGKILL and several processes: messages pending when the server
dies are all delivered by the restarted server with their original webhook-id, and with two
processes sending one outbox no message is ever in flight twice."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from tests.live_support import hold, servers, session_ids
from tests.support import ServerProcess, make_token, new_database, run_sql
from tests.test_webhooks import HOSTED, create_endpoint
from tests.webhook_receiver import Answer, Receiver, receiving

keys = (f"crash-{n}" for n in itertools.count())
SETTINGS = {"CRAFTWAY_WEBHOOKS_ALLOW_PRIVATE": "1", "CRAFTWAY_MUTATIONS_PER_MINUTE": "100000"}


def test_messages_pending_at_a_sigkill_are_delivered_after_restart_with_their_ids(tmp_path: Path) -> None:
    db = new_database("postgresql", tmp_path)
    receiver = Receiver()  # not listening yet: every attempt before the crash is refused
    # Retries come quickly (0.1 s, then 6 s: the third attempt falls after the restart), and a
    # lease left by a send the kill interrupted runs out in 12 s.
    env = {**SETTINGS, "CRAFTWAY_WEBHOOK_RETRY_SCALE": "0.02", "CRAFTWAY_WEBHOOK_TIMEOUT": "2"}
    server = ServerProcess(db.url, env).wait_healthy()
    restarted = None
    try:
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        create_endpoint(server, operator, receiver.url, ["BOOKING_HELD"])
        for session_id in session_ids(server, HOSTED) * 2:
            hold(server, operator, session_id, next(keys))
        pending = {m for (m,) in run_sql(db.url, "SELECT message_id FROM webhook_delivery WHERE status = 'PENDING'")}
        assert len(pending) == 10
        server.process.kill()  # SIGKILL: no shutdown, leases and all left as they were
        server.process.wait()
        receiver.start()
        restarted = ServerProcess(db.url, env).wait_healthy()
        seen = receiver.wait_for(lambda got: {r.message_id for r in got} >= pending, timeout=60)
        assert {r.message_id for r in seen} == pending  # every one, with its original webhook-id
        # The sender writes outcomes in batches just after the receiver answers: wait for that.
        deadline = time.monotonic() + 20
        while (statuses := dict(run_sql(db.url, "SELECT status, count(*) FROM webhook_delivery GROUP BY status"))) != {
            "DELIVERED": 10
        } and time.monotonic() < deadline:
            time.sleep(0.1)
        assert statuses == {"DELIVERED": 10}
    finally:
        receiver.stop()
        for process in (server, restarted):
            if process is not None:
                process.stop()
        db.drop()


def test_two_processes_never_send_one_message_at_the_same_time(tmp_path: Path) -> None:
    with servers("postgresql", 2, tmp_path) as (db, started), receiving(lambda _r: Answer(200, delay=0.2)) as receiver:
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        create_endpoint(started[0], operator, receiver.url)
        sessions = session_ids(started[0], HOSTED)
        for n in range(30):
            hold(started[n % 2], operator, sessions[n % len(sessions)], next(keys))
        stored = {m for (m,) in run_sql(db.url, "SELECT message_id FROM webhook_delivery")}
        seen = receiver.wait_for(lambda got: {r.message_id for r in got} >= stored, timeout=60)
        assert receiver.most_in_flight_per_message == 1
        assert len(seen) == len(stored)  # and, the receiver always answering 2xx, none twice
