"""Webhooks end to end, against server processes and a real receiver: signed as Standard
Webhooks (checked with the `standardwebhooks` package, as a receiver would), written in the
transaction of their change, scoped to who may hear them, retried on the schedule and after
Retry-After, disabled by 410, failed after the last retry and redelivered with their webhook-id."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from tests.live_support import hold, post, servers, session_ids
from tests.support import ServerProcess, make_token, run_sql
from tests.webhook_receiver import Answer, Received, receiving

ALL_EVENTS = ["BOOKING_HELD", "BOOKING_CONFIRMED", "BOOKING_CANCELLED", "BOOKING_EXPIRED", "SESSION_UPDATED", "SESSION_CANCELLED"]
CREATE = """mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { __typename
  ... on CreateWebhookEndpointSuccess { secret endpoint { id url events enabled } }
  ... on UserError { code field message } } }"""
ROTATE = """mutation($id: ID!) { rotateWebhookSecret(input: {endpointId: $id}) { __typename
  ... on RotateWebhookSecretSuccess { secret } ... on UserError { code field } } }"""
REDELIVER = """mutation($id: ID!) { redeliverWebhook(input: {deliveryId: $id}) { __typename
  ... on RedeliverWebhookSuccess { delivery { id messageId status } } ... on UserError { code field } } }"""
CONFIRM = """mutation($r: String!) { confirmBooking(input: {reference: $r}) { __typename } }"""
CANCEL = """mutation($r: String!) { cancelBooking(input: {reference: $r}) { __typename } }"""
CANCEL_SESSION = """mutation($id: ID!) { cancelSession(input: {sessionId: $id}) { __typename ... on UserError { code } } }"""
DELIVERIES = """{ viewer { webhookEndpoints { id enabled deliveries(first: 100) { totalCount edges { node {
  id messageId eventType status attempts lastStatusCode nextAttemptAt } } } } } }"""
HOSTED = "bat-trang-museum-wheel"  # a tour its design center hosts
keys = (f"hook-{n}" for n in itertools.count())


def create_endpoint(server: ServerProcess, token: str, url: str, events: list[str] | None = None) -> dict[str, Any]:
    result = post(server, CREATE, {"i": {"url": url, "events": events or ALL_EVENTS}}, token)["data"]["createWebhookEndpoint"]
    assert result["__typename"] == "CreateWebhookEndpointSuccess", result
    return result


def verified(request: Received, secret: str) -> dict[str, Any]:
    """The body, verified as a Standard Webhooks receiver does (raises on a bad signature)."""
    payload: dict[str, Any] = Webhook(secret).verify(request.body, request.headers)
    return payload


def deliveries(server: ServerProcess, token: str) -> list[dict[str, Any]]:
    endpoints = post(server, DELIVERIES, token=token)["data"]["viewer"]["webhookEndpoints"]
    return [edge["node"] for endpoint in endpoints for edge in endpoint["deliveries"]["edges"]]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_events_arrive_signed_versioned_and_scoped(backend: str, tmp_path: Path) -> None:
    with servers(backend, 1, tmp_path) as (db, (server,)), receiving() as operator_hooks, receiving() as center_hooks, receiving() as other_hooks:
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        other = make_token(db.url, "OPERATOR", "Other Travel")
        staff = make_token(db.url, "CENTER_STAFF", "Bát Tràng staff", "dc-bat-trang-1000-nam")
        stranger_staff = make_token(db.url, "CENTER_STAFF", "Sơn Đồng staff", "dc-son-dong")
        operator_secret = create_endpoint(server, operator, operator_hooks.url)["secret"]
        center_secret = create_endpoint(server, staff, center_hooks.url)["secret"]
        create_endpoint(server, other, other_hooks.url)
        create_endpoint(server, stranger_staff, other_hooks.url)
        assert operator_secret.startswith("whsec_")

        session_id = session_ids(server, HOSTED)[-1]  # days ahead: before the cancellation cut-off
        booking = hold(server, operator, session_id, next(keys), seats=2)
        assert post(server, CONFIRM, {"r": booking["reference"]}, operator)["data"]["confirmBooking"]["__typename"] == "ConfirmBookingSuccess"
        assert post(server, CANCEL, {"r": booking["reference"]}, operator)["data"]["cancelBooking"]["__typename"] == "CancelBookingSuccess"
        # A refused change writes no event: 50 seats do not fit.
        refused = post(server, "mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename } }", {"i": {
            "sessionId": session_id, "tickets": [{"category": "ADULT", "quantity": 50}], "contact": {"name": "X"}, "idempotencyKey": next(keys)}}, operator)
        assert refused["data"]["holdSeats"]["__typename"] != "HoldSeatsSuccess"

        three = operator_hooks.wait_for(lambda seen: len(seen) >= 3)
        bodies = [verified(request, operator_secret) for request in three]
        assert [b["type"] for b in bodies] == ["booking.held", "booking.confirmed", "booking.cancelled"]
        versions = [b["data"]["version"] for b in bodies]
        assert versions == sorted(versions) and len(set(versions)) == 3
        assert all(b["data"]["booking"]["reference"] == booking["reference"] for b in bodies)
        assert bodies[0]["data"]["booking"]["contact"]["phone"] == "+84 912 345 678"
        assert len({request.message_id for request in three}) == 3

        staff_seen = center_hooks.wait_for(lambda seen: len(seen) >= 3)
        staff_bodies = [verified(request, center_secret) for request in staff_seen]
        assert [b["type"] for b in staff_bodies] == ["booking.held", "booking.confirmed", "booking.cancelled"]
        assert all("contact" not in b["data"]["booking"] for b in staff_bodies)  # no customer details for centers
        assert all("Nguyễn" not in request.body and "an@example.vn" not in request.body for request in staff_seen)

        # Exactly the committed changes have events: 3 per hearing endpoint, none for the others.
        stored = run_sql(db.url, "SELECT count(*) FROM webhook_delivery")[0][0]
        assert stored == 6
        assert other_hooks.received == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_session_events_reach_operators_with_live_bookings_and_the_center(backend: str, tmp_path: Path) -> None:
    with servers(backend, 1, tmp_path) as (db, (server,)), receiving() as operator_hooks, receiving() as idle_hooks:
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        idle = make_token(db.url, "OPERATOR", "Idle Travel")
        staff = make_token(db.url, "CENTER_STAFF", "Bát Tràng staff", "dc-bat-trang-1000-nam")
        create_endpoint(server, operator, operator_hooks.url, ["SESSION_CANCELLED", "BOOKING_CANCELLED"])
        create_endpoint(server, idle, idle_hooks.url, ["SESSION_CANCELLED"])
        session_id = session_ids(server, HOSTED)[0]
        hold(server, operator, session_id, next(keys))
        assert post(server, CANCEL_SESSION, {"id": session_id}, staff)["data"]["cancelSession"]["__typename"] == "CancelSessionSuccess"
        seen = operator_hooks.wait_for(lambda seen: len(seen) >= 2)
        types = sorted(request.json["type"] for request in seen)
        assert types == ["booking.cancelled", "session.cancelled"]
        session_event = next(r.json for r in seen if r.json["type"] == "session.cancelled")
        assert session_event["data"]["session"]["status"] == "CANCELLED" and session_event["data"]["session"]["id"] == session_id
        assert idle_hooks.received == []  # no live booking in that session


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_retries_follow_retry_after_and_410_disables(backend: str, tmp_path: Path) -> None:
    attempts: dict[str, int] = {}

    def answer(request: Received) -> Answer:
        attempts[request.message_id] = attempts.get(request.message_id, 0) + 1
        kind = request.json["type"]
        if kind == "booking.held":  # first a 503 asking for 1 s, then a 500, then fine
            return [Answer(503, {"Retry-After": "1"}), Answer(500), Answer(200)][min(attempts[request.message_id], 3) - 1]
        return Answer(410)

    env = {"CRAFTWAY_WEBHOOK_RETRY_SCALE": "0.004"}  # 5 s -> 0.02 s, 5 min -> 1.2 s
    with servers(backend, 1, tmp_path, env) as (db, (server,)), receiving(answer) as hooks:
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        create_endpoint(server, operator, hooks.url)
        booking = hold(server, operator, session_ids(server, HOSTED)[0], next(keys))
        seen = hooks.wait_for(lambda seen: len([r for r in seen if r.json["type"] == "booking.held"]) >= 3)
        held = [r for r in seen if r.json["type"] == "booking.held"]
        assert len({r.message_id for r in held}) == 1  # the same webhook-id on every attempt
        assert held[1].at - held[0].at >= 0.9  # Retry-After: 1, not the schedule's first 0.02 s
        assert held[2].at - held[1].at >= 0.9  # the schedule's second step: 1.2 s less a fifth at most
        # Outcomes are written in batches just after the receiver answers: wait for that.
        [held_delivery] = _wait(lambda: [d for d in deliveries(server, operator) if d["status"] == "DELIVERED"])
        assert held_delivery["eventType"] == "BOOKING_HELD" and held_delivery["attempts"] == 3

        post(server, CONFIRM, {"r": booking["reference"]}, operator)
        hooks.wait_for(lambda seen: any(r.json["type"] == "booking.confirmed" for r in seen))
        endpoint = _wait(lambda: [e for e in post(server, DELIVERIES, token=operator)["data"]["viewer"]["webhookEndpoints"] if not e["enabled"]])[0]
        confirmed = next(e["node"] for e in endpoint["deliveries"]["edges"] if e["node"]["eventType"] == "BOOKING_CONFIRMED")
        assert confirmed["status"] == "FAILED" and confirmed["lastStatusCode"] == 410
        assert endpoint["enabled"] is False
        post(server, CANCEL, {"r": booking["reference"]}, operator)
        assert run_sql(db.url, "SELECT count(*) FROM webhook_delivery")[0][0] == 2  # a disabled endpoint gets no more


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_delivery_that_exhausts_its_retries_fails_and_can_be_redelivered(backend: str, tmp_path: Path) -> None:
    failing = {"on": True}
    env = {"CRAFTWAY_WEBHOOK_RETRY_SCALE": "0.00001"}  # the whole schedule in about 3 s
    with servers(backend, 1, tmp_path, env) as (db, (server,)), receiving(lambda _r: Answer(500 if failing["on"] else 204)) as hooks:
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        secret = create_endpoint(server, operator, hooks.url, ["BOOKING_HELD"])["secret"]
        hold(server, operator, session_ids(server, HOSTED)[0], next(keys))
        hooks.wait_for(lambda seen: len(seen) >= 10)
        [delivery] = _wait(lambda: [d for d in deliveries(server, operator) if d["status"] == "FAILED"])
        assert delivery["attempts"] == 10 and delivery["nextAttemptAt"] is None
        failing["on"] = False
        again = post(server, REDELIVER, {"id": delivery["id"]}, operator)["data"]["redeliverWebhook"]
        assert again["__typename"] == "RedeliverWebhookSuccess" and again["delivery"]["messageId"] == delivery["messageId"]
        last = hooks.wait_for(lambda seen: len(seen) >= 11)[-1]
        assert last.message_id == delivery["messageId"]
        verified(last, secret)
        other = make_token(db.url, "OPERATOR", "Other Travel")
        stolen = post(server, REDELIVER, {"id": delivery["id"]}, other)["data"]["redeliverWebhook"]
        assert stolen == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "deliveryId"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_after_a_rotation_both_secrets_sign_for_a_day(backend: str, tmp_path: Path) -> None:
    with servers(backend, 1, tmp_path) as (db, (server,)), receiving() as hooks:
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        made = create_endpoint(server, operator, hooks.url, ["BOOKING_HELD"])
        old_secret = made["secret"]
        rotated = post(server, ROTATE, {"id": made["endpoint"]["id"]}, operator)["data"]["rotateWebhookSecret"]
        new_secret = rotated["secret"]
        assert new_secret != old_secret
        hold(server, operator, session_ids(server, HOSTED)[0], next(keys))
        [request] = hooks.wait_for(lambda seen: len(seen) >= 1)
        assert len(request.headers["webhook-signature"].split(" ")) == 2
        verified(request, new_secret)
        verified(request, old_secret)
        # The secret is stored sealed: the database holds neither form of it.
        stored = " ".join(str(v) for row in run_sql(db.url, "SELECT secret, previous_secret FROM webhook_endpoint") for v in row)
        for secret in (old_secret, new_secret):
            assert secret not in stored and secret.removeprefix("whsec_") not in stored


def _wait(found: Any, timeout: float = 20) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = found()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("not found in time")
