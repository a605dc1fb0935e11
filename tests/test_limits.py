"""Resource limits and error hygiene over HTTP: every rejection is a coded GraphQL error."""

from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient

from server import create_app
from tests.support import ScratchDatabase, error_codes, gql
from web.json_logs import JsonFormatter
from web.settings import Settings

DEEP = "{ tours { edges { node { village { tours { edges { node { village { tours { edges { node { village { name } } } } } } } } } } } } }"


def codes(client: TestClient, query: str, **extra: object) -> list[str]:
    return error_codes(gql(client, query, **extra))  # type: ignore[arg-type]


def test_depth_aliases_tokens_and_cost(client: TestClient) -> None:
    assert codes(client, DEEP) == ["QUERY_TOO_DEEP"]
    aliases = "{ " + " ".join(f"a{i}: districts {{ code }}" for i in range(31)) + " }"
    assert codes(client, aliases) == ["TOO_MANY_ALIASES"]
    assert codes(client, "{ " + " ".join(f"a{i}: districts {{ code }}" for i in range(30)) + " }") == []
    assert codes(client, "{ " + "__typename " * 2001 + "}") == ["TOO_MANY_TOKENS"]
    costly = "{ tours(first: 100) { edges { node { sessions(first: 100) { edges { node { id } } } } } } }"
    body = gql(client, costly)
    assert (
        error_codes(body) == ["QUERY_TOO_COSTLY"]
        and "Query cost 30301 exceeds the limit of 10000" in body["errors"][0]["message"]
    )
    assert body["errors"][0]["extensions"]["cost"] == 30301
    variables = gql(
        client,
        "query($f: Int) { tours(first: $f) { edges { node { sessions(first: $f) { totalCount } } } } }",
        {"f": 100},
    )
    assert error_codes(variables) == ["QUERY_TOO_COSTLY"]
    # A connection queried without `first` costs its default of 20, not 1.
    implicit = gql(
        client, "{ tours { edges { node { a: sessions(first: 100) { edges { node { id startsAt endsAt } } } } } } }"
    )
    assert error_codes(implicit) == ["QUERY_TOO_COSTLY"] and implicit["errors"][0]["extensions"]["cost"] == 10061
    fine = "{ tours(first: 20) { edges { node { sessions(first: 5) { edges { node { id startsAt } } } } } } }"
    assert codes(client, fine) == []


def test_syntax_and_validation_errors_are_coded(client: TestClient) -> None:
    assert codes(client, "{ tours ") == ["GRAPHQL_PARSE_FAILED"]
    assert codes(client, "{ nope }") == ["GRAPHQL_VALIDATION_FAILED"]
    strict = client.post(
        "/graphql", json={"query": "{ nope }"}, headers={"Accept": "application/graphql-response+json"}
    )
    assert strict.status_code == 400


def test_large_bodies_get_413_and_the_server_stays_responsive(client: TestClient) -> None:
    big = {"query": "{ __typename }", "variables": {"pad": "x" * 110_000}}
    for _ in range(20):
        response = client.post("/graphql", json=big)
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    chunked = client.post(
        "/graphql",
        content=iter([b'{"query": "{ __typename }", "x": "', b"y" * 120_000, b'"}']),
        headers={"content-type": "application/json"},
    )
    assert chunked.status_code == 413
    assert gql(client, "{ districts(kind: TOWN) { name } }")["data"]["districts"] == [{"name": "Sơn Tây"}]


def test_batching_is_off_and_mutations_over_get_are_refused(client: TestClient) -> None:
    batch = client.post("/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])
    assert batch.status_code == 400
    get_mutation = client.get(
        "/graphql", params={"query": 'mutation { confirmBooking(input: {reference: "x"}) { __typename } }'}
    )
    assert get_mutation.status_code in (400, 405) and "not allowed" in get_mutation.text


def test_request_ids_are_echoed(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert made.headers["x-request-id"] != "bad id with spaces" and len(made.headers["x-request-id"]) == 32


@pytest.mark.parametrize("path", ["/coverage%0A", "/graphql%0A", "/healthz%0D", "/octo/products/%00"])
def test_a_path_with_control_characters_is_refused_before_any_route(client: TestClient, path: str) -> None:
    """Route patterns end in `$`, which matches before a final newline: "/coverage\\n" must not serve /coverage."""
    response = client.get(path)
    assert response.status_code == 400
    assert response.json()["error"] == "BAD_REQUEST" and "control characters" in response.json()["errorMessage"]
    assert len(response.headers["x-request-id"]) == 32


def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import resolvers.coverage

    async def broken(*_args: object) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(resolvers.coverage, "coverage_report", broken)
    with caplog.at_level(logging.ERROR, logger="craftway.errors"):
        response = client.post(
            "/graphql", json={"query": "{ coverage(year: 2023) { year } }"}, headers={"X-Request-ID": "req-42"}
        )
    error = response.json()["errors"][0]
    assert error["message"] == "Internal error (request id req-42)." and "hunter2" not in response.text
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    record = next(r for r in caplog.records if getattr(r, "request_id", None) == "req-42")
    logged = json.loads(JsonFormatter().format(record))
    assert logged["request_id"] == "req-42" and "RuntimeError: database password is hunter2" in logged["stack"]
    # Expected errors pass unchanged.
    assert "malformed cursor" in gql(client, '{ tours(after: "zz") { totalCount } }')["errors"][0]["message"]


def test_production_turns_introspection_and_graphiql_off(seeded_db: ScratchDatabase) -> None:
    with TestClient(create_app(seeded_db.url, settings=Settings(production=True))) as production:
        refused = error_codes(gql(production, "{ __schema { types { name } } }"))
        assert refused and set(refused) == {"INTROSPECTION_DISABLED"}
        assert "graphiql" not in production.get("/graphql", headers={"Accept": "text/html"}).text.lower()
        assert gql(production, "{ districts(kind: TOWN) { name } }")["data"]["districts"] == [{"name": "Sơn Tây"}]
    with TestClient(create_app(seeded_db.url, settings=Settings())) as development:
        assert (
            gql(development, "{ __schema { queryType { name } } }")["data"]["__schema"]["queryType"]["name"] == "Query"
        )
