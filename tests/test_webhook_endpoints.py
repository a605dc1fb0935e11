"""Managing webhook endpoints through the API: who may, which URLs are refused (and nothing is
stored then), and that another principal's endpoints and deliveries read as NOT_FOUND or null."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from models.webhooks.worker import SenderSettings
from server import create_app
from tests.support import Clock, ScratchDatabase, error_codes, gql, make_token, run_sql
from web.settings import Settings

CREATE = """mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { __typename
  ... on CreateWebhookEndpointSuccess { secret endpoint { id url events enabled } }
  ... on UserError { code field message } } }"""
ROTATE = "mutation($id: ID!) { rotateWebhookSecret(input: {endpointId: $id}) { __typename ... on UserError { code field } } }"
DELETE = """mutation($id: ID!) { deleteWebhookEndpoint(input: {endpointId: $id}) { __typename
  ... on DeleteWebhookEndpointSuccess { endpointId } ... on UserError { code field } } }"""
MINE = "{ viewer { webhookEndpoints { id url } } }"
NODE = "query($id: ID!) { node(id: $id) { __typename ... on WebhookEndpoint { url } } }"


def _client(db: ScratchDatabase, allow_private: bool) -> TestClient:
    settings = replace(Settings.from_env(), webhook_sender=SenderSettings(allow_private=allow_private))
    return TestClient(create_app(db.url, clock=Clock(), settings=settings))


@pytest.fixture
def strict(fresh_db: ScratchDatabase) -> Iterator[tuple[TestClient, ScratchDatabase]]:
    with _client(fresh_db, allow_private=False) as client:
        yield client, fresh_db


@pytest.fixture
def local(fresh_db: ScratchDatabase) -> Iterator[tuple[TestClient, ScratchDatabase]]:
    with _client(fresh_db, allow_private=True) as client:
        yield client, fresh_db


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://hooks.example.vn/craftway", "https"),
        ("https://127.0.0.1/hooks", "not a public address"),
        ("https://localhost/hooks", "not a public address"),
        ("https://10.1.2.3/hooks", "not a public address"),
        ("https://[::1]/hooks", "not a public address"),
        ("https://169.254.169.254/latest", "not a public address"),
        ("https://user:pw@hooks.example.vn/", "user name"),
        ("ftp://hooks.example.vn/", "https"),
        ("https://" + "a" * 2000 + ".vn/", "2000"),
    ],
)
def test_unsafe_urls_are_refused_and_nothing_is_stored(strict: tuple[TestClient, ScratchDatabase], url: str, why: str) -> None:
    client, db = strict
    operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
    result = gql(client, CREATE, {"i": {"url": url, "events": ["BOOKING_HELD"]}}, operator)["data"]["createWebhookEndpoint"]
    assert result["__typename"] == "InvalidInputError" and result["field"] == "url"
    assert why in result["message"]
    assert run_sql(db.url, "SELECT count(*) FROM webhook_endpoint") == [(0,)]


def test_events_must_be_chosen(local: tuple[TestClient, ScratchDatabase]) -> None:
    client, db = local
    operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
    result = gql(client, CREATE, {"i": {"url": "http://127.0.0.1:9/hooks", "events": []}}, operator)["data"]["createWebhookEndpoint"]
    assert result["__typename"] == "InvalidInputError" and result["field"] == "events"
    assert run_sql(db.url, "SELECT count(*) FROM webhook_endpoint") == [(0,)]


def test_only_operators_and_center_staff_have_endpoints(local: tuple[TestClient, ScratchDatabase]) -> None:
    client, db = local
    variables = {"i": {"url": "http://127.0.0.1:9/hooks", "events": ["BOOKING_HELD"]}}
    assert error_codes(gql(client, CREATE, variables)) == ["UNAUTHENTICATED"]
    admin = make_token(db.url, "ADMIN", "Programme office")
    assert error_codes(gql(client, CREATE, variables, admin)) == ["FORBIDDEN"]
    staff = make_token(db.url, "CENTER_STAFF", "Phú Nghĩa staff", "dc-phu-nghia")
    assert gql(client, CREATE, variables, staff)["data"]["createWebhookEndpoint"]["__typename"] == "CreateWebhookEndpointSuccess"
    assert gql(client, MINE, token=admin)["data"]["viewer"]["webhookEndpoints"] == []


def test_another_principals_endpoint_is_not_found(local: tuple[TestClient, ScratchDatabase]) -> None:
    client, db = local
    mine = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
    theirs = make_token(db.url, "OPERATOR", "Red River Travel")
    made = gql(client, CREATE, {"i": {"url": "http://127.0.0.1:9/hooks", "events": ["BOOKING_HELD"]}}, mine)
    endpoint = made["data"]["createWebhookEndpoint"]["endpoint"]
    assert endpoint["events"] == ["BOOKING_HELD"] and endpoint["enabled"] is True
    for document in (ROTATE, DELETE):
        answer = next(iter(gql(client, document, {"id": endpoint["id"]}, theirs)["data"].values()))
        assert answer == {"__typename": "NotFoundError", "code": "NOT_FOUND", "field": "endpointId"}
    assert gql(client, NODE, {"id": endpoint["id"]}, theirs)["data"]["node"] is None
    assert gql(client, NODE, {"id": endpoint["id"]}, mine)["data"]["node"]["url"] == "http://127.0.0.1:9/hooks"
    assert gql(client, MINE, token=theirs)["data"]["viewer"]["webhookEndpoints"] == []
    deleted = gql(client, DELETE, {"id": endpoint["id"]}, mine)["data"]["deleteWebhookEndpoint"]
    assert deleted["endpointId"] == endpoint["id"]
    assert gql(client, MINE, token=mine)["data"]["viewer"]["webhookEndpoints"] == []
    assert gql(client, NODE, {"id": endpoint["id"]}, mine)["data"]["node"] is None
    again = gql(client, DELETE, {"id": endpoint["id"]}, mine)["data"]["deleteWebhookEndpoint"]
    assert again["code"] == "NOT_FOUND"
    # The row stays, disabled, so a change writing a delivery for it never meets a missing row.
    assert run_sql(db.url, "SELECT enabled, deleted_at IS NOT NULL FROM webhook_endpoint") == [(False, True)]
