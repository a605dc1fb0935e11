"""The webhook rules that need no server: signatures as Standard Webhooks' own verifier reads
them, the old secret signing for exactly a day after a rotation, sealed secrets, the backoff
schedule and Retry-After, and the event list the API and the domain share."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from models.tables import WebhookEndpoint
from models.webhooks import backoff
from models.webhooks.endpoints import EVENT_TYPES
from models.webhooks.payloads import wire_type
from models.webhooks.secrets import ServerKey, load_server_key, new_secret
from models.webhooks.signing import signature_header
from models.webhooks.worker import signing_secrets
from schema.types.webhook import WebhookEventType

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_a_signature_verifies_with_standard_webhooks_and_fails_when_the_body_changes() -> None:
    secret = new_secret()
    body = json.dumps({"type": "booking.held", "timestamp": "2026-12-01T15:00:00+07:00", "data": {"version": 0}})
    timestamp = int(datetime.now(UTC).timestamp())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(timestamp), "webhook-signature": signature_header([secret], "msg_1", timestamp, body)}
    assert Webhook(secret).verify(body, headers)["type"] == "booking.held"
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("held", "confirmed"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_after_a_rotation_the_old_secret_signs_for_a_day_only() -> None:
    endpoint = WebhookEndpoint(principal_id=1, url="https://x.vn", events=[], secret="new", previous_secret="old",
                               previous_secret_until=NOW + timedelta(hours=24), created_at=NOW)
    assert signing_secrets(endpoint, NOW + timedelta(hours=23, minutes=59)) == ["new", "old"]
    assert signing_secrets(endpoint, NOW + timedelta(hours=24)) == ["new"]


def test_secrets_are_sealed_under_the_server_key(tmp_path: Path) -> None:
    key = load_server_key(None, tmp_path / "craftway.key")
    assert load_server_key(None, tmp_path / "craftway.key") == key  # the file is made once, then read
    secret = new_secret()
    sealed = key.seal(secret)
    assert secret not in sealed and secret.removeprefix("whsec_") not in sealed
    assert key.open(sealed) == secret
    with pytest.raises(ValueError):
        ServerKey.from_text("another key").open(sealed)


def test_the_backoff_schedule_and_retry_after() -> None:
    waits = [backoff.next_wait(n) for n in range(1, 11)]
    assert waits[-1] is None  # the tenth failure is the last
    for wait, seconds in zip(waits, backoff.SCHEDULE, strict=False):
        assert wait is not None and seconds * 0.8 <= wait.total_seconds() <= seconds * 1.2
    assert backoff.retry_after("120", NOW) == timedelta(seconds=120)
    assert backoff.retry_after("Tue, 01 Dec 2026 08:01:00 GMT", NOW) == timedelta(minutes=1)
    assert backoff.retry_after("soon", NOW) is None
    assert backoff.retry_after("999999999", NOW) == timedelta(hours=24)


def test_the_api_and_the_domain_list_the_same_events() -> None:
    assert [member.name for member in WebhookEventType] == list(EVENT_TYPES)
    assert wire_type("BOOKING_CONFIRMED") == "booking.confirmed"
    assert wire_type("WAITLIST_OFFER_EXPIRED") == "waitlist.offer_expired"
