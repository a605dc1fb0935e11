"""Waiting-list offers are told as they happen, against a server process: the operator's
webhook endpoint gets waitlist.offered (with the offer's booking), waitlist.offer_expired and
waitlist.closed, signed like every event, and bookingChanged pushes the offer's hold and lapse."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from tests.live_support import CANCEL, hold, past_moment, post, servers, session_ids, subscribed
from tests.support import ServerProcess, make_token, run_sql
from tests.webhook_receiver import receiving

CREATE = """mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) {
  ... on CreateWebhookEndpointSuccess { secret } ... on UserError { code } } }"""
JOIN = """mutation($i: JoinWaitlistInput!) { joinWaitlist(input: $i) { __typename
  ... on JoinWaitlistSuccess { entry { id status } } ... on UserError { code message } } }"""
BOOKING_CHANGED = "subscription { bookingChanged { reference status } }"
EVENTS = ["WAITLIST_OFFERED", "WAITLIST_OFFER_EXPIRED", "WAITLIST_CLOSED", "BOOKING_HELD", "BOOKING_EXPIRED"]
CANCEL_SESSION = """mutation($id: ID!) { cancelSession(input: {sessionId: $id}) { __typename } }"""
keys = (f"live-wait-{n}" for n in itertools.count())


def join(server: ServerProcess, token: str, session_id: str, seats: int) -> dict[str, Any]:
    variables = {
        "i": {
            "sessionId": session_id,
            "tickets": [{"category": "ADULT", "quantity": seats}],
            "contact": {"name": "Lê Thu Hà", "email": "ha@example.vn"},
            "idempotencyKey": next(keys),
        }
    }
    result = post(server, JOIN, variables, token)["data"]["joinWaitlist"]
    assert result["__typename"] == "JoinWaitlistSuccess", result
    return dict(result["entry"])


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_offers_and_their_lapse_are_sent_as_webhooks_and_pushed(backend: str, tmp_path: Path) -> None:
    with servers(backend, 1, tmp_path) as (db, (server,)), receiving() as hooks:
        waiting = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        filler = make_token(db.url, "OPERATOR", "Red River Travel")
        created = post(server, CREATE, {"i": {"url": hooks.url, "events": EVENTS}}, waiting)["data"]
        secret = created["createWebhookEndpoint"]["secret"]
        session_id = session_ids(server)[0]  # ten seats
        holds = [hold(server, filler, session_id, next(keys), seats=5) for _ in range(2)]
        entry = join(server, waiting, session_id, 3)
        too_big = join(server, waiting, session_id, 6)  # never fits the five seats that come free

        async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
            async with subscribed(server, BOOKING_CHANGED, token=waiting) as stream:
                # The subscription starts listening some moment after it is opened: the first
                # cancellation is retried until its push (of the offer) arrives.
                cancel = lambda: post(server, CANCEL, {"r": holds[0]["reference"]}, filler)  # noqa: E731
                offered = (await stream.first(cancel))["bookingChanged"]
                lapse = "UPDATE booking SET hold_expires_at = :moment WHERE id IN "
                lapse += "(SELECT offer_booking_id FROM waitlist_entry WHERE status = 'OFFERED')"
                await asyncio.to_thread(run_sql, db.url, lapse, {"moment": past_moment(backend)})
                expired = (await stream.next(timeout=10))["bookingChanged"]
                return offered, expired

        offered, expired = asyncio.run(scenario())
        assert offered["status"] == "HELD" and expired == {"reference": offered["reference"], "status": "EXPIRED"}
        admin = make_token(db.url, "ADMIN", "Ops")
        assert post(server, CANCEL_SESSION, {"id": session_id}, admin)["data"]["cancelSession"]["__typename"] == (
            "CancelSessionSuccess"
        )
        seen = hooks.wait_for(lambda seen: len(seen) >= 5)
        bodies = [Webhook(secret).verify(request.body, request.headers) for request in seen]
        types = sorted(body["type"] for body in bodies)
        assert types == ["booking.expired", "booking.held", "waitlist.closed", "waitlist.offer_expired", "waitlist.offered"]
        closed = next(b for b in bodies if b["type"] == "waitlist.closed")["data"]["entry"]
        assert closed["id"] == too_big["id"] and closed["status"] == "CLOSED" and closed["offer"] is None
        offer_event = next(b for b in bodies if b["type"] == "waitlist.offered")["data"]
        assert offer_event["entry"]["id"] == entry["id"] and offer_event["entry"]["status"] == "OFFERED"
        assert offer_event["entry"]["offer"]["reference"] == offered["reference"]
        assert offer_event["entry"]["offer"]["contact"]["email"] == "ha@example.vn"
        lapsed_event = next(b for b in bodies if b["type"] == "waitlist.offer_expired")["data"]
        assert lapsed_event["entry"]["status"] == "EXPIRED" and lapsed_event["version"] > offer_event["version"]

